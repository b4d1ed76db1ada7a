import { DecodedPacket, L3 } from '../../src/decode/packet.js';

export interface PktSpec {
  src: string;
  dst: string;
  proto?: number;
  sport?: number;
  dport?: number;
  flags?: number;
  t?: number;
  len?: number;
  vlan?: number;
  vlan2?: number;
  pathId?: number;
  malformed?: number;
}

function ip4(s: string): number {
  return s.split('.').reduce((a, x) => a * 256 + Number(x), 0) >>> 0;
}

function ip6(s: string, out: Uint32Array): void {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':').filter((x) => x !== '') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
  for (let i = 0; i < 4; i++) out[i] = ((groups[i * 2]! << 16) | groups[i * 2 + 1]!) >>> 0;
}

/** Fill a DecodedPacket by hand, as the decoder would. */
export function fill(p: DecodedPacket, s: PktSpec): DecodedPacket {
  p.reset();
  const t = s.t ?? 1000;
  p.tsSec = Math.floor(t);
  p.tsNsec = Math.round((t - Math.floor(t)) * 1e9);
  p.origLen = p.capLen = s.len ?? 100;
  p.vlanId = s.vlan ?? -1;
  p.vlanId2 = s.vlan2 ?? -1;
  p.pathId = s.pathId ?? 0;
  p.malformed = s.malformed ?? 0;
  if (s.src.includes(':')) {
    p.l3 = L3.IPv6;
    ip6(s.src, p.ip6Src);
    ip6(s.dst, p.ip6Dst);
  } else {
    p.l3 = L3.IPv4;
    p.ip4Src = ip4(s.src);
    p.ip4Dst = ip4(s.dst);
  }
  p.ipProto = s.proto ?? 6;
  p.srcPort = s.sport ?? -1;
  p.dstPort = s.dport ?? -1;
  p.tcpFlags = s.flags ?? 0;
  return p;
}

export function pkt(s: PktSpec): DecodedPacket {
  return fill(new DecodedPacket(), s);
}
