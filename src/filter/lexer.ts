import { FilterError } from './errors.js';

export const enum T {
  Word = 1,
  Str = 2,
  LParen = 3,
  RParen = 4,
  LBrace = 5,
  RBrace = 6,
  Comma = 7,
  /** Comparison or logical operator symbol; `text` holds it. */
  Op = 8,
  Eof = 9,
}

export interface Token {
  readonly t: T;
  /** Source text (for Str: the decoded string value). */
  readonly text: string;
  readonly pos: number;
  readonly end: number;
}

/** Longest limits any filter may have; past them the compiler refuses instead of working hard. */
export const MAX_FILTER_LENGTH = 4096;
export const MAX_TOKENS = 1024;

const OPS = ['===', '!==', '==', '!=', '~=', '<=', '>=', '&&', '||', '<', '>', '!', '~', '='];

function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || // _
    c === 46 || // .
    c === 58 || // :
    c === 47 || // /
    c === 45 || // -
    c === 92 // \ (libpcap's escaped protocol names: ip proto \udp)
  );
}

function readString(s: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '"') return { value: out, end: i + 1 };
    if (ch === '\\') {
      const n = s[i + 1];
      if (n === undefined) break;
      if (n === 'n') out += '\n';
      else if (n === 't') out += '\t';
      else if (n === 'r') out += '\r';
      else if (n === '0') out += '\0';
      else if (n === 'x') {
        const hex = s.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new FilterError('bad \\x escape in string: expected two hex digits', i, 2);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        continue;
      } else out += n;
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  throw new FilterError('unterminated string: add a closing "', start, s.length - start);
}

/** Split a filter into tokens. Throws FilterError for characters no rule accepts. */
export function tokenize(s: string): Token[] {
  if (s.length > MAX_FILTER_LENGTH) {
    throw new FilterError(`filter is too long (${s.length} characters, limit ${MAX_FILTER_LENGTH})`, MAX_FILTER_LENGTH);
  }
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (out.length >= MAX_TOKENS) throw new FilterError(`filter has too many tokens (limit ${MAX_TOKENS})`, i);
    const start = i;
    if (c === 34) {
      const r = readString(s, i);
      out.push({ t: T.Str, text: r.value, pos: start, end: r.end });
      i = r.end;
      continue;
    }
    if (c === 40) out.push({ t: T.LParen, text: '(', pos: i, end: ++i });
    else if (c === 41) out.push({ t: T.RParen, text: ')', pos: i, end: ++i });
    else if (c === 123) out.push({ t: T.LBrace, text: '{', pos: i, end: ++i });
    else if (c === 125) out.push({ t: T.RBrace, text: '}', pos: i, end: ++i });
    else if (c === 44) out.push({ t: T.Comma, text: ',', pos: i, end: ++i });
    else if (isWordChar(c)) {
      while (i < s.length && isWordChar(s.charCodeAt(i))) i++;
      out.push({ t: T.Word, text: s.slice(start, i), pos: start, end: i });
    } else {
      const op = OPS.find((o) => s.startsWith(o, i));
      if (op === undefined) {
        const ch = s[i]!;
        if (ch === '[') throw new FilterError('slices (field[a:b]) are not supported: compare the whole field', i);
        const shown = c < 32 || c > 126 ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
        throw new FilterError(`unexpected character ${shown}`, i);
      }
      i += op.length;
      out.push({ t: T.Op, text: op, pos: start, end: i });
    }
  }
  out.push({ t: T.Eof, text: '', pos: s.length, end: s.length });
  return out;
}
