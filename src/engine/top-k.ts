/**
 * Keep the K best ids by (primary, secondary) descending, ties broken by the
 * smaller id, with a binary min-heap over typed arrays: O(n log K) for the
 * whole table instead of sorting a million flows per snapshot.
 */
export class TopK {
  private readonly ids: Int32Array;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private n = 0;

  constructor(readonly k: number) {
    this.ids = new Int32Array(Math.max(1, k));
    this.k1 = new Float64Array(Math.max(1, k));
    this.k2 = new Float64Array(Math.max(1, k));
  }

  get size(): number {
    return this.n;
  }

  get isFull(): boolean {
    return this.n >= this.k;
  }

  /** Is (a1, a2, ida) worse than (b1, b2, idb)? */
  private static worse(a1: number, a2: number, ida: number, b1: number, b2: number, idb: number): boolean {
    if (a1 !== b1) return a1 < b1;
    if (a2 !== b2) return a2 < b2;
    return ida > idb;
  }

  push(id: number, p: number, s: number): void {
    if (this.k <= 0) return;
    if (this.n < this.k) {
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
    let i = 0;
    for (;;) {
      const l = i * 2 + 1;
      const r = l + 1;
      let m = i;
      if (l < this.n && TopK.worse(this.k1[l]!, this.k2[l]!, this.ids[l]!, this.k1[m]!, this.k2[m]!, this.ids[m]!)) m = l;
      if (r < this.n && TopK.worse(this.k1[r]!, this.k2[r]!, this.ids[r]!, this.k1[m]!, this.k2[m]!, this.ids[m]!)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  /** The kept ids, best first. */
  result(): number[] {
    const order: number[] = [];
    for (let i = 0; i < this.n; i++) order.push(i);
    order.sort((a, b) =>
      TopK.worse(this.k1[a]!, this.k2[a]!, this.ids[a]!, this.k1[b]!, this.k2[b]!, this.ids[b]!) ? 1 : -1,
    );
    return order.map((i) => this.ids[i]!);
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
