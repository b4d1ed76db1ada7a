import { L3, type DecodedPacket } from '../decode/packet.js';
import { LruLists } from './lru-lists.js';
import { indexDelete, indexInsert, indexRebuild } from './open-index.js';
import { pow2AtLeast } from './flow-hash.js';
import { probeFlow } from './flow-probe.js';
import {
  F, FlowRecords, K, K_B, K_HASH, K_META, K_NEXT, K_PREV, K_TCP,
  N, N_BYTES, N_DIRTY, N_FIRST, N_LAST, N_LRUSEC, N_PKT, X, X_APP, X_HOSTA, X_HOSTB, X_PORTKEY, X_RING,
} from './flow-records.js';
import { growF64, growI32, growU32, growU8 } from './grow.js';
import { RatePool } from './rate-pool.js';
import { tcpIsClosed, tcpNext } from './tcp-state.js';

export interface FlowTableOptions {
  /** Most flows held at once; when full the longest-idle flow is evicted. */
  maxFlows?: number;
  /** Keep per-second rate rings (off for `report`, which needs totals only). */
  rates?: boolean;
  /** Most flows with a rate ring at once (see RatePool). */
  maxRateRings?: number;
  /** Initial slot capacity (grows by doubling up to maxFlows). */
  initialCapacity?: number;
  /** Called before a slot is freed, with why (a RemoveReason). */
  onRemove?: (slot: number, reason: number) => void;
  /**
   * Order flows by activity only once it is needed: when the table first
   * fills up (eviction) or expireBefore() is first called. `report`, which
   * neither expires nor (below --max-flows) evicts, then never pays for it.
   */
  lazyOrder?: boolean;
}

/** Why a flow slot was freed (the second argument of onRemove). */
export const RemoveReason = {
  /** The table was full and this was the longest-idle flow. */
  Evicted: 1,
  /** Idle longer than its timeout. */
  Expired: 2,
  /** clear(): everything went (the display filter changed). */
  Cleared: 3,
} as const;

const TCP = 6;

/**
 * Bidirectional flows keyed by (IP protocol, VLAN ids, addresses, ports).
 * Storage is records in typed arrays indexed by slot; an open-addressing index
 * (linear probing, backward-shift deletion) maps key hashes to slots; two LRU
 * lists (open TCP connections, everything else) order slots by activity for
 * eviction (the longer-idle of the two tails) and expiry (a timeout per list).
 * track() allocates nothing unless the arrays have to grow.
 *
 * The LRU lists are ordered by the *second* of each flow's last packet: a flow
 * moves to the front at most once per second of packet time, which keeps hot
 * flows from touching their neighbours' records on every packet.
 *
 * Side `a` is the sender of the first packet seen. Direction 0 is a->b.
 */
export class FlowTable extends FlowRecords {
  readonly maxFlows: number;
  private freeHead = -1;
  count = 0;
  evicted = 0;
  expired = 0;
  /** Total flows ever created. */
  created = 0;

  /** Counters already handed to takeDelta() (see F). */
  private folded: Float64Array;
  /**
   * Slots counted since the last fold, in the order first touched; -1 where a
   * slot was folded early (removed). The engine walks it once per second.
   */
  dirty: Int32Array;
  dirtyLen = 0;
  /**
   * Two LRU lists, most recent first: 0 holds closed TCP and non-TCP flows,
   * 1 holds open TCP connections, so each can have its own idle timeout.
   * A flow's list is bit 8 of its K_TCP word.
   */
  private readonly lru = new LruLists(2, K, K_PREV, K_NEXT);
  /** Are the LRU lists kept? (false until needed with lazyOrder) */
  private ordered: boolean;
  private readonly lazyOrder: boolean;

  private index: Int32Array;
  private mask: number;

  readonly rates: RatePool | null;
  private readonly onRemove: ((slot: number, reason: number) => void) | undefined;

  /** Set by track(): direction of the packet (0 a->b, 1 b->a) and whether the flow is new. */
  dir = 0;
  isNew = false;

