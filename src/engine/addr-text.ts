import { ip4ToString, ip6ToString } from '../decode/addr.js';

/**
 * Address text of the flow and host tables' layout (four words per address,
 * IPv4 in the first). Only for rows that are shown.
 */
export function addrText(fam: number, words: Uint32Array, off: number): string {
  return fam === 6 ? ip6ToString(words.subarray(off, off + 4)) : ip4ToString(words[off]! >>> 0);
}
