import type { RatePool } from '../flows/rate-pool.js';
import { TopK } from './top-k.js';

// Ranking for snapshots: the top talkers of a flow or host table without summing every rate ring.

/** What rank() needs of a flow or host table. */
export interface Rankable {
  readonly slotLimit: number;
  readonly count: number;
  readonly rates: RatePool | null;
  isLive(s: number): boolean;
  ring(s: number): number;
  totalBytes(s: number): number;
}

/** Per slot during rank(): 0 not looked at, 1 pushed with its rate, 2 its rate was 0. */
let seenScratch = new Uint8Array(0);
/** One heap for every ranking of a snapshot (they run one after another). */
export const heapScratch = new TopK(1);
/** The previous snapshot's ranking per table (see rank()). */
const lastRanked = new WeakMap<Rankable, Int32Array>();

/** Rate sums are exact below 2^24 bytes (see rateBound). */
const F32_EXACT = 1 << 24;

/**
 * An upper bound of a rate sum from the owner's total bytes. Every byte in a
 * ring was also added to the owner's total (rings are lent zeroed, and taken
 * back on steal, release and clear), so the sum cannot exceed the total while
 * the Float32 buckets add exactly: every partial sum is an integer below 2^24.
 * Past that a Float32 addition can round up, but never to more than twice
 * what was added.
 */
function rateBound(totalBytes: number): number {
  return totalBytes < F32_EXACT ? totalBytes : totalBytes * 2 + 1;
}

/**
 * Top `top` slots by 10 s rate, then total bytes. Only owners of rate rings
 * can have a rate, so the rate pass walks the rings (at most maxRateRings),
 * and the pass over every slot runs only while the top list is not full.
 *
 * Why it is cheap at 20k flows: summing 10 s of buckets is the cost, so the
 * last snapshot's top slots are summed first (they are mostly still the top,
 * which puts the heap's floor near its final value), and then any ring whose
 * owner's total bytes are below the floor is skipped without summing. The
 * heap keeps the best `top` under a strict order whatever the push order, and
 * a skipped ring could not have entered it, so the result is the same as
 * summing every ring.
 */
export function rank(t: Rankable, top: number, nowSec: number): number[] {
  const heap = heapScratch.reset(top > 0 ? top : Math.max(1, t.count));
  const limit = t.slotLimit;
  if (seenScratch.length < limit) seenScratch = new Uint8Array(limit * 2);
  const seen = seenScratch;
  seen.fill(0, 0, limit);
  const pool = t.rates;
  if (pool !== null) {
    const prev = lastRanked.get(t);
    if (prev !== undefined) {
      for (let i = 0; i < prev.length; i++) {
        const o = prev[i]!;
        if (!t.isLive(o) || seen[o] !== 0) continue;
        const r = t.ring(o);
        if (r < 0 || pool.ownerOf(r) !== o) continue;
        const v = pool.sumAll(r, nowSec, 10);
        if (v > 0) heap.push(o, v, t.totalBytes(o));
        seen[o] = v > 0 ? 1 : 2;
      }
    }
    const rings = pool.ringCount;
    for (let r = 0; r < rings; r++) {
      const o = pool.ownerOf(r);
      if (o < 0 || !t.isLive(o) || seen[o] !== 0 || t.ring(o) !== r) continue;
      const total = t.totalBytes(o);
      if (rateBound(total) < heap.floor) continue;
      const v = pool.sumAll(r, nowSec, 10);
      if (v > 0) {
        heap.push(o, v, total);
        seen[o] = 1;
      }
    }
  }
  // Pruning above needs a full heap, so when it is not full every ring was summed.
  if (!heap.isFull) {
    for (let s = 0; s < limit; s++) if (seen[s] !== 1 && t.isLive(s)) heap.push(s, 0, t.totalBytes(s));
  }
  const ids = heap.result();
  const keep = lastRanked.get(t);
  lastRanked.set(t, keep !== undefined && keep.length === ids.length ? (keep.set(ids), keep) : Int32Array.from(ids));
  return ids;
}