  constructor(opts: FlowTableOptions = {}) {
    const maxFlows = Math.max(1, opts.maxFlows ?? 1_000_000);
    super(Math.min(maxFlows, opts.initialCapacity ?? 4096));
    this.maxFlows = maxFlows;
    const c = this.cap;
    this.folded = new Float64Array(c * F);
    this.dirty = new Int32Array(c);
    const size = pow2AtLeast(c * 2);
    this.index = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.onRemove = opts.onRemove;
    this.lazyOrder = opts.lazyOrder === true;
    this.ordered = !this.lazyOrder;
    this.rates =
      opts.rates === false
        ? null
        : new RatePool(2, opts.maxRateRings ?? 65_536, (slot) => {
            this.aux[slot * X + X_RING] = -1;
          });
  }

  /**
   * The slot of the packet's flow without counting it, or -1 (not held, or no IP layer); sets
   * `dir`. The engine calls it before its classify hook (per-flow state there is kept by slot);
   * the next track() reuses this lookup, unless dropFind() says the packet is not counted.
   */
  find(p: DecodedPacket): number {
    const slot = this.lookup(p);
    this.found = true;
    this.foundSlot = slot;
    return slot;
  }

  /** The packet find() looked up is not counted: the next track() looks its own packet up. */
  dropFind(): void {
    this.found = false;
  }

  /** find()'s result for the next track(). */
  private found = false;
  private foundSlot = -1;
  /** Key of the last lookup that missed (hash, meta, vlans, ports, address words): what a new slot gets. */
  private readonly missKey = new Int32Array(K_B + 4);

  /** Hash and probe: the slot (setting `dir`), or -1 with the key in missKey. */
  private lookup(p: DecodedPacket): number {
    const r = probeFlow(p, this.key, this.index, this.mask, this.missKey);
    if (r === -1) return -1;
    this.dir = r & 1;
    return r >> 1;
  }

  /**
   * Find or create the flow of an IP packet and count it. Returns the slot,
   * or -1 when the packet has no IP layer. Time comes from the packet: a
   * double argument would be boxed on every call.
   */
  track(p: DecodedPacket): number {
    const found = this.found;
    this.found = false;
    const l3 = p.l3;
    if (l3 !== L3.IPv4 && l3 !== L3.IPv6) return -1;
    let slot = found ? this.foundSlot : this.lookup(p);
    const dir = this.dir;
    const proto = p.ipProto;
    const sec = p.tsSec;
    const num = this.num;
    if (slot < 0) {
      // lookup() left the key in missKey: as arguments, words outside the small-integer range would be boxed
      slot = this.create(p);
      return this.countPacket(p, slot, 0, proto);
    }
    this.isNew = false;
    const n = slot * N;
    const t = sec + p.tsNsec / 1e9;
    if (t > num[n + N_LAST]!) num[n + N_LAST] = t;
    if (!this.ordered) {
      // unconditional: a branch first taken when a new second began deoptimised track()
      num[n + N_LRUSEC] = sec;
    } else if (num[n + N_LRUSEC] !== sec) {
      num[n + N_LRUSEC] = sec;
      const list = this.listOf(slot);
      this.lru.moveToFront(this.key, slot, list, list);
    }
    return this.countPacket(p, slot, dir, proto);
  }

  /**
   * Make a flow of the key lookup() left in `missKey` (a new flow's first packet is `p`).
   * Kept out of track(): TurboFan compiled track() with this inside in 20-90 ms,
   * during which every packet ran unoptimised code.
   */
  private create(p: DecodedPacket): number {
    const slot = this.allocSlot();
    const w = this.missKey;
    // allocSlot may have evicted (shifting entries) or rebuilt the index: probe again
    indexInsert(this.index, this.mask, w[K_HASH]!, slot);
    const kk = this.key;
    const k = slot * K;
    for (let i = K_HASH; i <= K_B + 3; i++) if (i !== K_TCP) kk[k + i] = w[i]!;
    const num = this.num;
    const n = slot * N;
    const sec = p.tsSec;
    const t = sec + p.tsNsec / 1e9;
    num[n + N_FIRST] = t;
    num[n + N_LAST] = t;
    num[n + N_LRUSEC] = sec;
    const list = p.ipProto === TCP ? 1 : 0;
    kk[k + K_TCP] = list << 8;
    if (this.ordered) this.lru.pushFront(kk, slot, list);
    this.count++;
    this.created++;
    this.isNew = true;
    return slot;
  }

