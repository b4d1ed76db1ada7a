import type { DecodedPacket } from '../decode/packet.js';
import { growF64, growI32, growU32, growU8 } from '../flows/grow.js';
import { ip6Word } from '../flows/tcp-numbers.js';
import { S_NONE } from './classifier-states.js';

const WAYS = 4;
/** Bytes of an HTTP head kept for a message whose body spans segments. */
const MAX_HEAD = 4096;

/**
 * The TCP directions the packet classifier follows, in typed arrays indexed by
 * direction (nothing is allocated per packet): each direction's protocol, parse
 * state and HTTP head scan. The parsers (record-stream.ts, http-stream.ts) read
 * and write these arrays directly. Two kinds of index:
 * - a direction of a flow the engine holds is `base + 2 * flowSlot + dir`
 *   (bySlot): no lookup, and the arrays grow with the flow table;
 * - any other (a flow's first packet, a packet the display filter keeps out of
 *   the flow table, the classifier used on its own) is found by its 4-tuple in a
 *   fixed set-associative table below `base` (slot()), and moves to the flow's
 *   index once the engine holds the flow.
 */
export class TcpDirections {
  private readonly mask: number;
  /**
   * Keys, four int32 per slot and the WAYS slots of a set adjacent (one cache line per lookup):
   * address words a and b (IPv6 hashed), ports, and `use`: 0 empty, else the clock at the last
   * use times 2, plus 1 for IPv6 (the clock wraps after 2^30 packets; LRU is then briefly approximate).
   */
  private readonly keys: Int32Array;
  /** First index of the flow-slot directions (= directions of the 4-tuple table). */
  private readonly base: number;
  /** Directions held in the 4-tuple table (none: a new flow has nothing there to take over). */
  private tupleLive = 0;
  /** Per flow slot: the flow generation + 1 its two directions belong to (0 none yet). */
  private slotGen: Uint32Array = new Uint32Array(0);
  /** Proto code of the direction, 0 unknown. */
  app: Uint8Array;
  state: Uint8Array;
  /** Sequence number of the next byte to consume. */
  cursor: Uint32Array;
  /** Bytes left in the current record / body / chunk. */
  remain: Float64Array;
  /** HTTP head scan: header match state, match position, bytes on the current line. */
  hState: Uint8Array;
  hPos: Uint8Array;
  hLine: Uint32Array;
  /** HTTP head: Content-Length seen (-1 none), chunked seen, 1 no-body status / 2 request / 0 response. */
  hLen: Float64Array;
  hChunked: Uint8Array;
  hNoBody: Uint8Array;
  private clock = 0;
  private static readonly CLOCK_MASK = 0x3fffffff;
  /** Copies of HTTP heads whose body goes on in later segments (allocated per direction on first need, reused). */
  readonly heads: (Uint8Array | undefined)[] = [];
  hSaved: Int32Array;
  /** Slot whose saved head belongs to a message that ended in the current packet, or -1. */
  endedHead = -1;

  /** `capacity`: TCP directions followed at once (rounded up to a power of two). */
  constructor(capacity: number) {
    let n = WAYS;
    while (n < capacity && n < 1 << 22) n <<= 1;
    this.mask = n / WAYS - 1;
    this.base = n;
    this.keys = new Int32Array(n * 4);
    this.app = new Uint8Array(n);
    this.state = new Uint8Array(n);
    this.cursor = new Uint32Array(n);
    this.remain = new Float64Array(n);
    this.hState = new Uint8Array(n);
    this.hPos = new Uint8Array(n);
    this.hLine = new Uint32Array(n);
    this.hLen = new Float64Array(n);
    this.hChunked = new Uint8Array(n);
    this.hNoBody = new Uint8Array(n);
    this.hSaved = new Int32Array(n);
  }

  /** Forget every followed direction. */
  reset(): void {
    this.keys.fill(0);
    this.tupleLive = 0;
    this.app.fill(0);
    this.state.fill(0);
    this.slotGen.fill(0);
  }

  /**
   * The index of direction `dir` of the engine's flow `slot` (generation `gen`). A slot taken by
   * a new flow starts afresh, with what the 4-tuple table followed of this flow before the engine
   * held it (a connection whose first packet carried data).
   */
  bySlot(p: DecodedPacket, slot: number, dir: number, gen: number): number {
    if (slot >= this.slotGen.length) this.grow(slot);
    const i = this.base + 2 * slot;
    const g = (gen + 1) >>> 0;
    if (this.slotGen[slot] !== g) {
      this.slotGen[slot] = g;
      this.app[i] = this.app[i + 1] = 0;
      this.state[i] = this.state[i + 1] = S_NONE;
      this.hSaved[i] = this.hSaved[i + 1] = 0;
      if (this.tupleLive > 0) {
        this.adopt(this.slot(p, false, false), i + dir);
        this.adopt(this.slot(p, false, true), i + (dir ^ 1));
      }
    }
    return i + dir;
  }

