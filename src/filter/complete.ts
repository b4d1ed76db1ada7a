import { CMP_TEXTS, PCAP_KEYWORDS } from './parser.js';
import { fieldNames, lookupField, protocolNames } from './registry.js';

export interface Completion {
  /** Index in the text where the word being completed starts; replace text[replaceFrom, cursor). */
  readonly replaceFrom: number;
  /** Sorted candidates for that word (empty when nothing fits). */
  readonly candidates: string[];
}

const LOGIC_WORDS = ['and', 'or', 'not'];

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_.\-]/.test(c);
}

/** Tab completion: field and protocol names, then operators after a field. */
export function completeFilter(text: string, cursor: number): Completion {
  const cur = Math.max(0, Math.min(cursor | 0, text.length));
  let start = cur;
  while (start > 0 && isWordChar(text[start - 1]!)) start--;
  const prefix = text.slice(start, cur);
  // The word before the one being completed decides what may come next.
  let j = start;
  while (j > 0 && /\s/.test(text[j - 1]!)) j--;
  let k = j;
  while (k > 0 && isWordChar(text[k - 1]!)) k--;
  const prev = text.slice(k, j);
  let pool: string[];
  if (prev !== '' && j < start && lookupField(prev)) {
    pool = CMP_TEXTS.filter((o) => /^[a-z]/.test(o));
    if (prefix === '') pool = CMP_TEXTS;
  } else if (/[=<>~]\s*$/.test(text.slice(0, start)) || /\b(contains|matches|eq|ne|lt|le|gt|ge)\s*$/.test(text.slice(0, start))) {
    pool = [];
  } else {
    pool = [...fieldNames(), ...protocolNames(), ...(prefix.includes('.') ? [] : [...PCAP_KEYWORDS, ...LOGIC_WORDS])];
  }
  const seen = new Set<string>();
  const candidates = pool.filter((n) => n.startsWith(prefix) && !seen.has(n) && (seen.add(n), true)).sort();
  return { replaceFrom: start, candidates };
}