  /** Count packet `p` on flow `slot` in direction `dir`; returns the slot. */
  private countPacket(p: DecodedPacket, slot: number, dir: number, proto: number): number {
    const num = this.num;
    this.dir = dir;
    const len = p.origLen;
    const n = slot * N;
    num[n + N_PKT + dir]! += 1;
    num[n + N_BYTES + dir]! += len;
    if (proto === TCP && p.tcpFlags !== 0) {
      const kt = slot * K + K_TCP;
      const w = this.key[kt]!;
      const bits = tcpNext(w & 0xff, p.tcpFlags, dir);
      if (w & 0x100 && tcpIsClosed(bits)) {
        // closed: from here on it ages with the short timeout
        if (this.ordered) this.lru.moveToFront(this.key, slot, 1, 0);
        this.key[kt] = bits;
      } else {
        this.key[kt] = (w & 0x100) | bits;
      }
    }
    if (num[n + N_DIRTY] === 0) this.markDirty(slot);
    return slot;
  }

  private markDirty(slot: number): void {
    if (this.dirtyLen === this.dirty.length) {
      // drop the holes left by early folds; grow only if that frees nothing
      let w = 0;
      const d = this.dirty;
      for (let i = 0; i < this.dirtyLen; i++) {
        const s = d[i]!;
        if (s >= 0) {
          d[w] = s;
          this.num[s * N + N_DIRTY] = ++w;
        }
      }
      this.dirtyLen = w;
      if (w === d.length) this.dirty = growI32(d, d.length * 2);
    }
    this.dirty[this.dirtyLen] = slot;
    this.num[slot * N + N_DIRTY] = ++this.dirtyLen;
  }

  /**
   * What flow `s` gained since the last call, into `out` (packets a->b, b->a,
   * bytes a->b, b->a, then its last and first packet times: passed in an array
   * because a fractional double argument or return value is boxed), and take it
   * off the dirty list. Returns its rate ring,
   * allocated at second `sec` when the table keeps rates (else -1).
   */
  takeDelta(s: number, out: Float64Array, sec: number): number {
    const num = this.num;
    const n = s * N;
    const f = s * F;
    const done = this.folded;
    for (let i = 0; i < 4; i++) {
      const v = num[n + i]!;
      out[i] = v - done[f + i]!;
      done[f + i] = v;
    }
    out[4] = num[n + N_LAST]!;
    out[5] = num[n + N_FIRST]!;
    const d = num[n + N_DIRTY]!;
    if (d > 0) {
      this.dirty[d - 1] = -1;
      num[n + N_DIRTY] = 0;
    }
    const rates = this.rates;
    if (rates === null) return -1;
    const x = s * X + X_RING;
    let r = this.aux[x]!;
    if (r < 0) r = this.aux[x] = rates.alloc(s, sec);
    return r;
  }

  /** Set the application protocol (a Proto code) found by the dissection layer. */
  setAppProto(slot: number, proto: number): void {
    if (this.isLive(slot)) this.aux[slot * X + X_APP] = proto;
  }

  /**
   * Expire flows whose last packet is older than `before` (seconds), or
   * than `openTcpBefore` for TCP connections not yet closed.
   */
  expireBefore(before: number, openTcpBefore = before): number {
    if (!this.ordered) this.order();
    const tails = this.lru.tails;
    let n = 0;
    for (let list = 0; list < 2; list++) {
      const limit = list === 0 ? before : openTcpBefore;
      while (tails[list]! >= 0 && this.num[tails[list]! * N + N_LAST]! < limit) {
        this.remove(tails[list]!, RemoveReason.Expired);
        this.expired++;
        n++;
      }
    }
    return n;
  }

  clear(): void {
    if (this.onRemove) for (let s = 0; s < this.used; s++) if (this.key[s * K + K_META] !== 0) this.onRemove(s, RemoveReason.Cleared);
    for (let s = 0; s < this.used; s++) {
      if (this.key[s * K + K_META] !== 0) {
        this.gen[s] = (this.gen[s]! + 1) >>> 0;
        this.why[s] = RemoveReason.Cleared;
      }
    }
    this.key.fill(0);
    this.num.fill(0);
    this.folded.fill(0);
    this.dirtyLen = 0;
    this.index.fill(-1);
    this.rates?.clear();
    this.used = 0;
    this.freeHead = -1;
    this.lru.clear();
    this.ordered = !this.lazyOrder;
    this.count = 0;
  }

