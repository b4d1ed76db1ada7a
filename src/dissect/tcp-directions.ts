import type { DecodedPacket } from '../decode/packet.js';
import { S_NONE } from './classifier-states.js';

const WAYS = 4;
/** Bytes of an HTTP head kept for a message whose body spans segments. */
const MAX_HEAD = 4096;

/**
 * The TCP directions the packet classifier follows: a fixed set-associative
 * table of typed arrays indexed by slot (nothing is allocated per packet), with
 * each direction's protocol, parse state and HTTP head scan. The parsers
 * (record-stream.ts, http-stream.ts) read and write these arrays directly.
 */
export class TcpDirections {
  private readonly mask: number;
  /**
   * Keys, four int32 per slot and the WAYS slots of a set adjacent (one cache line per lookup):
   * address words a and b (IPv6 hashed), ports, and `use`: 0 empty, else the clock at the last
   * use times 2, plus 1 for IPv6 (the clock wraps after 2^30 packets; LRU is then briefly approximate).
   */
  private readonly keys: Int32Array;
  /** Proto code of the direction, 0 unknown. */
  readonly app: Uint8Array;
  readonly state: Uint8Array;
  /** Sequence number of the next byte to consume. */
  readonly cursor: Uint32Array;
  /** Bytes left in the current record / body / chunk. */
  readonly remain: Float64Array;
  /** HTTP head scan: header match state, match position, bytes on the current line. */
  readonly hState: Uint8Array;
  readonly hPos: Uint8Array;
  readonly hLine: Uint32Array;
  /** HTTP head: Content-Length seen (-1 none), chunked seen, 1 no-body status / 2 request / 0 response. */
  readonly hLen: Float64Array;
  readonly hChunked: Uint8Array;
  readonly hNoBody: Uint8Array;
  private clock = 0;
  private static readonly CLOCK_MASK = 0x3fffffff;
  /** Copies of HTTP heads whose body goes on in later segments (allocated per direction on first need, reused). */
  readonly heads: (Uint8Array | undefined)[] = [];
  readonly hSaved: Int32Array;
  /** Slot whose saved head belongs to a message that ended in the current packet, or -1. */
  endedHead = -1;

  /** `capacity`: TCP directions followed at once (rounded up to a power of two). */
  constructor(capacity: number) {
    let n = WAYS;
    while (n < capacity && n < 1 << 22) n <<= 1;
    this.mask = n / WAYS - 1;
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
    this.app.fill(0);
    this.state.fill(0);
  }

  /** The slot of this packet's TCP direction, or -1 when it is not followed and `create` is false. */
  slot(p: DecodedPacket, create: boolean): number {
    let a: number;
    let b: number;
    let v6: number;
    if (p.l3 === 4) {
      a = p.ip4Src | 0;
      b = p.ip4Dst | 0;
      v6 = 0;
    } else {
      const s = p.ip6Src;
      const d = p.ip6Dst;
      a = Math.imul(s[0]! ^ Math.imul(s[1]!, 0x9e3779b1) ^ Math.imul(s[2]!, 0x85ebca6b), 0x27d4eb2f) ^ s[3]!;
      b = Math.imul(d[0]! ^ Math.imul(d[1]!, 0x9e3779b1) ^ Math.imul(d[2]!, 0x85ebca6b), 0x27d4eb2f) ^ d[3]!;
      v6 = 1;
    }
    const c = ((p.srcPort << 16) | p.dstPort) | 0;
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
