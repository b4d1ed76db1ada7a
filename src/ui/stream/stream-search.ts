import { byteRangeOf } from './escaped-text.js';
import type { StreamBlock } from './stream-data.js';
import type { StreamLayout } from './stream-layout.js';

/** A hit in a data block's escaped text, text[cs, ce). */
export interface StreamMatch {
  readonly block: number;
  readonly cs: number;
  readonly ce: number;
}

/** More hits than this are not worth keeping for n/N; the count shows as `10000+`. */
export const MAX_MATCHES = 10_000;

/** Smart case, as in less -i: a query with no capital letter ignores case. */
export function isCaseSensitive(query: string): boolean {
  return query !== query.toLowerCase();
}

/**
 * Hits of `query` in the escaped text, so what is searched is what is seen: `\x1b` finds an ESC
 * byte, `\r` a carriage return.
 */
export function findMatches(blocks: readonly StreamBlock[], query: string): StreamMatch[] {
  if (query === '') return [];
  const sensitive = isCaseSensitive(query);
  const q = sensitive ? query : query.toLowerCase();
  const out: StreamMatch[] = [];
  for (let k = 0; k < blocks.length && out.length < MAX_MATCHES; k++) {
    const b = blocks[k]!;
    if (b.kind !== 'data') continue;
    const text = sensitive ? b.escaped.text : b.escaped.text.toLowerCase();
    for (let at = text.indexOf(q); at >= 0 && out.length < MAX_MATCHES; at = text.indexOf(q, at + Math.max(1, q.length))) {
      out.push({ block: k, cs: at, ce: at + q.length });
    }
  }
  return out;
}

/** The row that shows the start of a match in this layout (text row in ascii/both, hex row in hex). */
export function rowOfMatch(layout: StreamLayout, blocks: readonly StreamBlock[], m: StreamMatch): number {
  const first = layout.blockStart[m.block];
  if (first === undefined) return 0;
  const b = blocks[m.block]!;
  const end = m.block + 1 < layout.blockStart.length ? layout.blockStart[m.block + 1]! : layout.rows.length;
  let byte = -1;
  for (let r = first; r < end; r++) {
    const row = layout.rows[r]!;
    if (row.kind === 'text' && m.cs < row.ce) return r;
    if (row.kind === 'text' && m.cs === row.ce && r + 1 < end && layout.rows[r + 1]!.kind !== 'text') return r;
    if (row.kind === 'hex') {
      if (byte < 0 && b.kind === 'data') byte = byteRangeOf(b.escaped, m.cs, m.ce)[0];
      if (byte < row.be) return r;
    }
  }
  return first;
}
