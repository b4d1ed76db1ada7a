/** What a table entry must carry for eviction decisions. */
export interface TableEntry {
  key: number;
  /** Importance: entries with the lowest score are evicted first. */
  score: number;
  lastSec: number;
}

/**
 * A map from numeric keys to entries with a hard size cap. When full, a new
 * key evicts the weakest of a few sampled entries (stale ones first, then the
 * lowest score), so a flood of one-packet sources churns among itself and the
 * heavy, persistent entries (the scanner, the flood target) survive. Evicted
 * entry objects are reset and reused: a flood allocates nothing once the
 * table is full. `evicted` counts what was dropped.
 */
export class BoundedTable<E extends TableEntry> {
  private readonly index = new Map<number, number>();
  private readonly entries: E[] = [];
  private seed = 0x2545f491;
  evicted = 0;
  inserted = 0;

  constructor(
    readonly capacity: number,
    private readonly create: () => E,
    private readonly reset: (e: E, key: number) => void,
    /** Entries idle longer than this are preferred for eviction. */
    private readonly staleSec: number,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  get(key: number): E | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.entries[i];
  }

  /** The entry for key, created (possibly evicting another) when missing. */
  upsert(key: number, nowSec: number): E {
    const i = this.index.get(key);
    if (i !== undefined) return this.entries[i]!;
    this.inserted++;
    let e: E;
    if (this.entries.length < this.capacity) {
      e = this.create();
      this.reset(e, key);
      this.index.set(key, this.entries.length);
      this.entries.push(e);
    } else {
      const victim = this.pickVictim(nowSec);
      e = this.entries[victim]!;
      this.index.delete(e.key);
      this.evicted++;
      this.reset(e, key);
      this.index.set(key, victim);
    }
    e.lastSec = nowSec;
    return e;
  }

  private pickVictim(nowSec: number): number {
    const n = this.entries.length;
    let best = -1;
    let bestScore = Infinity;
    for (let k = 0; k < 8; k++) {
      this.seed ^= this.seed << 13;
      this.seed ^= this.seed >>> 17;
      this.seed ^= this.seed << 5;
      const i = (this.seed >>> 0) % n;
      const e = this.entries[i]!;
      const s = nowSec - e.lastSec > this.staleSec ? -1 : e.score;
      if (s < bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return best;
  }

  /** Drop entries idle for longer than maxIdleSec (call once in a while, not per packet). */
  prune(nowSec: number, maxIdleSec: number): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (nowSec - e.lastSec <= maxIdleSec) continue;
      this.index.delete(e.key);
      const last = this.entries.pop()!;
      if (i < this.entries.length) {
        this.entries[i] = last;
        this.index.set(last.key, i);
      }
    }
  }

  forEach(fn: (e: E) => void): void {
    for (let i = 0; i < this.entries.length; i++) fn(this.entries[i]!);
  }

  values(): readonly E[] {
    return this.entries;
  }
}
