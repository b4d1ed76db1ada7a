/**
 * An index from numeric keys (integers up to 2^53, possibly negative) to
 * small non-negative integers, for the per-packet path: open addressing with
 * linear probing in typed arrays, the full key kept in its slot (a lookup
 * compares keys, so distinct keys never collide), backward-shift deletion
 * (no tombstones). The caller keeps the number of keys at or under `maxKeys`.
 *
 * Nothing is allocated after construction. A `Map<number, …>` boxes every
 * key outside the small-integer range (IPv4 addresses above 64.0.0.0, IPv6
 * and pair keys); so would passing such a key as an argument to a function
 * V8 does not inline. The hot methods therefore take the key from `q[0]`
 * (a Float64Array slot), and `get(key)` / `set(key, v)` / `delete(key)` are
 * conveniences that write it there first.
 */
export class KeyIndex {
  /** The key the q-methods work on. */
  readonly q = new Float64Array(1);
  /** Slot s is t[2s] (the key) and t[2s + 1] (value + 1, 0 when empty): one cache line per probe. */
  private readonly t: Float64Array;
  private readonly mask: number;

  constructor(maxKeys: number) {
    let slots = 16;
    while (slots < maxKeys * 2) slots *= 2;
    this.t = new Float64Array(slots * 2);
    this.mask = slots - 1;
  }

  /** The value stored for q[0], or -1. */
  getQ(): number {
    return this.t[2 * this.slotOfQ() + 1]! - 1;
  }

  /** Store value (>= 0) for q[0], replacing any previous value. */
  setQ(value: number): void {
    const s = this.slotOfQ();
    this.t[2 * s] = this.q[0]!;
    this.t[2 * s + 1] = value + 1;
  }

  /** Remove q[0]. */
  deleteQ(): void {
    const t = this.t;
    const mask = this.mask;
    let hole = this.slotOfQ();
    if (t[2 * hole + 1] === 0) return;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      if (t[2 * j + 1] === 0) break;
      const home = slotHash(t[2 * j]!) & mask;
      // The key at j may move into the hole unless its home lies cyclically in (hole, j].
      if (hole <= j ? home > hole && home <= j : home > hole || home <= j) continue;
      t[2 * hole] = t[2 * j]!;
      t[2 * hole + 1] = t[2 * j + 1]!;
      hole = j;
    }
    t[2 * hole + 1] = 0;
  }

  get(key: number): number {
    this.q[0] = key;
    return this.getQ();
  }

  set(key: number, value: number): void {
    this.q[0] = key;
    this.setQ(value);
  }

  delete(key: number): void {
    this.q[0] = key;
    this.deleteQ();
  }

  /** The probe position of q[0]: its slot, or the empty slot where it would go. */
  private slotOfQ(): number {
    const key = this.q[0]!;
    const t = this.t;
    const mask = this.mask;
    let s = slotHash(key) & mask;
    while (t[2 * s + 1] !== 0 && t[2 * s] !== key) s = (s + 1) & mask;
    return s;
  }
}

/** Mix a key into 32 bits (low word, and the high word of keys above 2^32). */
function slotHash(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) | 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}
