/**
 * Doubly linked LRU lists threaded through a table's Int32 key records: each
 * record holds its prev and next slot at fixed word offsets, so moving a slot
 * touches the record a lookup already loaded. Most recent first; -1 ends a list.
 * FlowTable keeps two lists (see there), HostTable one.
 */
export class LruLists {
  readonly heads: Int32Array;
  readonly tails: Int32Array;

  constructor(
    lists: number,
    private readonly stride: number,
    private readonly prevAt: number,
    private readonly nextAt: number,
  ) {
    this.heads = new Int32Array(lists).fill(-1);
    this.tails = new Int32Array(lists).fill(-1);
  }

  unlink(key: Int32Array, s: number, list: number): void {
    const st = this.stride;
    const p = key[s * st + this.prevAt]!;
    const n = key[s * st + this.nextAt]!;
    if (p >= 0) key[p * st + this.nextAt] = n;
    else this.heads[list] = n;
    if (n >= 0) key[n * st + this.prevAt] = p;
    else this.tails[list] = p;
  }

  pushFront(key: Int32Array, s: number, list: number): void {
    const st = this.stride;
    const head = this.heads[list]!;
    key[s * st + this.prevAt] = -1;
    key[s * st + this.nextAt] = head;
    if (head >= 0) key[head * st + this.prevAt] = s;
    this.heads[list] = s;
    if (this.tails[list]! < 0) this.tails[list] = s;
  }

  /** Move `s` (already on `from`) to the front of `to`. */
  moveToFront(key: Int32Array, s: number, from: number, to: number): void {
    if (from === to && this.heads[to] === s) return;
    this.unlink(key, s, from);
    this.pushFront(key, s, to);
  }

  clear(): void {
    this.heads.fill(-1);
    this.tails.fill(-1);
  }
}
