import { LruLists } from './lru-lists.js';
import { indexDelete, indexInsert, indexRebuild } from './open-index.js';
import { endpointHash, pow2AtLeast } from './flow-hash.js';
import { growF64, growI32 } from './grow.js';
import { RatePool } from './rate-pool.js';

export interface HostTableOptions {
  maxHosts?: number;
  rates?: boolean;
  maxRateRings?: number;
  initialCapacity?: number;
}

// Key record: 12 Int32 per slot (what lookup and the LRU touch).
const K = 12;
const K_HASH = 0, K_FAM = 1, K_ADDR = 2, K_PREV = 6, K_NEXT = 7, K_RING = 8;
// Numbers: 8 Float64 per slot. The generation lives here, beside the
// counters, so a flow's cached-host check and the count touch one line.
const N = 8;
const N_PKT = 0, N_BYTES = 2, N_FIRST = 4, N_LAST = 5, N_LRUSEC = 6, N_GEN = 7;

/**
 * Per-address counters (tx = sent by the address, rx = received), bounded:
 * when full the longest-idle host is evicted. Same layout as FlowTable:
 * records in typed arrays, open-addressing index, LRU list by second. A
 * slot's generation changes when it is reused so flows can cache host slots.
 */
export class HostTable {
  readonly maxHosts: number;
  private cap: number;
  private used = 0;
  private freeHead = -1;
  count = 0;
  evicted = 0;

  key: Int32Array;
  num: Float64Array;
  private readonly lru = new LruLists(1, K, K_PREV, K_NEXT);
  private index: Int32Array;
  private mask: number;
  readonly rates: RatePool | null;

  constructor(opts: HostTableOptions = {}) {
    this.maxHosts = Math.max(2, opts.maxHosts ?? 1_000_000);
    this.cap = Math.min(this.maxHosts, opts.initialCapacity ?? 1024);
    this.key = new Int32Array(this.cap * K);
    this.num = new Float64Array(this.cap * N);
    const size = pow2AtLeast(this.cap * 2);
    this.index = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.rates =
      opts.rates === false
        ? null
        : new RatePool(2, opts.maxRateRings ?? 65_536, (slot) => {
            this.key[slot * K + K_RING] = -1;
          });
  }

  get slotLimit(): number {
    return this.used;
  }

  isLive(slot: number): boolean {
    return slot >= 0 && slot < this.used && this.key[slot * K + K_FAM] !== 0;
  }

  fam(s: number): number { return this.key[s * K + K_FAM]!; }
  gen(s: number): number { return this.num[s * N + N_GEN]!; }
  ring(s: number): number { return this.key[s * K + K_RING]!; }
  /** dir 0 = sent (tx), 1 = received (rx). */
  packets(s: number, dir: number): number { return this.num[s * N + N_PKT + dir]!; }
  bytes(s: number, dir: number): number { return this.num[s * N + N_BYTES + dir]!; }
  totalBytes(s: number): number { return this.num[s * N + N_BYTES]! + this.num[s * N + N_BYTES + 1]!; }
  totalPackets(s: number): number { return this.num[s * N + N_PKT]! + this.num[s * N + N_PKT + 1]!; }
  first(s: number): number { return this.num[s * N + N_FIRST]!; }
  last(s: number): number { return this.num[s * N + N_LAST]!; }
  addr(s: number, out: Uint32Array): Uint32Array {
    for (let i = 0; i < 4; i++) out[i] = this.key[s * K + K_ADDR + i]! >>> 0;
    return out;
  }

  /** Slot of an address (created when new); `fam` is 4 or 6; words as int32; time as seconds + nanoseconds. */
  lookup(fam: number, w0: number, w1: number, w2: number, w3: number, tsSec: number, tsNsec: number): number {
    const h = endpointHash(w0, w1, w2, w3, fam);
    const key = this.key;
    let i = h & this.mask;
    for (;;) {
      const c = this.index[i]!;
      if (c < 0) break;
      const k = c * K;
      if (key[k + K_HASH] === h && key[k + K_FAM] === fam && key[k + K_ADDR] === w0 && key[k + K_ADDR + 1] === w1 &&
          key[k + K_ADDR + 2] === w2 && key[k + K_ADDR + 3] === w3) {
        return c;
      }
      i = (i + 1) & this.mask;
    }
    const s = this.allocSlot();
    indexInsert(this.index, this.mask, h, s);
    const kk = this.key;
    const k = s * K;
    kk[k + K_HASH] = h;
    kk[k + K_FAM] = fam;
    kk[k + K_ADDR] = w0; kk[k + K_ADDR + 1] = w1; kk[k + K_ADDR + 2] = w2; kk[k + K_ADDR + 3] = w3;
    const n = s * N;
    const num = this.num;
    num[n] = num[n + 1] = num[n + 2] = num[n + 3] = 0;
    const t = tsSec + tsNsec / 1e9;
    num[n + N_FIRST] = t;
    num[n + N_LAST] = t;
    num[n + N_LRUSEC] = tsSec;
    this.count++;
    return s;
  }

