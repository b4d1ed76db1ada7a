import type { DecodedPacket } from '../decode/packet.js';
import { tcpOptionAt, tcpOptionsEnd } from '../decode/tcp-options.js';

/** Window scale states, as tshark keeps them per direction: unknown, not used, else the shift (0..14). */
export const WS_UNKNOWN = -1;
export const WS_NONE = -2;

const WAYS = 4;
const CLOCK_MASK = 0x3fffffff;
/** State flags of a new conversation: no bases, both scales unknown (stored + 2). */
const SCALES_UNKNOWN = (1 << 8) | (1 << 16);

/** What a packet shows of TCP numbers: relative seq (-1: no TCP header), ack (raw without the ACK flag), scale state. */
export interface TcpShown {
  readonly tcpSeq: number;
  readonly tcpAck: number;
  readonly tcpScale: number;
}

/** An IPv6 address hashed to one int32 word, for 4-tuple keys (collisions are possible, and harmless but rare). */
export function ip6Word(w: Uint32Array): number {
  return Math.imul(w[0]! ^ Math.imul(w[1]!, 0x9e3779b1) ^ Math.imul(w[2]!, 0x85ebca6b), 0x27d4eb2f) ^ w[3]!;
}

/** tshark's calculated window (tcp.window_size): the raw field, shifted on non-SYN segments once the scale is known. */
export function shownWindow(p: DecodedPacket, scale: number): number {
  return (p.tcpFlags & 2) === 0 && scale > 0 ? p.tcpWin << scale : p.tcpWin;
}

/**
 * TCP sequence/ack numbers and windows as tshark shows them by default, per connection
 * (checked against tshark 4.0.17, test/flows/tcp-numbers-tshark.test.ts):
 * - a direction's base is the seq of its SYN, else `seq - 1` of its first segment (a capture that
 *   starts mid-connection shows Seq=1); an ACK sets the other direction's base to `ack - 1` when it
 *   has none; seq is relative to its direction's base, ack (only with the ACK flag) to the other's;
 * - a SYN without ACK whose seq differs from its direction's base starts a new conversation (port
 *   reuse: bases and scales restart); a SYN-ACK whose seq differs re-bases its own direction;
 * - window scale: a SYN's WS option sets its direction's shift (at most 14); a SYN without it marks
 *   scaling as not used, a SYN-ACK without it (or after a SYN without it) both directions. The
 *   window of a non-SYN segment is shifted by its own direction's shift when known, else raw.
 * Connections live in a set-associative table of typed arrays keyed by the canonical 4-tuple (IPv6
 * addresses hashed to 32 bits), least recently used evicted: nothing is allocated per packet. A
 * connection evicted and seen again restarts as if the capture started there. Only a SYN's options
 * are read (tshark also honours a WS option on other segments).
 */
export class TcpNumbers implements TcpShown {
  /** The last observed packet's numbers (see TcpShown); its scale is the state before its own options. */
  tcpSeq = -1;
  tcpAck = -1;
  tcpScale = WS_UNKNOWN;
  private readonly mask: number;
  /**
   * One set of WAYS connections per 32 words (two cache lines: one lookup reads one set): the
   * keys, four words per way (address words a and b, ports, use: clock * 2 + 1 for IPv6, 0 empty),
   * then the state, four words per way: base sequence number of direction 0 (a -> b) and 1, and
   * flags (bit d: direction d has a base; scale state + 2 of direction 0 at bit 8, of 1 at bit 16).
   */
  private readonly t: Int32Array;
  private clock = 0;
  /** Word offset of the packet's connection state, and its direction. */
  private at = 0;
  private d = 0;

  /** `capacity`: connections followed at once (rounded up to a power of two, at least WAYS). */
  constructor(capacity = 1 << 16) {
    let n = WAYS;
    while (n < capacity && n < 1 << 22) n <<= 1;
    this.mask = n / WAYS - 1;
    this.t = new Int32Array(n * 8);
  }

  clear(): void {
    this.t.fill(0);
    this.tcpSeq = this.tcpAck = -1;
    this.tcpScale = WS_UNKNOWN;
  }

  /** Take numbers computed earlier (a replayed packet: the table has moved on since). */
  assign(seq: number, ack: number, scale: number): void {
    this.tcpSeq = seq;
    this.tcpAck = ack;
    this.tcpScale = scale;
  }

