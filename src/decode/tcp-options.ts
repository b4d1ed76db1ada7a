import type { DecodedPacket } from './packet.js';

/** End (exclusive) of a decoded TCP header's options in `p.buf`: the header length, cut at the captured bytes. */
export function tcpOptionsEnd(p: DecodedPacket): number {
  return Math.min(p.l4Off + p.tcpHdrLen, p.frameOff + p.capLen);
}

/**
 * Offset of the first option at or after `i` (NOPs skipped), or -1 at end-of-list, at `end`, or at
 * an option whose length is under 2 or runs past `end`. Walk a header with
 * `for (let i = tcpOptionAt(b, p.l4Off + 20, end); i >= 0; i = tcpOptionAt(b, i + b[i + 1]!, end))`:
 * kind at `b[i]`, length at `b[i + 1]`. Allocates nothing.
 */
export function tcpOptionAt(b: Uint8Array, i: number, end: number): number {
  while (i < end && b[i] === 1) i++;
  if (i + 1 >= end || b[i] === 0) return -1;
  const len = b[i + 1]!;
  return len < 2 || i + len > end ? -1 : i;
}
