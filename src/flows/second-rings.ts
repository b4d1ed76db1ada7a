/**
 * Per-second buckets for a small, dense set of owners (the whole capture,
 * protocol paths): no LRU and no lending, unlike RatePool, so adding is a few
 * array operations. Bucket of second `sec` is sec % seconds.
 */
export class SecondRings {
  private data: Float64Array;
  private last: Float64Array;
  private owners: number;

  constructor(
    readonly series: number,
    readonly seconds: number,
    owners = 1,
  ) {
    this.owners = owners;
    this.data = new Float64Array(owners * series * seconds);
    this.last = new Float64Array(owners).fill(-1);
  }

  /** add() for series 0 and 1 at once (packets and bytes), with a fast path for the current second. */
  add2(owner: number, sec: number, v0: number, v1: number): void {
    if (owner < this.owners && this.last[owner] === sec) {
      const S = this.seconds;
      const b = owner * this.series * S + (sec % S);
      this.data[b]! += v0;
      this.data[b + S]! += v1;
      return;
    }
    this.add(owner, 0, sec, v0);
    this.add(owner, 1, sec, v1);
  }

  add(owner: number, s: number, sec: number, v: number): void {
    if (owner >= this.owners) this.grow(owner + 1);
    const S = this.seconds;
    const base = owner * this.series * S;
    const last = this.last[owner]!;
    if (sec > last) {
      if (last < 0 || sec - last >= S) this.data.fill(0, base, base + this.series * S);
      else {
        for (let t = last + 1; t <= sec; t++) {
          const k = t % S;
          for (let ss = 0; ss < this.series; ss++) this.data[base + ss * S + k] = 0;
        }
      }
      this.last[owner] = sec;
    } else if (last - sec >= S || sec < 0) {
      return;
    }
    this.data[base + s * S + (sec % S)]! += v;
  }

  /** Sum over the whole seconds nowSec-w .. nowSec-1 that are still in the ring. */
  sum(owner: number, s: number, nowSec: number, w: number): number {
    if (owner >= this.owners) return 0;
    const S = this.seconds;
    const last = this.last[owner]!;
    if (last < 0) return 0;
    const base = owner * this.series * S + s * S;
    const from = Math.max(nowSec - w, last - S + 1, 0);
    const to = Math.min(nowSec - 1, last);
    let total = 0;
    for (let t = from; t <= to; t++) total += this.data[base + (t % S)]!;
    return total;
  }

  clear(): void {
    this.data.fill(0);
    this.last.fill(-1);
  }

  private grow(n: number): void {
    let c = Math.max(1, this.owners);
    while (c < n) c *= 2;
    const d = new Float64Array(c * this.series * this.seconds);
    d.set(this.data);
    this.data = d;
    const l = new Float64Array(c).fill(-1);
    l.set(this.last);
    this.last = l;
    this.owners = c;
  }
}
