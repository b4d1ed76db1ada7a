import type { DecodedPacket } from '../decode/packet.js';

/** Window scale states, as tshark keeps them per direction: unknown, not used, else the shift (0..14). */
export const WS_UNKNOWN = -1;
export const WS_NONE = -2;

const WAYS = 4;
const CLOCK_MASK = 0x3fffffff;

/** What a packet shows of TCP numbers: relative seq (-1: no TCP header), ack (raw without the ACK flag), scale state. */
export interface TcpShown {
  readonly tcpSeq: number;
  readonly tcpAck: number;
  readonly tcpScale: number;
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
  /** Per entry: address words a, b, ports, use (clock * 2 + 1 for IPv6; 0 empty). */
  private readonly keys: Int32Array;
  /** Per entry two directions (a -> b, b -> a): base sequence number, window scale state. */
  private readonly base: Uint32Array;
  private readonly scale: Int8Array;
  /** Per entry: bit 0 / bit 1 set when direction 0 / 1 has a base. */
  private readonly has: Uint8Array;
  private clock = 0;
  /** Entry and direction of the packet being observed. */
  private e = 0;
  private d = 0;

  /** `capacity`: connections followed at once (rounded up to a power of two, at least WAYS). */
  constructor(capacity = 1 << 16) {
    let n = WAYS;
    while (n < capacity && n < 1 << 22) n <<= 1;
    this.mask = n / WAYS - 1;
    this.keys = new Int32Array(n * 4);
    this.base = new Uint32Array(n * 2);
    this.scale = new Int8Array(n * 2);
    this.has = new Uint8Array(n);
  }

  clear(): void {
    this.keys.fill(0);
    this.has.fill(0);
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
    const e = this.e;
    const d = this.d;
    const f = 2 * e + d;
    const r = f ^ 1;
    const flags = p.tcpFlags;
    const seq = p.tcpSeq;
    const isSyn = (flags & 2) !== 0;
    const isAck = (flags & 16) !== 0;
    const fb = 1 << d;
    const rb = fb ^ 3;
    let has = this.has[e]!;
    if (isSyn && (has & fb) !== 0 && this.base[f] !== seq) {
      if (isAck) has &= rb;
      else {
        has = 0;
        this.scale[f] = this.scale[r] = WS_UNKNOWN;
      }
    }
    if ((has & fb) === 0) {
      this.base[f] = isSyn ? seq : seq - 1;
      has |= fb;
    }
    if (isAck && (has & rb) === 0) {
      this.base[r] = p.tcpAck - 1;
      has |= rb;
    }
    this.has[e] = has;
    this.tcpSeq = (seq - this.base[f]!) >>> 0;
    this.tcpAck = isAck ? (p.tcpAck - this.base[r]!) >>> 0 : p.tcpAck;
    this.tcpScale = this.scale[f]!;
    if (isSyn) this.synScale(p, f, isAck);
  }

  /** A SYN's window scale option, then tshark's verify_tcp_window_scaling. */
  private synScale(p: DecodedPacket, f: number, isSynAck: boolean): void {
    const b = p.buf;
    const end = Math.min(p.l4Off + p.tcpHdrLen, p.frameOff + p.capLen);
    for (let i = p.l4Off + 20; i < end; ) {
      const kind = b[i]!;
      if (kind === 0) break;
      if (kind === 1) {
        i++;
        continue;
      }
      const len = i + 1 < end ? b[i + 1]! : 0;
      if (len < 2 || i + len > end) break;
      if (kind === 3 && len === 3) this.scale[f] = Math.min(b[i + 2]!, 14);
      i += len;
    }
    const s = this.scale;
    if (s[f] === WS_UNKNOWN) s[f] = s[f ^ 1] = WS_NONE;
    else if (isSynAck && s[f ^ 1] === WS_NONE) s[f] = WS_NONE;
  }

  /** Set `e` and `d` to the packet's connection entry (made if new) and direction. */
  private find(p: DecodedPacket): void {
    let a: number;
    let b: number;
    let v6: number;
    if (p.l3 === 4) {
      a = p.ip4Src | 0;
      b = p.ip4Dst | 0;
      v6 = 0;
    } else {
      const s = p.ip6Src;
      const t = p.ip6Dst;
      a = Math.imul(s[0]! ^ Math.imul(s[1]!, 0x9e3779b1) ^ Math.imul(s[2]!, 0x85ebca6b), 0x27d4eb2f) ^ s[3]!;
      b = Math.imul(t[0]! ^ Math.imul(t[1]!, 0x9e3779b1) ^ Math.imul(t[2]!, 0x85ebca6b), 0x27d4eb2f) ^ t[3]!;
      v6 = 1;
    }
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
    const set = (h & this.mask) * WAYS;
    const k = this.keys;
    this.clock = this.clock >= CLOCK_MASK ? 1 : this.clock + 1;
    const now = this.clock * 2 + v6;
    let oldest = set;
    let oldestUse = 0x7fffffff;
    for (let i = set; i < set + WAYS; i++) {
      const o = i * 4;
      const use = k[o + 3]!;
      if (use !== 0 && (use & 1) === v6 && k[o] === a && k[o + 1] === b && k[o + 2] === c) {
        k[o + 3] = now;
        this.e = i;
        return;
      }
      if (use < oldestUse) {
        oldestUse = use;
        oldest = i;
      }
    }
    const o = oldest * 4;
    k[o] = a;
    k[o + 1] = b;
    k[o + 2] = c;
    k[o + 3] = now;
    this.has[oldest] = 0;
    this.scale[2 * oldest] = this.scale[2 * oldest + 1] = WS_UNKNOWN;
    this.e = oldest;
  }
}
