/**
 * Keep the K best ids by (primary, secondary) descending, ties broken by the
 * smaller id, with a binary min-heap over typed arrays: O(n log K) for the
 * whole table instead of sorting a million flows per snapshot.
 */
export class TopK {
  private ids: Int32Array;
  private k1: Float64Array;
  private k2: Float64Array;
  private n = 0;
  private cap: number;

  constructor(private kk: number) {
    this.cap = Math.max(1, kk);
    this.ids = new Int32Array(this.cap);
    this.k1 = new Float64Array(this.cap);
    this.k2 = new Float64Array(this.cap);
  }

  get k(): number {
    return this.kk;
  }

  get size(): number {
    return this.n;
  }

  get isFull(): boolean {
    return this.n >= this.kk;
  }

  /**
   * The primary key of the worst kept entry once full (-Infinity before):
   * anything with a smaller primary key cannot get in, so a caller can skip
   * computing it exactly when a cheap upper bound is already below this.
   */
  get floor(): number {
    return this.n >= this.kk && this.n > 0 ? this.k1[0]! : -Infinity;
  }

  /** Empty it for another round with `k` places, keeping the buffers when they are big enough. */
  reset(k: number): this {
    this.kk = k;
    this.n = 0;
    if (k > this.cap) {
      this.cap = k;
      this.ids = new Int32Array(k);
      this.k1 = new Float64Array(k);
      this.k2 = new Float64Array(k);
    }
    return this;
  }

  /** Is (a1, a2, ida) worse than (b1, b2, idb)? */
  private static worse(a1: number, a2: number, ida: number, b1: number, b2: number, idb: number): boolean {
    if (a1 !== b1) return a1 < b1;
    if (a2 !== b2) return a2 < b2;
    return ida > idb;
  }

  push(id: number, p: number, s: number): void {
    if (this.kk <= 0) return;
    if (this.n < this.kk) {
      let i = this.n++;
      this.ids[i] = id;
      this.k1[i] = p;
      this.k2[i] = s;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!TopK.worse(this.k1[i]!, this.k2[i]!, this.ids[i]!, this.k1[parent]!, this.k2[parent]!, this.ids[parent]!)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    if (!TopK.worse(this.k1[0]!, this.k2[0]!, this.ids[0]!, p, s, id)) return;
    this.ids[0] = id;
    this.k1[0] = p;
    this.k2[0] = s;
    this.siftDown(0, this.n);
  }

  /**
   * The kept ids, best first. Sorts the heap in place (a sorted array is still
   * a valid heap, so pushing afterwards works), with no comparator closure.
   */
  result(): number[] {
    const n = this.n;
    // Heap sort: move the worst to the end, repeatedly; the array ends up best first.
    for (let end = n - 1; end > 0; end--) {
      this.swap(0, end);
      this.siftDown(0, end);
    }
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.ids[i]!;
    // Best first is not a min-heap: put the worst back on top so the heap stays usable.
    this.reverse(n);
    return out;
  }

  private reverse(n: number): void {
    for (let i = 0, j = n - 1; i < j; i++, j--) this.swap(i, j);
  }

  private siftDown(start: number, n: number): void {
    let i = start;
    for (;;) {
      const l = i * 2 + 1;
      const r = l + 1;
      let m = i;
      if (l < n && TopK.worse(this.k1[l]!, this.k2[l]!, this.ids[l]!, this.k1[m]!, this.k2[m]!, this.ids[m]!)) m = l;
      if (r < n && TopK.worse(this.k1[r]!, this.k2[r]!, this.ids[r]!, this.k1[m]!, this.k2[m]!, this.ids[m]!)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a]!, x = this.k1[a]!, y = this.k2[a]!;
    this.ids[a] = this.ids[b]!;
    this.k1[a] = this.k1[b]!;
    this.k2[a] = this.k2[b]!;
    this.ids[b] = id;
    this.k1[b] = x;
    this.k2[b] = y;
  }
}

/** Ids sorted best first; `k` <= 0 means all. */
export function topIds(count: number, k: number, visit: (push: (id: number, p: number, s: number) => void) => void): number[] {
  const heap = new TopK(k > 0 ? k : Math.max(1, count));
  visit((id, p, s) => heap.push(id, p, s));
  return heap.result();
}
