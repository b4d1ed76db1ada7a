import { L3, type DecodedPacket } from '../../decode/packet.js';

/**
 * The packets the monitor thread replays, in one SharedArrayBuffer: a control
 * block, then SLOTS slots, each RECS fixed records of REC_WORDS Int32 words
 * followed by BYTES bytes for DNS query payloads (the only payload a detector
 * reads). A record holds exactly the DecodedPacket fields the monitor reads
 * (monitor.ts, addr-key.ts resolve, rate-meters, dns-tunnel, packet-log);
 * monitor-thread.test.ts checks the threaded monitor against the in-thread one.
 */
export const SLOTS = 8;
export const RECS = 4096;
export const REC_WORDS = 24;
export const BYTES = 256 * 1024;
const SLOT_BYTES = RECS * REC_WORDS * 4 + BYTES;

/** Control words (Int32 indices). */
export const C = {
  /** Slots published by the main thread. */
  WRITTEN: 0,
  /** Slots the monitor thread has replayed. */
  CONSUMED: 1,
  /** Bumped (and notified) on every publish and request: the monitor thread sleeps on it. */
  EVENTS: 2,
  /** Id of the last request answered. */
  REPLY: 3,
  /** Set when the monitor thread failed; its message follows on the port. */
  ERR: 4,
  STOP: 5,
  /** 1 while the monitor thread sleeps (or is about to): only then does a publish notify it. */
  WORKER_SLEEPS: 6,
  /** 1 while the main thread waits for a free slot: only then does the monitor thread notify CONSUMED. */
  MAIN_WAITS: 7,
  /** Records and payload bytes per slot, two words each. */
  LEN0: 8,
} as const;
const CTRL_BYTES = (C.LEN0 + 2 * SLOTS) * 4;

/** Record words. The timestamp (seconds, a double) sits in words 20-21. */
const W_L3 = 0, W_ARP_OP = 1, W_PROTO = 2, W_FLAGS = 3, W_SPORT = 4, W_DPORT = 5, W_ICMP = 6, W_LEN = 7;
const W_A = 8, W_B = 12, W_NSEC = 16, W_PAY_OFF = 17, W_PAY_LEN = 18, W_KIND = 19, W_SEC = 20;
const KIND_PACKET = 0;
const KIND_TICK = 1;

export function wireBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(CTRL_BYTES + SLOTS * SLOT_BYTES);
}

/** Views over a wire buffer, shared by both ends. */
export class WireViews {
  readonly ctrl: Int32Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly u8: Uint8Array;

  constructor(readonly sab: SharedArrayBuffer) {
    this.ctrl = new Int32Array(sab, 0, CTRL_BYTES >> 2);
    this.i32 = new Int32Array(sab);
    this.f64 = new Float64Array(sab);
    this.u8 = new Uint8Array(sab);
  }
}

/** Int32 index of record r of slot s. */
function recBase(s: number, r: number): number {
  return (CTRL_BYTES + s * SLOT_BYTES) / 4 + r * REC_WORDS;
}

/** Byte offset of slot s's payload area. */
export function payloadBase(s: number): number {
  return CTRL_BYTES + s * SLOT_BYTES + RECS * REC_WORDS * 4;
}

/** Whether a packet's payload goes into the slot (the DNS detector reads queries: UDP to port 53). */
export function carriesPayload(p: DecodedPacket): boolean {
  return p.ipProto === 17 && p.dstPort === 53 && p.payloadOff >= 0;
}

