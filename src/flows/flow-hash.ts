/**
 * Hashing for flow and host keys: 32-bit integer mixing only (no strings, no
 * BigInt). A flow hash is symmetric in its two endpoints so both directions
 * of a conversation land on the same bucket.
 */

/** murmur3 fmix32, as a signed 32-bit value (stays a small integer: no boxing across calls). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Hash of one endpoint: an address (four words; IPv4 uses w0 only) and a port (-1 for none). */
export function endpointHash(w0: number, w1: number, w2: number, w3: number, port: number): number {
  let h = Math.imul(w0 ^ 0x9e3779b9, 0xcc9e2d51);
  h = Math.imul((h << 15) | (h >>> 17), 0x1b873593) ^ w1;
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  h ^= w2;
  h = Math.imul((h << 15) | (h >>> 17), 0x1b873593) ^ w3;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + port) | 0;
  return fmix32(h);
}

/** Smallest power of two >= n. */
export function pow2AtLeast(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}
