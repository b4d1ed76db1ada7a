/** TCP sequence arithmetic modulo 2^32 (RFC 1982 style, as tshark's LT_SEQ/GT_SEQ). */

export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