/** Write packet p as record r of slot s; its DNS payload (if any) at `payOff` bytes into the slot's area. Returns the payload bytes used. */
export function writePacket(v: WireViews, s: number, r: number, p: DecodedPacket, payOff: number): number {
  const i = v.i32;
  const o = recBase(s, r);
  const l3 = p.l3;
  i[o + W_KIND] = KIND_PACKET;
  i[o + W_L3] = l3;
  i[o + W_ARP_OP] = p.arpOp;
  i[o + W_PROTO] = p.ipProto;
  i[o + W_FLAGS] = p.tcpFlags;
  i[o + W_SPORT] = p.srcPort;
  i[o + W_DPORT] = p.dstPort;
  i[o + W_ICMP] = p.icmpType;
  i[o + W_LEN] = p.origLen;
  i[o + W_NSEC] = p.tsNsec;
  v.f64[(o + W_SEC) >> 1] = p.tsSec;
  if (l3 === L3.IPv6) {
    const a = p.ip6Src, b = p.ip6Dst;
    i[o + W_A] = a[0]!; i[o + W_A + 1] = a[1]!; i[o + W_A + 2] = a[2]!; i[o + W_A + 3] = a[3]!;
    i[o + W_B] = b[0]!; i[o + W_B + 1] = b[1]!; i[o + W_B + 2] = b[2]!; i[o + W_B + 3] = b[3]!;
  } else if (l3 === L3.Arp) {
    i[o + W_A] = p.arpSpa;
    i[o + W_B] = p.arpTpa;
  } else {
    i[o + W_A] = p.ip4Src;
    i[o + W_B] = p.ip4Dst;
  }
  // The DNS detector reads queries' payloads (UDP to port 53): copy those bytes.
  let n = 0;
  if (carriesPayload(p)) {
    n = Math.min(p.payloadLen, BYTES - payOff);
    // A loop, not set(subarray()): no view allocated per query (queries are ~30-100 bytes).
    const src = p.buf, u8 = v.u8, from = p.payloadOff, to = payloadBase(s) + payOff;
    for (let k = 0; k < n; k++) u8[to + k] = src[from + k]!;
    i[o + W_PAY_OFF] = payOff;
  } else {
    i[o + W_PAY_OFF] = -1;
  }
  i[o + W_PAY_LEN] = n;
  return n;
}

/** Write a tick (the engine's onTick) as record r of slot s. */
export function writeTick(v: WireViews, s: number, r: number, nowSec: number): void {
  const o = recBase(s, r);
  v.i32[o + W_KIND] = KIND_TICK;
  v.f64[(o + W_SEC) >> 1] = nowSec;
}

/** The fields of a DecodedPacket the monitor reads, refilled from each record. */
export class WirePacket {
  l3 = 0;
  arpOp = 0;
  ipProto = 0;
  tcpFlags = 0;
  srcPort = 0;
  dstPort = 0;
  icmpType = 0;
  origLen = 0;
  tsSec = 0;
  tsNsec = 0;
  ip4Src = 0;
  ip4Dst = 0;
  arpSpa = 0;
  arpTpa = 0;
  readonly ip6Src = new Uint32Array(4);
  readonly ip6Dst = new Uint32Array(4);
  buf: Uint8Array = new Uint8Array(0);
  payloadOff = -1;
  payloadLen = 0;
}

/** Load record r of slot s into `p`; true for a packet, false for a tick (its time in p.tsSec). */
export function readRecord(v: WireViews, s: number, r: number, p: WirePacket): boolean {
  const i = v.i32;
  const o = recBase(s, r);
  p.tsSec = v.f64[(o + W_SEC) >> 1]!;
  if (i[o + W_KIND] === KIND_TICK) return false;
  const l3 = i[o + W_L3]!;
  p.l3 = l3;
  p.arpOp = i[o + W_ARP_OP]!;
  p.ipProto = i[o + W_PROTO]!;
  p.tcpFlags = i[o + W_FLAGS]!;
  p.srcPort = i[o + W_SPORT]!;
  p.dstPort = i[o + W_DPORT]!;
  p.icmpType = i[o + W_ICMP]!;
  p.origLen = i[o + W_LEN]!;
  p.tsNsec = i[o + W_NSEC]!;
  const a = i[o + W_A]! >>> 0, b = i[o + W_B]! >>> 0;
  p.ip4Src = p.arpSpa = a;
  p.ip4Dst = p.arpTpa = b;
  if (l3 === L3.IPv6) {
    const s6 = p.ip6Src, d6 = p.ip6Dst;
    s6[0] = a; s6[1] = i[o + W_A + 1]!; s6[2] = i[o + W_A + 2]!; s6[3] = i[o + W_A + 3]!;
    d6[0] = b; d6[1] = i[o + W_B + 1]!; d6[2] = i[o + W_B + 2]!; d6[3] = i[o + W_B + 3]!;
  }
  p.payloadOff = i[o + W_PAY_OFF]!;
  p.payloadLen = i[o + W_PAY_LEN]!;
  if (p.payloadOff >= 0) p.payloadOff += payloadBase(s);
  p.buf = v.u8;
  return true;
}
