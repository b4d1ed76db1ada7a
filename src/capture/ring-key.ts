import type { DecodedPacket } from '../decode/packet.js';
import type { PacketRecord } from './record.js';

/**
 * What the caller knows about a packet when it appends it, kept so packets
 * can be selected later. One instance is reused for every append: fill it,
 * append, refill. Addresses are numbers (IPv4: `src[0]`; IPv6: four
 * big-endian words, as in DecodedPacket.ip6Src).
 */
export class RingKey {
  /** 0 (no IP), 4 or 6. */
  ipVersion = 0;
  /** IP protocol number, or 0. */
  proto = 0;
  srcPort = 0;
  dstPort = 0;
  /** The engine's flow slot, or -1. Pair it with `flowGen`: slots are reused. */
  flowSlot = -1;
  flowGen = 0;
  /** Free for the caller (e.g. a stream id); unsigned 32-bit. */
  tag = 0;
  /**
   * TCP numbers as shown (the engine's TcpNumbers when the packet was read): relative seq (-1: none
   * kept), ack, window scale state (-2..14). Kept with the packet so they outlive its connection's state.
   */
  tcpSeq = -1;
  tcpAck = 0;
  tcpScale = -1;
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);

  clear(): this {
    this.ipVersion = this.proto = this.srcPort = this.dstPort = this.flowGen = this.tag = this.tcpAck = 0;
    this.flowSlot = this.tcpSeq = this.tcpScale = -1;
    this.src.fill(0);
    this.dst.fill(0);
    return this;
  }

  setIp4(src: number, dst: number): this {
    this.ipVersion = 4;
    this.src[0] = src;
    this.dst[0] = dst;
    return this;
  }

  setIp6(src: Uint32Array, dst: Uint32Array): this {
    this.ipVersion = 6;
    this.src.set(src);
    this.dst.set(dst);
    return this;
  }

  setTcp(seq: number, ack: number, scale: number): this {
    this.tcpSeq = seq;
    this.tcpAck = ack;
    this.tcpScale = scale;
    return this;
  }

  /**
   * Describe a decoded packet: its addresses, protocol and ports (0 where it has none), no flow
   * slot (those change with the display filter), no TCP numbers, and `tag`. Allocates nothing.
   */
  fromPacket(p: DecodedPacket, tag: number): this {
    this.ipVersion = 0;
    if (p.l3 === 4) this.setIp4(p.ip4Src, p.ip4Dst);
    else if (p.l3 === 6) this.setIp6(p.ip6Src, p.ip6Dst);
    this.proto = p.ipProto > 0 ? p.ipProto : 0;
    this.srcPort = p.srcPort > 0 ? p.srcPort : 0;
    this.dstPort = p.dstPort > 0 ? p.dstPort : 0;
    this.flowSlot = -1;
    this.flowGen = 0;
    this.tag = tag;
    this.tcpSeq = -1;
    return this;
  }
}

/** A stored packet's metadata as a selector sees it: the key plus the record fields. One reused instance per scan. */
export class RingMeta extends RingKey {
  tsSec = 0;
  tsNsec = 0;
  capLen = 0;
  origLen = 0;
  linkType = 0;

  /** Point a reused record at this packet's bytes (as `scan` hands them over), for decoding it again. */
  toRecord(data: Uint8Array, r: PacketRecord): PacketRecord {
    r.buf = data;
    r.off = 0;
    r.capLen = this.capLen;
    r.origLen = this.origLen;
    r.linkType = this.linkType;
    r.ifIndex = 0;
    r.tsSec = this.tsSec;
    r.tsNsec = this.tsNsec;
    return r;
  }
}

export type RingSelector = (m: RingMeta) => boolean;
