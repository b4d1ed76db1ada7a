import { growF64, growI32 } from './grow.js';

/**
 * Per-second byte buckets for rate averages (2 s / 10 s / 40 s), kept only for
 * owners (flows, hosts, ports) that were active recently.
 *
 * Why a pool: 40 Float32 buckets per direction for every one of a million
 * flows would be 320 MB. Rings are lent to owners on their first traffic; when
 * the pool is full a clock hand looks at a few rings for one idle over 40 s
 * and takes it back (its owner then shows rate 0, which is true). When none
 * of those is idle the pool grows, and at `maxRings` the least recently used
 * of them is taken (an approximation for the coldest owners when more than
 * `maxRings` owners are active at once). No list is kept in activity order:
 * moving a ring to the front of one touched two neighbours per update, which
 * was most of the cost of rates.
 *
 * Layout: one column per second (COLUMNS of them, the last 41 seconds of the
 * pool's clock), each holding `series` Float32 per ring, ring after ring. A
 * fold writes every owner's gain of one second into the same column, so the
 * column being written (8 bytes a ring: 160 KB for 20k flows) stays in the
 * cache; a ring of 40 buckets per owner took a cold ring header and a cold
 * bucket per write, which was the largest cost of the fold (about half the
 * fold's time on the 1M-packet bench capture, see README.md). A
 * column is zeroed (for every ring) when the clock enters its second, so a
 * ring's buckets need no per-ring clearing; per ring are kept only the second
 * it was lent at (older columns are a previous owner's) and the second it was
 * last written. Ranking reads 10 columns ring after ring, which streams.
 * Cost per ring: COLUMNS * series * 4 + 24 bytes (a two-direction ring is
 * 352 bytes; 65,536 rings are 23 MB).
 */
export const RING_SECONDS = 40;
/**
 * Columns kept: a window of the 40 whole seconds before the clock's second
 * (which is being written) needs 41.
 */
const COLUMNS = RING_SECONDS + 1;
/** Rings the clock hand looks at for an idle one before the pool grows or takes an active one. */
const PROBE = 32;
/** Per ring in `meta`: the second it was lent at, and the second last written. */
const M = 2;
const M_BORN = 0, M_LAST = 1;

export type StealHook = (owner: number) => void;

export class RatePool {
  readonly series: number;
  private cap: number;
  private used = 0;
  /** Column `sec % COLUMNS`, for seconds latest-40 .. latest, holds every ring's: [ring * series + s]. */
  private cols: Float32Array;
  /** The newest second the columns hold (-1: none). */
  private latest = -1;
  private meta: Float64Array;
  private owner: Int32Array;
  /** Free-list links. */
  private next: Int32Array;
  private freeHead = -1;
  /** Where the next search for an idle ring starts. */
  private hand = 0;
  /** Rings taken from an owner that was still within the 40 s window. */
  stolenActive = 0;

  constructor(
    series: number,
    private readonly maxRings: number,
    private readonly onSteal: StealHook,
    initial = 1024,
  ) {
    if (series < 1 || series > 2) throw new RangeError('RatePool supports 1 or 2 series');
    this.series = series;
    this.cap = Math.max(1, Math.min(initial, maxRings));
    this.cols = new Float32Array(COLUMNS * this.cap * series);
    this.meta = new Float64Array(this.cap * M);
    this.owner = new Int32Array(this.cap);
    this.next = new Int32Array(this.cap);
  }

  get capacity(): number {
    return this.cap;
  }

  get bytesUsed(): number {
    return this.cap * (COLUMNS * this.series * 4 + M * 8 + 8);
  }

  /** Lend a ring to `owner` (the caller stores the returned index). */
  alloc(owner: number, sec: number): number {
    let r = this.freeHead;
    if (r >= 0) {
      this.freeHead = this.next[r]!;
    } else if (this.used < this.cap) {
      r = this.used++;
    } else {
      r = this.idleOrOldest(sec);
      const idle = this.meta[r * M + M_LAST]! < sec - RING_SECONDS;
      if (!idle && this.cap < this.maxRings) {
        this.grow();
        r = this.used++;
      } else {
        if (!idle) this.stolenActive++;
        this.onSteal(this.owner[r]!);
      }
    }
    this.owner[r] = owner;
    this.meta[r * M + M_BORN] = sec;
    this.meta[r * M + M_LAST] = sec;
    // Columns from `sec` on that exist already may hold a previous owner's counts.
    for (let t = Math.max(sec, this.latest - RING_SECONDS); t <= this.latest; t++) this.zero(r, t);
    return r;
  }

  private zero(r: number, t: number): void {
    const k = ((t % COLUMNS) * this.cap + r) * this.series;
    this.cols.fill(0, k, k + this.series);
  }

  /** From the clock hand on, the first of PROBE rings idle past the window, else the least recently used of them. */
  private idleOrOldest(sec: number): number {
    let best = -1;
    let bestLast = Infinity;
    for (let i = 0; i < PROBE; i++) {
      const r = this.hand;
      this.hand = r + 1 < this.used ? r + 1 : 0;
      if (this.owner[r]! < 0) continue;
      const last = this.meta[r * M + M_LAST]!;
      if (last < sec - RING_SECONDS) return r;
      if (last < bestLast) {
        best = r;
        bestLast = last;
      }
    }
    return best;
  }

