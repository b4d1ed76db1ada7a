/**
 * Packet-level helpers on top of the builders: frame an IP packet for the
 * fixture's link type, pick MACs, and tag each packet's protocols and
 * endpoints for the manifest. TcpConn tracks sequence numbers for a flow.
 */
import { LINKTYPE } from '../capture/record.js';
import type { PacketMeta } from './fixture.js';

/** Where Net puts packets: a Fixture, or a collector that sorts them by time first. */
export interface PacketSink {
  add(relNs: number, frame: Uint8Array, m: PacketMeta): void;
}
import {
  AF,
  ETH,
  IPPROTO,
  TCP,
  icmp,
  ip4,
  ip6,
  ipv4,
  ipv6,
  nullLoop,
  sll,
  sll2,
  tcp,
  udp,
  ethernet,
  type Ipv6Ext,
} from './packet-builder.js';

export interface NetOptions {
  linkType?: number;
  /** VLAN tags (Ethernet only), outermost first. */
  vlan?: number[];
  /** MAC of the default gateway (for addresses not local). */
  gatewayMac?: string;
  /** pcapng interface index to write on. */
  ifIndex?: number;
}

export interface IpExtra {
  ttl?: number;
  id?: number;
  ext?: Ipv6Ext[];
  /** Extra tags (application protocol). */
  app?: string[];
  capLen?: number;
  /** Carry the "l2 destination" explicitly (multicast / broadcast MAC). */
  dstMac?: string;
}

export function isV6(a: string): boolean {
  return a.includes(':');
}

function isLocal(a: string): boolean {
  return (
    a.startsWith('192.168.') ||
    a.startsWith('10.') ||
    a.startsWith('fe80:') ||
    a.startsWith('fd') ||
    a.startsWith('ff') ||
    a.startsWith('224.') ||
    a.startsWith('239.') ||
    a === '255.255.255.255'
  );
}