  private allocSlot(): number {
    if (this.count >= this.maxFlows) {
      if (!this.ordered) this.order();
      // the longest-idle flow of either list
      const t0 = this.lru.tails[0]!, t1 = this.lru.tails[1]!;
      const victim = t0 < 0 ? t1 : t1 < 0 ? t0 : this.num[t1 * N + N_LRUSEC]! < this.num[t0 * N + N_LRUSEC]! ? t1 : t0;
      this.remove(victim, RemoveReason.Evicted);
      this.evicted++;
    }
    let s: number;
    if (this.freeHead >= 0) {
      s = this.freeHead;
      this.freeHead = this.key[s * K + K_NEXT]!;
    } else {
      if (this.used >= this.cap) this.grow();
      s = this.used++;
    }
    const x = s * X;
    const aux = this.aux;
    aux[x + X_APP] = 0;
    aux[x + X_PORTKEY] = -1;
    aux[x + X_HOSTA] = -1;
    aux[x + X_HOSTB] = -1;
    aux[x + X_RING] = -1;
    const n = s * N;
    const num = this.num;
    num[n] = num[n + 1] = num[n + 2] = num[n + 3] = 0;
    // F is 4: plain stores, a fill() call per new flow cost more than the stores
    const fo = this.folded;
    const f = s * F;
    fo[f] = fo[f + 1] = fo[f + 2] = fo[f + 3] = 0;
    return s;
  }

  /** Free a slot: unhook it from the index, the LRU list and its rate ring. */
  remove(slot: number, reason: number = RemoveReason.Evicted): void {
    this.onRemove?.(slot, reason);
    const d = this.num[slot * N + N_DIRTY]!;
    if (d > 0) {
      this.dirty[d - 1] = -1;
      this.num[slot * N + N_DIRTY] = 0;
    }
    const key = this.key;
    indexDelete(this.index, this.mask, slot, this.key, K);
    if (this.ordered) this.lru.unlink(key, slot, this.listOf(slot));
    const r = this.aux[slot * X + X_RING]!;
    if (r >= 0 && this.rates) this.rates.release(r);
    this.aux[slot * X + X_RING] = -1;
    key[slot * K + K_META] = 0;
    this.why[slot] = reason;
    this.gen[slot] = (this.gen[slot]! + 1) >>> 0;
    key[slot * K + K_NEXT] = this.freeHead;
    this.freeHead = slot;
    this.count--;
  }

  private grow(): void {
    const c = Math.min(this.cap * 2, this.maxFlows);
    this.key = growI32(this.key, c * K);
    this.aux = growI32(this.aux, c * X);
    this.num = growF64(this.num, c * N);
    this.gen = growU32(this.gen, c);
    this.why = growU8(this.why, c);
    this.folded = growF64(this.folded, c * F);
    // Room on the dirty list for every slot: without holes it then never fills, and
    // its compaction (first reached mid-file, a deopt of track()) stays for tables with removals.
    if (this.dirty.length < c) this.dirty = growI32(this.dirty, c);
    this.cap = c;
    const size = pow2AtLeast(c * 2);
    if (size !== this.index.length) {
      this.index = indexRebuild(size, this.key, K, this.used, (x) => this.key[x * K + K_META] !== 0);
      this.mask = size - 1;
    }
  }

  /** Build the LRU lists from each flow's last second (lazyOrder: the first time they are needed). */
  private order(): void {
    const live: number[] = [];
    for (let s = 0; s < this.used; s++) if (this.key[s * K + K_META] !== 0) live.push(s);
    const num = this.num;
    live.sort((x, y) => num[x * N + N_LRUSEC]! - num[y * N + N_LRUSEC]! || x - y);
    for (const s of live) this.lru.pushFront(this.key, s, this.listOf(s));
    this.ordered = true;
  }
}