  release(r: number): void {
    this.owner[r] = -1;
    this.next[r] = this.freeHead;
    this.freeHead = r;
  }

  /**
   * Add to ring `r` at second `sec`, from an array (a double argument would be boxed): a
   * two-series ring gets d[i0] and d[i1] in its two series, a one-series ring their sum.
   * Callers' seconds never go back (the engine folds at its count second), so counts for a second
   * before the ring was lent, or older than the columns, are dropped.
   */
  addFrom(r: number, sec: number, d: Float64Array, i0: number, i1: number): void {
    if (sec > this.latest) this.advance(sec);
    else if (this.latest - sec >= COLUMNS) return; // a late fold for a second the pool no longer holds
    const m = r * M;
    const meta = this.meta;
    const last = meta[m + M_LAST]!;
    if (sec > last) meta[m + M_LAST] = sec;
    else if (last - sec >= RING_SECONDS || sec < meta[m + M_BORN]!) return;
    const k = ((sec % COLUMNS) * this.cap + r) * this.series;
    const cols = this.cols;
    if (this.series === 2) {
      cols[k]! += d[i0]!;
      cols[k + 1]! += d[i1]!;
    } else {
      cols[k]! += d[i0]! + d[i1]!;
    }
  }

  /** Move the pool's clock to `sec`: the columns of the seconds it enters start at zero. */
  private advance(sec: number): void {
    const n = this.used * this.series;
    for (let t = Math.max(this.latest + 1, sec - COLUMNS + 1); t <= sec; t++) {
      const k = (t % COLUMNS) * this.cap * this.series;
      this.cols.fill(0, k, k + n);
    }
    this.latest = sec;
  }

  /**
   * Sum of series `s` over the `w` whole seconds before `nowSec`
   * (seconds nowSec-w .. nowSec-1): the second in progress is left out so a
   * rate does not dip at the start of every second.
   */
  sum(r: number, s: number, nowSec: number, w: number): number {
    return this.window(r, s, s + 1, nowSec, w);
  }

  /** sum() of all series together. */
  sumAll(r: number, nowSec: number, w: number): number {
    return this.window(r, 0, this.series, nowSec, w);
  }

  /**
   * sum() over three windows w0 < w1 < w2 for every series in one pass over the columns (each is
   * a cache line of its own): out[s * 3 + j] is series s over window wj; zeros when no ring.
   */
  sums3(r: number, nowSec: number, w0: number, w1: number, w2: number, out: Float64Array): void {
    const ns = this.series;
    out.fill(0, 0, ns * 3);
    if (r < 0 || this.latest < 0) return;
    const m = r * M;
    const last = this.meta[m + M_LAST]!;
    const floor = Math.max(last - RING_SECONDS, this.meta[m + M_BORN]!, this.latest - COLUMNS + 1, 0);
    const from0 = Math.max(nowSec - w0, floor);
    const from1 = Math.max(nowSec - w1, floor);
    const to = Math.min(nowSec - 1, last);
    const stride = this.cap * ns;
    const cols = this.cols;
    for (let t = Math.max(nowSec - w2, floor); t <= to; t++) {
      const i = (t % COLUMNS) * stride + r * ns;
      for (let s = 0; s < ns; s++) {
        const v = cols[i + s]!;
        out[s * 3 + 2]! += v;
        if (t >= from1) out[s * 3 + 1]! += v;
        if (t >= from0) out[s * 3]! += v;
      }
    }
  }

  /**
   * Series s0 .. s1-1 of ring `r` summed over that window. The ring reaches back 40 whole seconds
   * before its last write (41 columns: a flow writing the second in progress still has a full 40 s
   * window; with 40 it read 39 seconds and showed 97.5% of a steady rate), and not before it was lent.
   */
  private window(r: number, s0: number, s1: number, nowSec: number, w: number): number {
    if (r < 0 || this.latest < 0) return 0;
    const m = r * M;
    const last = this.meta[m + M_LAST]!;
    const from = Math.max(nowSec - w, last - RING_SECONDS, this.meta[m + M_BORN]!, this.latest - COLUMNS + 1, 0);
    const to = Math.min(nowSec - 1, last);
    const ns = this.series;
    const stride = this.cap * ns;
    const cols = this.cols;
    let total = 0;
    for (let t = from; t <= to; t++) {
      const i = (t % COLUMNS) * stride + r * ns;
      for (let s = s0; s < s1; s++) total += cols[i + s]!;
    }
    return total;
  }

  /** Rings handed out so far (iterate 0..ringCount and check ownerOf). */
  get ringCount(): number {
    return this.used;
  }

  /** Owner of ring `r`, or -1 when it is free. */
  ownerOf(r: number): number {
    return this.owner[r]!;
  }

  clear(): void {
    this.used = 0;
    this.freeHead = -1;
    this.hand = 0;
    this.stolenActive = 0;
    this.latest = -1;
  }

  private grow(): void {
    const cap = Math.min(this.cap * 2, this.maxRings);
    const ns = this.series;
    const cols = new Float32Array(COLUMNS * cap * ns);
    for (let c = 0; c < COLUMNS; c++) cols.set(this.cols.subarray(c * this.cap * ns, (c + 1) * this.cap * ns), c * cap * ns);
    this.cols = cols;
    this.meta = growF64(this.meta, cap * M);
    this.owner = growI32(this.owner, cap);
    this.next = growI32(this.next, cap);
    this.cap = cap;
  }
}
