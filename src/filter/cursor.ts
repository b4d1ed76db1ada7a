import { FilterError } from './errors.js';
import type { Lit, Pred } from './field-test.js';
import { T, type Token } from './lexer.js';

/** A compiled sub-expression: its predicate and, when it is pure pcap-filter syntax, its libpcap text. */
export interface Node {
  readonly fn: Pred;
  /** pcap-filter text for this node, or null when it is not pure pcap-filter syntax. */
  readonly bpf: string | null;
  readonly compound: boolean;
}

export const LOGIC = new Set(['and', 'or', 'not', '&&', '||', '!']);

export function lit(t: Token): Lit {
  return { kind: t.t === T.Str ? 'str' : 'word', text: t.text, pos: t.pos, end: t.end };
}

export function tokText(t: Token): string {
  return t.t === T.Eof ? 'the end of the filter' : `"${t.text}"`;
}

export function wrap(n: Node): string {
  return n.compound ? `(${n.bpf})` : n.bpf!;
}

export function combine(op: 'and' | 'or', a: Node, b: Node): Node {
  const fa = a.fn;
  const fb = b.fn;
  const bpf = a.bpf !== null && b.bpf !== null ? `${wrap(a)} ${op} ${wrap(b)}` : null;
  return { fn: op === 'and' ? (p) => fa(p) && fb(p) : (p) => fa(p) || fb(p), bpf, compound: true };
}

/** Reading position in the token list; the last token is always Eof. */
export class Cursor {
  i = 0;
  constructor(readonly toks: Token[]) {}

  peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  /** The current token when it is a word. */
  word(): Token | null {
    const t = this.peek();
    return t.t === T.Word ? t : null;
  }

  expectValue(what: string, after: Token): Token {
    const v = this.peek();
    if (v.t !== T.Word || LOGIC.has(v.text)) {
      throw new FilterError(`"${after.text}" needs ${what} after it`, v.pos, Math.max(1, v.end - v.pos));
    }
    this.next();
    return v;
  }
}
