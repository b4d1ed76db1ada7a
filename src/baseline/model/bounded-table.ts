import { KeyIndex } from './key-index.js';

/**
 * A map from numeric keys (any integer up to 2^53) to entry indexes with a
 * hard size cap. When full, a new key evicts the weakest of a few sampled
 * entries (stale ones first, then the lowest score), so a flood of one-packet
 * sources churns among itself and the heavy, persistent entries (the scanner,
 * the flood target) survive. `evicted` counts what was dropped.
 *
 * Built for the per-packet path, which must not allocate:
 * - the index is open addressing with linear probing in typed arrays (slot ->
 *   entry index + 1, and the full key in the slot, so a lookup never touches
 *   an entry object and never boxes a key the way a `Map<number, …>` does for
 *   keys outside the small-integer range);
 * - key, score and last-seen second are columns (`keys`, `meta`)
 *   indexed by entry index, so eviction reads typed arrays, not
 *   entry objects of eight different shapes;
 * - per-entry detector state is an object per index (`item(i)`), created
 *   while the table grows and reset and reused afterwards.
 *
 * Entry indexes are dense (0 .. size-1) and stable until `prune()`, which
 * moves the last entry into a removed one's place.
 */
export class BoundedTable<E> {
  /**
   * Arguments of the hot methods `findQ()` and `upsertQ()`: the key and the
   * current second (written here, not passed, so they are never boxed).
   */
  readonly q = new Float64Array(2);
  readonly keys: Float64Array;
  /**
   * Per entry i: meta[2i] is its score (importance: the lowest scores are
   * evicted first) and meta[2i + 1] the second it was last seen, side by side
   * so an update or an eviction sample reads one cache line.
   */
  readonly meta: Float64Array;
  private readonly items: E[] = [];
  private n = 0;
  private readonly index: KeyIndex;
  private seed = 0x2545f491;
  evicted = 0;
  inserted = 0;
  /** For detectors that keep per-entry state in their own rows: prune is about to drop entry i. */
  onRemove: ((i: number) => void) | null = null;
  /** ... and moved entry `from` into index `to` (copy the row). */
  onMove: ((from: number, to: number) => void) | null = null;

  constructor(
    readonly capacity: number,
    private readonly create: () => E,
    /** Clear an entry's detector state before it is used for a new key. */
    private readonly reset: (e: E, i: number) => void,
    /** Entries idle longer than this are preferred for eviction. */
    private readonly staleSec: number,
  ) {
    this.keys = new Float64Array(capacity);
    this.meta = new Float64Array(capacity * 2);
    this.index = new KeyIndex(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** The detector state of entry index i (0 <= i < size). */
  item(i: number): E {
    return this.items[i]!;
  }

  /** Index of the entry for key q[0], or -1. */
  findQ(): number {
    const ix = this.index;
    ix.q[0] = this.q[0]!;
    return ix.getQ();
  }

  /**
   * Index of the entry for key q[0], created (possibly evicting another)
   * when missing; q[1] is the current second.
   */
  upsertQ(): number {
    const ix = this.index;
    ix.q[0] = this.q[0]!;
    const i = ix.getQ();
    return i >= 0 ? i : this.insertQ();
  }

  /** Index of key's entry, or -1. */
  find(key: number): number {
    this.q[0] = key;
    return this.findQ();
  }

  /** Index of key's entry, created (possibly evicting another) when missing. */
  upsert(key: number, nowSec: number): number {
    this.q[0] = key;
    this.q[1] = nowSec;
    return this.upsertQ();
  }

  private insertQ(): number {
    this.inserted++;
    const ix = this.index;
    let i: number;
    if (this.n < this.capacity) {
      i = this.n++;
      if (i === this.items.length) this.items.push(this.create());
    } else {
      i = this.pickVictim();
      ix.q[0] = this.keys[i]!;
      ix.deleteQ();
      this.evicted++;
    }
    const key = this.q[0]!;
    ix.q[0] = key;
    ix.setQ(i);
    this.keys[i] = key;
    this.meta[2 * i] = 0;
    this.meta[2 * i + 1] = this.q[1]!;
    this.reset(this.items[i]!, i);
    return i;
  }

  /** The weakest of eight sampled entries at second q[1]: stale ones first, then the lowest score. */
  private pickVictim(): number {
    const nowSec = this.q[1]!;
    const n = this.n;
    const meta = this.meta;
    const stale = this.staleSec;
    let best = -1;
    let bestScore = Infinity;
    let seed = this.seed;
    for (let k = 0; k < 8; k++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const i = (seed >>> 0) % n;
      const sc = nowSec - meta[2 * i + 1]! > stale ? -1 : meta[2 * i]!;
      if (sc < bestScore) {
        bestScore = sc;
        best = i;
      }
    }
    this.seed = seed;
    return best;
  }

  /** Drop entries idle for longer than maxIdleSec (call once in a while, not per packet). */
  prune(nowSec: number, maxIdleSec: number): void {
    for (let i = this.n - 1; i >= 0; i--) {
      if (nowSec - this.meta[2 * i + 1]! <= maxIdleSec) continue;
      this.onRemove?.(i);
      this.index.delete(this.keys[i]!);
      const last = --this.n;
      if (i < last) {
        const k = this.keys[last]!;
        this.keys[i] = k;
        this.meta[2 * i] = this.meta[2 * last]!;
        this.meta[2 * i + 1] = this.meta[2 * last + 1]!;
        const gone = this.items[i]!;
        this.items[i] = this.items[last]!;
        // Keep the removed state object for reuse (it is reset before use).
        this.items[last] = gone;
        this.index.set(k, i);
        this.onMove?.(last, i);
      }
    }
  }

  forEach(fn: (e: E, i: number) => void): void {
    for (let i = 0; i < this.n; i++) fn(this.items[i]!, i);
  }

  /** Entry indexes in table order (allocates: for meters and drivers, not per packet). */
  indexes(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }
}