  /**
   * Count what one of its flows gained since the last fold: `d` holds packets
   * a->b, b->a, bytes a->b, b->a and the time of the flow's last packet (see
   * FlowTable.takeDelta), and this host is its side `side` (0 = a, which sends
   * a->b). `sec` is the second the gain is counted in (rates, LRU order).
   */
  addDelta(s: number, d: Float64Array, side: number, sec: number): void {
    const t = d[4]!;
    const num = this.num;
    const n = s * N;
    const rx = side ^ 1;
    num[n + N_PKT]! += d[side]!;
    num[n + N_PKT + 1]! += d[rx]!;
    num[n + N_BYTES]! += d[2 + side]!;
    num[n + N_BYTES + 1]! += d[2 + rx]!;
    if (t > num[n + N_LAST]!) num[n + N_LAST] = t;
    if (num[n + N_LRUSEC] !== sec) {
      num[n + N_LRUSEC] = sec;
      this.lru.moveToFront(this.key, s, 0, 0);
    }
    const rates = this.rates;
    if (rates !== null) {
      let r = this.key[s * K + K_RING]!;
      if (r < 0) r = this.key[s * K + K_RING] = rates.alloc(s, sec);
      rates.addFrom(r, sec, d, 2 + side, 2 + rx);
    }
  }

  clear(): void {
    const key = this.key;
    const num = this.num;
    for (let s = 0; s < this.used; s++) {
      const k = s * K;
      const n = s * N;
      const g = key[k + K_FAM] !== 0 ? (num[n + N_GEN]! + 1) | 0 : num[n + N_GEN]!;
      key.fill(0, k, k + K);
      key[k + K_RING] = -1;
      num.fill(0, n, n + N);
      num[n + N_GEN] = g;
    }
    this.index.fill(-1);
    this.rates?.clear();
    this.used = 0;
    this.freeHead = -1;
    this.lru.clear();
    this.count = 0;
  }

  private allocSlot(): number {
    if (this.count >= this.maxHosts) {
      this.remove(this.lru.tails[0]!);
      this.evicted++;
    }
    let s: number;
    if (this.freeHead >= 0) {
      s = this.freeHead;
      this.freeHead = this.key[s * K + K_NEXT]!;
    } else {
      if (this.used >= this.cap) this.grow();
      s = this.used++;
      this.key[s * K + K_RING] = -1;
    }
    this.lru.pushFront(this.key, s, 0);
    return s;
  }

  private remove(slot: number): void {
    const key = this.key;
    indexDelete(this.index, this.mask, slot, key, K);
    this.lru.unlink(key, slot, 0);
    const r = key[slot * K + K_RING]!;
    if (r >= 0 && this.rates) this.rates.release(r);
    key[slot * K + K_RING] = -1;
    key[slot * K + K_FAM] = 0;
    this.num[slot * N + N_GEN] = (this.num[slot * N + N_GEN]! + 1) | 0;
    key[slot * K + K_NEXT] = this.freeHead;
    this.freeHead = slot;
    this.count--;
  }

  /**
   * Make room for `n` hosts at once: a first fold of a large flow table (a report)
   * otherwise doubles the table five or six times, rebuilding the index each time.
   */
  reserve(n: number): void {
    const c = Math.min(n, this.maxHosts);
    if (c > this.cap) this.grow(c);
  }

  private grow(c = Math.min(this.cap * 2, this.maxHosts)): void {
    this.key = growI32(this.key, c * K);
    this.num = growF64(this.num, c * N);
    this.cap = c;
    const size = pow2AtLeast(c * 2);
    if (size !== this.index.length) {
      this.index = indexRebuild(size, this.key, K, this.used, (x) => this.key[x * K + K_FAM] !== 0);
      this.mask = size - 1;
    }
  }
}
