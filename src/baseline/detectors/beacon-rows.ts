import { DOUBLE } from '../context.js';

/** Connection start times kept per pair. */
export const RING = 16;

/**
 * Per (src, dst) pair, in rows indexed like the table's slots (no object per
 * pair): the addresses, the last RING connection start times, the time of the
 * last packet, the destination port of the first start and how many starts
 * went to it (a beacon keeps its port; a slow scan does not), and the last
 * evaluation (median interval, jitter) with a flag for "starts changed since".
 */
export class BeaconRows {
  readonly src: Float64Array;
  readonly dst: Float64Array;
  readonly starts: Int32Array;
  /** Time of each pair's last packet (-1 before the first). */
  readonly lastPacket: Float64Array;
  readonly times: Float64Array;
  readonly dirty: Uint8Array;
  readonly port: Int32Array;
  readonly samePort: Int32Array;
  readonly interval: Float64Array;
  readonly jitter: Float64Array;
  private readonly scratch = new Float64Array(RING);
  private readonly scratchDev = new Float64Array(RING);
  /** Results of the last measure(). */
  lastInterval = DOUBLE;
  lastJitter = DOUBLE;

  constructor(n: number) {
    this.src = new Float64Array(n);
    this.dst = new Float64Array(n);
    this.starts = new Int32Array(n);
    this.lastPacket = new Float64Array(n);
    this.times = new Float64Array(n * RING);
    this.dirty = new Uint8Array(n);
    this.port = new Int32Array(n);
    this.samePort = new Int32Array(n);
    this.interval = new Float64Array(n);
    this.jitter = new Float64Array(n);
    this.lastInterval = 0;
    this.lastJitter = 1;
  }

  reset(i: number): void {
    this.src[i] = 0;
    this.dst[i] = 0;
    this.starts[i] = 0;
    this.lastPacket[i] = -1;
    this.dirty[i] = 0;
    this.port[i] = -1;
    this.samePort[i] = 0;
    this.interval[i] = 0;
    this.jitter[i] = 1;
  }

  move(from: number, to: number): void {
    this.src[to] = this.src[from]!;
    this.dst[to] = this.dst[from]!;
    this.starts[to] = this.starts[from]!;
    this.lastPacket[to] = this.lastPacket[from]!;
    this.times.copyWithin(to * RING, from * RING, from * RING + RING);
    this.dirty[to] = this.dirty[from]!;
    this.port[to] = this.port[from]!;
    this.samePort[to] = this.samePort[from]!;
    this.interval[to] = this.interval[from]!;
    this.jitter[to] = this.jitter[from]!;
  }

  /** The start time `k` starts ago (k = 1: the last one). */
  recent(i: number, k: number): number {
    return this.times[i * RING + ((this.starts[i]! - k) % RING)]!;
  }

  /**
   * Median interval and jitter of row i's recent starts into lastInterval /
   * lastJitter; false when fewer than minCount intervals. The jitter is the
   * 75th percentile of the intervals' absolute deviation from their median,
   * over the median. Allocates nothing.
   */
  measure(i: number, minCount: number): boolean {
    const starts = this.starts[i]!;
    const n = Math.min(starts, RING);
    if (n - 1 < minCount) return false;
    const first = starts - n;
    const t = this.times;
    const o = i * RING;
    const iv = this.scratch;
    for (let k = 1; k < n; k++) iv[k - 1] = t[o + ((first + k) % RING)]! - t[o + ((first + k - 1) % RING)]!;
    const m = n - 1;
    sortPrefix(iv, m);
    const med = iv[m >> 1]!;
    const dev = this.scratchDev;
    for (let k = 0; k < m; k++) dev[k] = Math.abs(iv[k]! - med);
    sortPrefix(dev, m);
    // The 75th percentile, not the median: with the median half the intervals could be anything.
    const spread = dev[Math.floor(m * 0.75)]!;
    this.lastInterval = med;
    this.lastJitter = med > 0 ? spread / med : 1;
    return true;
  }
}

/** Sort a[0..n) ascending in place (insertion sort: n is at most 15 here, and nothing is allocated). */
function sortPrefix(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}