/** Deterministic locally-administered MAC for an address. */
export function macFor(a: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
  const b = [0x02, (h >>> 24) & 255, (h >>> 16) & 255, (h >>> 8) & 255, h & 255, a.length & 255];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function multicastMac(a: string): string | undefined {
  if (a === '255.255.255.255') return 'ff:ff:ff:ff:ff:ff';
  if (isV6(a)) {
    if (!a.startsWith('ff')) return undefined;
    const b = ip6(a);
    return ['33', '33', ...[...b.subarray(12)].map((x) => x.toString(16).padStart(2, '0'))].join(':');
  }
  const b = ip4(a);
  if (b[0]! < 224 || b[0]! > 239) return undefined;
  return ['01', '00', '5e', (b[1]! & 0x7f).toString(16), b[2]!.toString(16), b[3]!.toString(16)].map((x) => x.padStart(2, '0')).join(':');
}

export class Net {
  readonly fx: PacketSink;
  readonly o: NetOptions;

  constructor(fx: PacketSink, o: NetOptions = {}) {
    this.fx = fx;
    this.o = o;
  }

  macOf(a: string): string {
    return multicastMac(a) ?? (isLocal(a) ? macFor(a) : (this.o.gatewayMac ?? '02:00:5e:00:00:01'));
  }

  /** Wrap an L3 packet (ethertype `type`) in the link layer; returns the frame and link tags. */
  frame(type: number, l3: Uint8Array, src: string, dst: string, dstMac?: string): { frame: Uint8Array; tags: string[] } {
    const lt = this.o.linkType ?? LINKTYPE.EN10MB;
    switch (lt) {
      case LINKTYPE.EN10MB: {
        const vlan = this.o.vlan ?? [];
        const f = ethernet({ src: this.macOf(src), dst: dstMac ?? this.macOf(dst), type, vlan }, l3);
        return { frame: f, tags: vlan.length ? ['eth', 'vlan'] : ['eth'] };
      }
      case LINKTYPE.LINUX_SLL:
        return { frame: sll({ protocol: type, pktType: isLocal(src) ? 4 : 0, addr: this.macOf(src) }, l3), tags: ['sll'] };
      case LINKTYPE.LINUX_SLL2:
        return { frame: sll2({ protocol: type, pktType: isLocal(src) ? 4 : 0, addr: this.macOf(src), ifIndex: 2 }, l3), tags: ['sll2'] };
      case LINKTYPE.NULL:
        return { frame: nullLoop({ family: type === ETH.IPv6 ? AF.INET6_BSD : AF.INET }, l3), tags: ['null'] };
      case LINKTYPE.LOOP:
        return { frame: nullLoop({ family: type === ETH.IPv6 ? AF.INET6_BSD : AF.INET, bigEndian: true }, l3), tags: ['null'] };
      case LINKTYPE.RAW:
        return { frame: l3, tags: ['raw'] };
      default:
        throw new Error(`Net: unsupported link type ${lt}`);
    }
  }

  /** Emit an IP packet carrying `l4` (protocol number `proto`), tagging ipv4/ipv6 plus `tags`. */
  ip(t: number, src: string, dst: string, proto: number, l4: Uint8Array, tags: string[], x: IpExtra = {}): void {
    const v6 = isV6(src);
    const l3 = v6
      ? ipv6({ src, dst, nextHeader: proto, hopLimit: x.ttl ?? 64, extHeaders: x.ext }, l4)
      : ipv4({ src, dst, proto, ttl: x.ttl ?? 64, id: x.id ?? 0 }, l4);
    this.emit(t, v6 ? ETH.IPv6 : ETH.IPv4, l3, src, dst, [v6 ? 'ipv6' : 'ipv4', ...tags, ...(x.app ?? [])], x);
  }

  /** Emit a prepared L3 packet. */
  emit(t: number, type: number, l3: Uint8Array, src: string, dst: string, tags: string[], x: IpExtra & Partial<PacketMeta> = {}): void {
    const { frame, tags: lt } = this.frame(type, l3, src, dst, x.dstMac);
    const meta: PacketMeta = { protos: [...lt, ...tags], ifIndex: this.o.ifIndex, capLen: x.capLen, malformed: x.malformed };
    if (type !== ETH.ARP) {
      meta.src = src;
      meta.dst = dst;
    }
    this.fx.add(t, frame, meta);
  }

  udp(t: number, src: string, sport: number, dst: string, dport: number, payload: Uint8Array, x: IpExtra = {}): void {
    this.ip(t, src, dst, IPPROTO.UDP, udp({ sport, dport, payload }), ['udp'], { ...x, dstMac: x.dstMac ?? multicastMac(dst) });
  }

  icmpEcho(t: number, src: string, dst: string, request: boolean, id: number, seq: number, payload: Uint8Array): void {
    this.ip(t, src, dst, IPPROTO.ICMP, icmp({ type: request ? 8 : 0, id, seq, payload }), ['icmp']);
  }
}

export interface TcpConnOpts {
  client: string;
  cport: number;
  server: string;
  sport: number;
  cisn?: number;
  sisn?: number;
  /** Application tag for segments that carry payload. */
  app?: string;
  win?: number;
}

/** A TCP connection with tracked sequence numbers. Directions: 'c' client->server, 's' server->client. */
export class TcpConn {
  private readonly net: Net;
  readonly o: TcpConnOpts;
  private cseq: number;
  private sseq: number;
  private ipId: number;

  constructor(net: Net, o: TcpConnOpts) {
    this.net = net;
    this.o = o;
    this.cseq = o.cisn ?? 1000;
    this.sseq = o.sisn ?? 5000;
    this.ipId = (o.cport * 7) & 0xffff;
  }

  private seg(t: number, dir: 'c' | 's', flags: number, payload?: Uint8Array, x: IpExtra = {}): void {
    const c = dir === 'c';
    const o = this.o;
    const seq = c ? this.cseq : this.sseq;
    const ack = flags & TCP.ACK ? (c ? this.sseq : this.cseq) : 0;
    const seg = tcp({
      sport: c ? o.cport : o.sport,
      dport: c ? o.sport : o.cport,
      seq: seq >>> 0,
      ack: ack >>> 0,
      flags,
      win: o.win ?? 64240,
      payload,
    });
    const app = payload && payload.length && o.app ? [o.app] : [];
    this.ipId = (this.ipId + 1) & 0xffff;
    this.net.ip(t, c ? o.client : o.server, c ? o.server : o.client, IPPROTO.TCP, seg, ['tcp'], {
      ...x,
      id: this.ipId,
      app: [...app, ...(x.app ?? [])],
    });
    const adv = (payload?.length ?? 0) + (flags & (TCP.SYN | TCP.FIN) ? 1 : 0);
    if (c) this.cseq = (this.cseq + adv) >>> 0;
    else this.sseq = (this.sseq + adv) >>> 0;
  }

  /** Three-way handshake starting at t with the given round trip (ns); returns the time of the last packet. */
  open(t: number, rtt: number): number {
    this.seg(t, 'c', TCP.SYN);
    this.seg(t + rtt / 2, 's', TCP.SYN | TCP.ACK);
    this.seg(t + rtt, 'c', TCP.ACK);
    return t + rtt;
  }

  /** A data segment (PSH+ACK, or plain ACK when `push` is false). */
  send(t: number, dir: 'c' | 's', payload: Uint8Array, x: IpExtra = {}, push = true): void {
    this.seg(t, dir, push ? TCP.PSH | TCP.ACK : TCP.ACK, payload, x);
  }

  ack(t: number, dir: 'c' | 's'): void {
    this.seg(t, dir, TCP.ACK);
  }

  /** FIN from `dir`, FIN+ACK back, final ACK. */
  close(t: number, dir: 'c' | 's', rtt: number): number {
    const other = dir === 'c' ? 's' : 'c';
    this.seg(t, dir, TCP.FIN | TCP.ACK);
    this.seg(t + rtt / 2, other, TCP.FIN | TCP.ACK);
    this.seg(t + rtt, dir, TCP.ACK);
    return t + rtt;
  }

  reset(t: number, dir: 'c' | 's'): void {
    this.seg(t, dir, TCP.RST | TCP.ACK);
  }

  /** A bare segment with arbitrary flags (SYN to a closed port, RST without ACK, ...). */
  raw(t: number, dir: 'c' | 's', flags: number, payload?: Uint8Array): void {
    this.seg(t, dir, flags, payload);
  }
}
