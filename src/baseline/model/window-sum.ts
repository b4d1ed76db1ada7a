/**
 * Sliding-window sums of counts in fixed time buckets, many in one
 * Float64Array, a row per table slot: the buckets, then the current bucket
 * and its epoch. A row is one or two cache lines and nothing is allocated
 * per entry. Clearing a row only marks it (epoch -1): a slot that is
 * reused many times a second (a table churning at its cap) zeroes its
 * buckets once, when it is next advanced.
 */
export class WindowedSumRows {
  readonly v: Float64Array;
  readonly stride: number;

  constructor(rows: number, readonly buckets: number, readonly bucketSec: number) {
    this.stride = buckets + 2;
    this.v = new Float64Array(rows * this.stride);
    for (let r = 0; r < rows; r++) this.clear(r);
  }

  /** Bring row r forward to second `sec` (call before add()). */
  advanceRow(r: number, sec: number): void {
    const v = this.v;
    const o = r * this.stride;
    const b = this.buckets;
    const epoch = Math.floor(sec / this.bucketSec);
    const curEpoch = v[o + b + 1]!;
    if (curEpoch < 0) {
      // A loop, not fill(): the builtin call costs more than zeroing a few numbers.
      for (let i = o; i <= o + b; i++) v[i] = 0;
      v[o + b + 1] = epoch;
      return;
    }
    if (epoch <= curEpoch) return;
    const steps = Math.min(epoch - curEpoch, b);
    let cur = v[o + b]!;
    for (let i = 0; i < steps; i++) {
      cur = (cur + 1) % b;
      v[o + cur] = 0;
    }
    v[o + b] = cur;
    v[o + b + 1] = epoch;
  }

  add(r: number, n: number): void {
    const o = r * this.stride;
    this.v[o + this.v[o + this.buckets]!]! += n;
  }

  sum(r: number): number {
    const v = this.v;
    const o = r * this.stride;
    if (v[o + this.buckets + 1]! < 0) return 0;
    let s = 0;
    for (let i = 0; i < this.buckets; i++) s += v[o + i]!;
    return s;
  }

  clear(r: number): void {
    this.v[r * this.stride + this.buckets + 1] = -1;
  }

  /** Copy row `from` over row `to` (a table moved an entry). */
  move(from: number, to: number): void {
    this.v.copyWithin(to * this.stride, from * this.stride, (from + 1) * this.stride);
  }
}
