import { DecodedPacket } from '../../src/decode/packet.js';

export const FIN = 1;
export const SYN = 2;
export const RST = 4;
export const PSH = 8;
export const ACK = 16;

export interface Seg {
  src?: number;
  dst?: number;
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  data?: string | Uint8Array;
  udp?: boolean;
  /** Wire payload length when it differs from the captured data (truncated capture). */
  wire?: number;
  v6?: boolean;
}

/** A hand-filled DecodedPacket: buf holds only the payload (payloadOff 0). */
export function pkt(s: Seg): DecodedPacket {
  const p = new DecodedPacket();
  const data = typeof s.data === 'string' ? Buffer.from(s.data, 'latin1') : (s.data ?? new Uint8Array(0));
  p.buf = data;
  p.capLen = data.length;
  p.origLen = data.length + 54;
  p.frameOff = 0;
  if (s.v6) {
    p.l3 = 6;
    p.ip6Src.set([0x20010db8, 0, 0, s.src ?? 1]);
    p.ip6Dst.set([0x20010db8, 0, 0, s.dst ?? 2]);
  } else {
    p.l3 = 4;
    p.ip4Src = s.src ?? 0x0a000001;
    p.ip4Dst = s.dst ?? 0x0a000002;
  }
  p.ipProto = s.udp ? 17 : 6;
  p.l4Off = 0;
  p.srcPort = s.sport ?? 40000;
  p.dstPort = s.dport ?? 80;
  if (!s.udp) {
    p.tcpSeq = (s.seq ?? 0) >>> 0;
    p.tcpAck = (s.ack ?? 0) >>> 0;
    p.tcpFlags = s.flags ?? ACK;
  }
  p.payloadOff = data.length > 0 ? 0 : -1;
  p.payloadLen = data.length;
  p.payloadWireLen = s.wire ?? data.length;
  p.origLen = p.payloadWireLen + 54;
  p.frameOff = -54; // so frameOff + origLen - payloadOff = wire length
  return p;
}

/** The reverse direction of a default client segment. */
export function srv(s: Seg): DecodedPacket {
  return pkt({ src: 0x0a000002, dst: 0x0a000001, sport: 80, dport: 40000, ...s });
}
