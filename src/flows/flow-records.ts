/**
 * The flow records and how to read them; FlowTable (flow-table.ts) keeps them.
 * Layout: see the constants and src/flows/README.md.
 */
// Key record: 16 Int32 per slot (one cache line), everything a lookup and the
// LRU update touch. Why records and not one array per field: with 100k+ flows
// each packet hits a cold slot; one line per record instead of one per
// field is what made the hot path fast enough (see README.md here).
export const K = 16;
// K_VLANS packs both VLAN ids (+1, 13 bits each) so the TCP state word (K_TCP:
// state bits, and bit 8 = on the open-TCP list) fits the same line.
export const K_HASH = 0, K_META = 1, K_VLANS = 2, K_TCP = 3, K_APORT = 4, K_BPORT = 5, K_A = 6, K_B = 10, K_PREV = 14, K_NEXT = 15;
// Aux record: 8 Int32 per slot.
export const X = 8;
export const X_APP = 1, X_PORTKEY = 2, X_HOSTA = 3, X_HOSTB = 4, X_HOSTAGEN = 5, X_HOSTBGEN = 6, X_RING = 7;
// Numbers: 8 Float64 per slot.
export const N = 8;
// N_DIRTY: 0, or 1 + the slot's position in the dirty list (counted since the last fold).
export const N_PKT = 0, N_BYTES = 2, N_FIRST = 4, N_LAST = 5, N_LRUSEC = 6, N_DIRTY = 7;
// Folded record: 4 Float64 per slot, what takeDelta() already handed out (packets a->b, b->a, bytes a->b, b->a).
export const F = 4;


export abstract class FlowRecords {
  protected cap: number;
  protected used = 0;
  /** Key records (see K_*). */
  key: Int32Array;
  /** Per-flow state for the engine (see X_*). */
  aux: Int32Array;
  /** Counters and times (see N_*). */
  num: Float64Array;
  /** Generation of each slot; changes when the slot is freed. */
  gen: Uint32Array;
  /** Why each slot was last freed (a RemoveReason; 0 never). */
  protected why: Uint8Array;

  protected constructor(capacity: number) {
    this.cap = capacity;
    this.key = new Int32Array(capacity * K);
    this.aux = new Int32Array(capacity * X);
    this.num = new Float64Array(capacity * N);
    this.gen = new Uint32Array(capacity);
    this.why = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.cap;
  }

  /** Upper bound of slot numbers in use (iterate 0..slotLimit and check isLive). */
  get slotLimit(): number {
    return this.used;
  }

  /** Is `slot` a live flow? */
  isLive(slot: number): boolean {
    return slot >= 0 && slot < this.used && this.key[slot * K + K_META] !== 0;
  }

  /**
   * Why flow (slot, gen) was freed: a RemoveReason, or 0 when that is no longer
   * known (the slot was freed again since) or the flow never existed or is live.
   */
  removedReason(slot: number, gen: number): number {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.cap) return 0;
    return ((gen + 1) >>> 0) === this.gen[slot] ? this.why[slot]! : 0;
  }

  // ---- reading a flow (snapshot/report time) ----
  fam(s: number): number { return this.key[s * K + K_META]! & 0xff; }
  proto(s: number): number { return (this.key[s * K + K_META]! >>> 8) - 1; }
  vlan(s: number): number { return (this.key[s * K + K_VLANS]! & 0x1fff) - 1; }
  vlan2(s: number): number { return (this.key[s * K + K_VLANS]! >>> 13) - 1; }
  aPort(s: number): number { return this.key[s * K + K_APORT]!; }
  bPort(s: number): number { return this.key[s * K + K_BPORT]!; }
  /** Address words of side a (0) or b (1) copied into `out` (four words). */
  addr(s: number, side: number, out: Uint32Array): Uint32Array {
    const o = s * K + (side === 0 ? K_A : K_B);
    for (let i = 0; i < 4; i++) out[i] = this.key[o + i]! >>> 0;
    return out;
  }
  /** Where the four address words of side a (0) or b (1) start in `key`. */
  addrOffset(s: number, side: number): number { return s * K + (side === 0 ? K_A : K_B); }
  packets(s: number, dir: number): number { return this.num[s * N + N_PKT + dir]!; }
  bytes(s: number, dir: number): number { return this.num[s * N + N_BYTES + dir]!; }
  totalBytes(s: number): number { return this.num[s * N + N_BYTES]! + this.num[s * N + N_BYTES + 1]!; }
  totalPackets(s: number): number { return this.num[s * N + N_PKT]! + this.num[s * N + N_PKT + 1]!; }
  first(s: number): number { return this.num[s * N + N_FIRST]!; }
  last(s: number): number { return this.num[s * N + N_LAST]!; }
  tcp(s: number): number { return this.key[s * K + K_TCP]! & 0xff; }
  protected listOf(s: number): number { return (this.key[s * K + K_TCP]! >> 8) & 1; }
  appProto(s: number): number { return this.aux[s * X + X_APP]!; }
  portKey(s: number): number { return this.aux[s * X + X_PORTKEY]!; }
  setPortKey(s: number, k: number): void { this.aux[s * X + X_PORTKEY] = k; }
  ring(s: number): number { return this.aux[s * X + X_RING]!; }

  /** Cached host-table slot of side a (0) or b (1), or -1; valid while hostGen() matches the host's gen. */
  host(s: number, side: number): number {
    return this.aux[s * X + X_HOSTA + side]!;
  }
  hostGen(s: number, side: number): number {
    return this.aux[s * X + X_HOSTAGEN + side]!;
  }
  setHost(s: number, side: number, h: number, gen: number): void {
    this.aux[s * X + X_HOSTA + side] = h;
    this.aux[s * X + X_HOSTAGEN + side] = gen;
  }
}