  /** Move direction `from` of the 4-tuple table (if >= 0) to flow index `to`, and free it. */
  private adopt(from: number, to: number): void {
    if (from < 0) return;
    this.app[to] = this.app[from]!;
    this.state[to] = this.state[from]!;
    this.cursor[to] = this.cursor[from]!;
    this.remain[to] = this.remain[from]!;
    this.hState[to] = this.hState[from]!;
    this.hPos[to] = this.hPos[from]!;
    this.hLine[to] = this.hLine[from]!;
    this.hLen[to] = this.hLen[from]!;
    this.hChunked[to] = this.hChunked[from]!;
    this.hNoBody[to] = this.hNoBody[from]!;
    this.hSaved[to] = this.hSaved[from]!;
    const h = this.heads;
    while (h.length <= to) h.push(undefined);
    const x = h[to];
    h[to] = h[from];
    h[from] = x;
    this.keys[from * 4 + 3] = 0;
    this.tupleLive--;
    this.app[from] = 0;
    this.state[from] = S_NONE;
  }

  /** Room for flow slots up to `slot` (doubling from the flow table's initial 4096: growing copies megabytes). */
  private grow(slot: number): void {
    let m = Math.max(this.slotGen.length * 2, 4096);
    while (m <= slot) m *= 2;
    const n = this.base + 2 * m;
    this.slotGen = growU32(this.slotGen, m);
    this.app = growU8(this.app, n);
    this.state = growU8(this.state, n);
    this.cursor = growU32(this.cursor, n);
    this.remain = growF64(this.remain, n);
    this.hState = growU8(this.hState, n);
    this.hPos = growU8(this.hPos, n);
    this.hLine = growU32(this.hLine, n);
    this.hLen = growF64(this.hLen, n);
    this.hChunked = growU8(this.hChunked, n);
    this.hNoBody = growU8(this.hNoBody, n);
    this.hSaved = growI32(this.hSaved, n);
  }

  /**
   * The 4-tuple table's index of this packet's TCP direction (`rev`: of the opposite direction),
   * or -1 when it is not followed and `create` is false.
   */
  slot(p: DecodedPacket, create: boolean, rev = false): number {
    const v6 = p.l3 === 4 ? 0 : 1;
    let a = v6 === 0 ? p.ip4Src | 0 : ip6Word(p.ip6Src);
    let b = v6 === 0 ? p.ip4Dst | 0 : ip6Word(p.ip6Dst);
    let c = ((p.srcPort << 16) | p.dstPort) | 0;
    if (rev) {
      const x = a;
      a = b;
      b = x;
      c = ((p.dstPort << 16) | p.srcPort) | 0;
    }
    let h = Math.imul(a ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35), 0x9e3779b1);
    h ^= h >>> 15;
    const base = (h & this.mask) * WAYS;
    const k = this.keys;
    this.clock = this.clock >= TcpDirections.CLOCK_MASK ? 1 : this.clock + 1;
    const now = this.clock * 2;
    let oldest = base;
    let oldestUse = 0x7fffffff;
    for (let i = base; i < base + WAYS; i++) {
      const o = i * 4;
      const use = k[o + 3]!;
      if (use !== 0 && (use & 1) === v6 && k[o] === a && k[o + 1] === b && k[o + 2] === c) {
        k[o + 3] = now | v6;
        return i;
      }
      if (use < oldestUse) {
        oldestUse = use;
        oldest = i;
      }
    }
    if (!create) return -1;
    const o = oldest * 4;
    if (k[o + 3] === 0) this.tupleLive++;
    k[o] = a;
    k[o + 1] = b;
    k[o + 2] = c;
    k[o + 3] = now | v6;
    this.app[oldest] = 0;
    this.state[oldest] = S_NONE;
    return oldest;
  }

  /**
   * Keep a copy of a head whose body goes on in later segments: tshark shows the
   * message's fields in the segment that ends it, and so do the app fields (storedHttpHead).
   * Only a head that started in this segment is kept (up to MAX_HEAD bytes).
   */
  saveHead(i: number, b: Uint8Array, from: number, to: number): void {
    if (from < 0 || this.endedHead === i) {
      this.hSaved[i] = 0;
      return;
    }
    let h = this.heads[i];
    if (h === undefined) {
      while (this.heads.length <= i) this.heads.push(undefined);
      h = this.heads[i] = new Uint8Array(MAX_HEAD);
    }
    const n = Math.min(to - from, MAX_HEAD);
    for (let k = 0; k < n; k++) h[k] = b[from + k]!;
    this.hSaved[i] = n;
  }

  headEnded(i: number): void {
    if (this.hSaved[i]! > 0 && this.endedHead < 0) this.endedHead = i;
  }
}