  observe(p: DecodedPacket): void {
    if (p.ipProto !== 6 || p.tcpSeq < 0 || (p.l3 !== 4 && p.l3 !== 6)) {
      this.tcpSeq = this.tcpAck = -1;
      this.tcpScale = WS_UNKNOWN;
      return;
    }
    this.find(p);
    const t = this.t;
    const at = this.at;
    const d = this.d;
    const flags = p.tcpFlags;
    const seq = p.tcpSeq;
    const isSyn = (flags & 2) !== 0;
    const isAck = (flags & 16) !== 0;
    const fb = 1 << d;
    const rb = fb ^ 3;
    let st = t[at + 2]!;
    if (isSyn && (st & fb) !== 0 && t[at + d]! >>> 0 !== seq) {
      // A SYN-ACK with a new seq re-bases its direction; a SYN starts a new conversation (port reuse).
      st = isAck ? st & ~fb : SCALES_UNKNOWN;
    }
    if ((st & fb) === 0) {
      t[at + d] = isSyn ? seq : seq - 1;
      st |= fb;
    }
    if (isAck && (st & rb) === 0) {
      t[at + (d ^ 1)] = p.tcpAck - 1;
      st |= rb;
    }
    this.tcpSeq = (seq - t[at + d]!) >>> 0;
    this.tcpAck = isAck ? (p.tcpAck - t[at + (d ^ 1)]!) >>> 0 : p.tcpAck;
    const sh = 8 + 8 * d;
    this.tcpScale = ((st >>> sh) & 0xff) - 2;
    if (isSyn) st = this.synScale(p, st, sh, 16 - 8 * d, isAck);
    t[at + 2] = st;
  }

  /** A SYN's window scale option, then tshark's verify_tcp_window_scaling; returns the new flags. */
  private synScale(p: DecodedPacket, st: number, sh: number, rsh: number, isSynAck: boolean): number {
    const b = p.buf;
    const end = tcpOptionsEnd(p);
    let fwd = ((st >>> sh) & 0xff) - 2;
    let rev = ((st >>> rsh) & 0xff) - 2;
    for (let i = tcpOptionAt(b, p.l4Off + 20, end); i >= 0; i = tcpOptionAt(b, i + b[i + 1]!, end)) {
      if (b[i] === 3 && b[i + 1] === 3) fwd = Math.min(b[i + 2]!, 14);
    }
    if (fwd === WS_UNKNOWN) fwd = rev = WS_NONE;
    else if (isSynAck && rev === WS_NONE) fwd = WS_NONE;
    return (st & 3) | ((fwd + 2) << sh) | ((rev + 2) << rsh);
  }

  /** Set `at` to the packet's connection state (made if new) and `d` to its direction. */
  private find(p: DecodedPacket): void {
    const v6 = p.l3 === 4 ? 0 : 1;
    let a = v6 === 0 ? p.ip4Src | 0 : ip6Word(p.ip6Src);
    let b = v6 === 0 ? p.ip4Dst | 0 : ip6Word(p.ip6Dst);
    let pa = p.srcPort;
    let pb = p.dstPort;
    this.d = 0;
    if (a > b || (a === b && pa > pb)) {
      const x = a;
      a = b;
      b = x;
      pa = pb;
      pb = p.srcPort;
      this.d = 1;
    }
    const c = (pa << 16) | pb;
    let h = Math.imul(a ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35), 0x9e3779b1);
    h ^= h >>> 15;
    const set = (h & this.mask) * 32;
    const t = this.t;
    this.clock = this.clock >= CLOCK_MASK ? 1 : this.clock + 1;
    const now = this.clock * 2 + v6;
    let oldest = set;
    let oldestUse = 0x7fffffff;
    for (let o = set; o < set + 16; o += 4) {
      const use = t[o + 3]!;
      if (use !== 0 && (use & 1) === v6 && t[o] === a && t[o + 1] === b && t[o + 2] === c) {
        t[o + 3] = now;
        this.at = o + 16;
        return;
      }
      if (use < oldestUse) {
        oldestUse = use;
        oldest = o;
      }
    }
    t[oldest] = a;
    t[oldest + 1] = b;
    t[oldest + 2] = c;
    t[oldest + 3] = now;
    t[oldest + 18] = SCALES_UNKNOWN;
    this.at = oldest + 16;
  }
}
