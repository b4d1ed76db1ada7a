/** Entries per bucket: one bucket's keys are 64 bytes, and a full bucket's weakest entry is the one evicted. */
const WAYS = 8;

/**
 * A map from numeric keys (any number but NaN) to entry slots with a hard
 * size cap, for the per-packet path: it allocates nothing and every
 * operation is O(1).
 *
 * Set-associative: a key hashes to one bucket of eight slots and lives in
 * one of them. A new key in a full bucket evicts the bucket's weakest entry
 * (stale ones first, then the lowest score): the bucket is the "few sampled
 * entries" of a sampled-eviction cache, found without a random walk, a
 * separate index or a delete. A flood of one-packet sources churns among the
 * weak slots while the heavy, persistent entries (the scanner, the flood
 * target) survive. `evicted` counts what was dropped.
 *
 * - `keys[s]` is slot s's key (NaN when empty); a bucket's occupied slots are
 *   a prefix of it, so a lookup stops at the first empty slot;
 * - `meta` holds `stride` numbers per slot: meta[stride*s] is the score
 *   (importance: the lowest is evicted first), meta[stride*s + 1] the second
 *   it was last seen, then `extra` numbers of the detector's own (per-second
 *   accumulators), so the per-packet update touches one cache line;
 * - per-entry detector state is an object per slot (`item(s)`), created the
 *   first time the slot is used and reset and reused afterwards.
 *
 * Slots are stable until `prune()`, which may move an entry within its bucket
 * (reported through `onMove`). Iterate with `for (s < slots) if (has(s))`.
 */
export class BoundedTable<E> {
  /**
   * Arguments of the hot methods `findQ()` and `upsertQ()`: the key and the
   * current second (written here, not passed, so they are never boxed).
   */
  readonly q = new Float64Array(2);
  readonly keys: Float64Array;
  readonly meta: Float64Array;
  /** Numbers per slot in `meta`: score, last seen, then the extras. */
  readonly stride: number;
  /** Number of slots (capacity rounded up to a power of two of buckets; at most `capacity` are used). */
  readonly slots: number;
  private readonly bucketMask: number;
  private readonly items: (E | undefined)[];
  private n = 0;
  evicted = 0;
  inserted = 0;
  /** For detectors that keep per-entry state in their own rows: entry s is about to be dropped (pruned or evicted). */
  onRemove: ((s: number) => void) | null = null;
  /** ... and prune moved entry `from` into slot `to` (copy the row). */
  onMove: ((from: number, to: number) => void) | null = null;

  readonly capacity: number;

  constructor(
    capacity: number,
    private readonly create: () => E,
    /** Clear an entry's detector state before it is used for a new key. */
    private readonly reset: (e: E, s: number) => void,
    /** Entries idle longer than this are preferred for eviction. */
    private readonly staleSec: number,
    /** Numbers of the detector's own per slot in `meta`, after score and last seen. */
    extra = 0,
  ) {
    // A table holds at least one entry (a new key always finds a place).
    this.capacity = Math.max(1, capacity);
    let buckets = 1;
    while (buckets * WAYS < this.capacity) buckets *= 2;
    this.bucketMask = buckets - 1;
    this.slots = buckets * WAYS;
    this.stride = 2 + extra;
    this.keys = new Float64Array(this.slots).fill(NaN);
    this.meta = new Float64Array(this.slots * this.stride);
    this.items = new Array<E | undefined>(this.slots).fill(undefined);
  }

  get size(): number {
    return this.n;
  }

  /** Is slot s in use? */
  has(s: number): boolean {
    const k = this.keys[s]!;
    return k === k;
  }

  /** The detector state of slot s (in use). */
  item(s: number): E {
    let e = this.items[s];
    if (e === undefined) this.items[s] = e = this.create();
    return e;
  }

  /** Slot of the entry for key q[0], or -1. */
  findQ(): number {
    const key = this.q[0]!;
    const keys = this.keys;
    const b = (bucketHash(key) & this.bucketMask) * WAYS;
    for (let s = b; s < b + WAYS; s++) {
      const k = keys[s]!;
      if (k === key) return s;
      if (k !== k) return -1;
    }
    return -1;
  }

  /**
   * Slot of the entry for key q[0], created (possibly evicting another)
   * when missing; q[1] is the current second.
   */
  upsertQ(): number {
    const key = this.q[0]!;
    const keys = this.keys;
    const b = (bucketHash(key) & this.bucketMask) * WAYS;
    let s = b;
    for (; s < b + WAYS; s++) {
      const k = keys[s]!;
      if (k === key) return s;
      if (k !== k) break;
    }
    return this.insertQ(b, s);
  }

