import { L3, type DecodedPacket } from '../decode/packet.js';
import { DOUBLE, type PacketFacts } from './context.js';

/** The fields of a packet the table detectors read (a DecodedPacket has them all). */
export interface PacketFields {
  l3: number;
  arpOp: number;
  arpSpa: number;
  arpTpa: number;
  ipProto: number;
  tcpFlags: number;
  srcPort: number;
  dstPort: number;
  icmpType: number;
  origLen: number;
}

/** One logged packet replayed: the fields of PacketFields, filled from the log. */
class PacketView implements PacketFields {
  l3 = 0;
  arpOp = 0;
  arpSpa = DOUBLE;
  arpTpa = DOUBLE;
  ipProto = 0;
  tcpFlags = 0;
  srcPort = 0;
  dstPort = 0;
  icmpType = 0;
  origLen = DOUBLE;
}

/** Packets a log holds before the monitor replays it. */
export const LOG_CAPACITY = 1024;
const I = 8;
const F = 8;

/**
 * The packets the table detectors have not seen yet, as numbers in two
 * typed arrays (written in order, so the per-packet cost is a few stores to
 * memory that stays in cache). The monitor replays the log through the
 * detectors in one tight loop when it is full and before anything reads their
 * state (a tick, meters, drivers, a baseline): each detector sees the same
 * packets in the same order as before, but its tables are touched in bursts
 * instead of between the engine's own per-packet work, which evicted them
 * from the cache every packet.
 */
export class PacketLog {
  private readonly ints = new Int32Array(LOG_CAPACITY * I);
  private readonly nums = new Float64Array(LOG_CAPACITY * F);
  length = 0;
  /** The packet being replayed (valid during replay, like ctx.pk). */
  readonly view = new PacketView();

  get full(): boolean {
    return this.length === LOG_CAPACITY;
  }

  /** Log the packet and its facts (p.arpSpa / p.arpTpa are the facts' src and dst for ARP). */
  append(p: DecodedPacket, pk: PacketFacts): void {
    const k = this.length++;
    const i = this.ints;
    const o = k * I;
    i[o] = p.l3;
    i[o + 1] = p.arpOp;
    i[o + 2] = p.ipProto;
    i[o + 3] = p.tcpFlags;
    i[o + 4] = p.srcPort;
    i[o + 5] = p.dstPort;
    i[o + 6] = p.icmpType;
    i[o + 7] = pk.srcCls | (pk.dstCls << 8);
    const n = this.nums;
    const f = k * F;
    n[f] = pk.src;
    n[f + 1] = pk.dst;
    n[f + 2] = pk.srcHash;
    n[f + 3] = pk.dstHash;
    n[f + 4] = pk.sec;
    n[f + 5] = pk.t;
    n[f + 6] = p.origLen;
  }

  /** Load logged packet k into `view` and `pk`. */
  load(k: number, pk: PacketFacts): void {
    const v = this.view;
    const i = this.ints;
    const o = k * I;
    v.l3 = i[o]!;
    v.arpOp = i[o + 1]!;
    v.ipProto = i[o + 2]!;
    v.tcpFlags = i[o + 3]!;
    v.srcPort = i[o + 4]!;
    v.dstPort = i[o + 5]!;
    v.icmpType = i[o + 6]!;
    const cls = i[o + 7]!;
    pk.srcCls = cls & 0xff;
    pk.dstCls = cls >>> 8;
    const n = this.nums;
    const f = k * F;
    pk.src = n[f]!;
    pk.dst = n[f + 1]!;
    pk.srcHash = n[f + 2]!;
    pk.dstHash = n[f + 3]!;
    pk.sec = n[f + 4]!;
    pk.t = n[f + 5]!;
    v.origLen = n[f + 6]!;
    const arp = v.l3 === L3.Arp;
    v.arpSpa = arp ? pk.src : 0;
    v.arpTpa = arp ? pk.dst : 0;
  }
}