  /** Slot of key's entry, or -1. */
  find(key: number): number {
    this.q[0] = key;
    return this.findQ();
  }

  /** Slot of key's entry, created (possibly evicting another) when missing. */
  upsert(key: number, nowSec: number): number {
    this.q[0] = key;
    this.q[1] = nowSec;
    return this.upsertQ();
  }

  /** Insert q[0] into bucket b, whose first empty slot is `free` (b + WAYS when full). */
  private insertQ(b: number, free: number): number {
    this.inserted++;
    let s = free;
    if (s < b + WAYS && this.n < this.capacity) this.n++;
    else if (s < b + WAYS && s === b) s = this.evictElsewhere(b);
    else {
      // The bucket is full (or the table is, and this bucket has entries): replace its weakest.
      s = this.weakest(b, s);
      this.onRemove?.(s);
      this.evicted++;
    }
    const m = this.stride * s;
    this.keys[s] = this.q[0]!;
    // A loop, not fill(): the builtin call costs more than zeroing a few numbers (this runs on every eviction).
    const meta = this.meta;
    meta[m] = 0;
    meta[m + 1] = this.q[1]!;
    for (let j = m + 2; j < m + this.stride; j++) meta[j] = 0;
    this.reset(this.item(s), s);
    return s;
  }

  /** The weakest of slots b .. end-1 at second q[1]: stale ones first, then the lowest score. */
  private weakest(b: number, end: number): number {
    const nowSec = this.q[1]!;
    const meta = this.meta;
    const st = this.stride;
    const stale = this.staleSec;
    let best = b;
    let bestScore = Infinity;
    for (let s = b; s < end; s++) {
      const sc = nowSec - meta[st * s + 1]! > stale ? -1 : meta[st * s]!;
      if (sc < bestScore) {
        bestScore = sc;
        best = s;
      }
    }
    return best;
  }

  /**
   * Only when the capacity is not a power of two of buckets: the table is at
   * capacity but bucket b is empty. Drop the weakest entry of the next
   * bucket that has one, and use b's first slot.
   */
  private evictElsewhere(b: number): number {
    let o = b;
    do o = (o + WAYS) % this.slots;
    while (!this.has(o));
    let end = o;
    while (end < o + WAYS && this.has(end)) end++;
    this.removeAt(o, this.weakest(o, end));
    this.n++;
    this.evicted++;
    return b;
  }

  /** Remove slot s of the bucket starting at b, keeping the bucket's entries a prefix. */
  private removeAt(b: number, s: number): void {
    this.onRemove?.(s);
    let last = s;
    while (last + 1 < b + WAYS && this.has(last + 1)) last++;
    if (last !== s) {
      const st = this.stride;
      this.keys[s] = this.keys[last]!;
      this.meta.copyWithin(st * s, st * last, st * last + st);
      const gone = this.items[s];
      // Keep the removed state object for reuse (it is reset before use).
      this.items[s] = this.items[last];
      this.items[last] = gone;
      this.onMove?.(last, s);
    }
    this.keys[last] = NaN;
    this.n--;
  }

  /** Drop entries idle for longer than maxIdleSec (call once in a while, not per packet). */
  prune(nowSec: number, maxIdleSec: number): void {
    const st = this.stride;
    for (let b = 0; b < this.slots; b += WAYS) {
      // From the end of the bucket, so an entry moved into a hole was already kept.
      for (let s = b + WAYS - 1; s >= b; s--) {
        if (this.has(s) && nowSec - this.meta[st * s + 1]! > maxIdleSec) this.removeAt(b, s);
      }
    }
  }

  forEach(fn: (e: E, s: number) => void): void {
    for (let s = 0; s < this.slots; s++) if (this.has(s)) fn(this.item(s), s);
  }

  /** Slots in use (allocates: for meters and drivers, not per packet). */
  indexes(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.slots; s++) if (this.has(s)) out.push(s);
    return out;
  }
}

/** A mix of a key's low and high words (IPv4 keys have no high word); its low bits pick the bucket. */
function bucketHash(key: number): number {
  const lo = key >>> 0;
  const hi = key >= 4294967296 || key < 0 ? (key / 4294967296) | 0 : 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
