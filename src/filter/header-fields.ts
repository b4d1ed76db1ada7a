import { ipv4Key } from './values.js';
import { L3, type DecodedPacket } from '../decode/packet.js';
import { Proto } from '../decode/protocols.js';
import { setFirstPacketTime, type FilterContext } from './context.js';
import { registerField, registerProtocol, type FieldSpec, type FieldType, type FieldValues } from './registry.js';

/**
 * Header fields with Wireshark's names and meanings, read straight from the
 * DecodedPacket (and its buffer for the few bytes it does not keep).
 * Transport fields are absent on IP fragments after the first: tshark (with
 * reassembly off) dissects those as data, and with reassembly on it shows the
 * transport header only on the frame that completes the datagram.
 */

const NONE = NaN;

export function hasEth(p: DecodedPacket): boolean {
  return p.ethOff >= 0 && p.ethOff + 14 <= p.frameOff + p.capLen;
}

function hasL4(p: DecodedPacket, proto: number): boolean {
  return p.ipProto === proto && p.l4Off >= 0 && !p.isLaterFragment && (p.l3 === L3.IPv4 || p.l3 === L3.IPv6);
}

export const isTcp = (p: DecodedPacket): boolean => hasL4(p, 6);
export const isUdp = (p: DecodedPacket): boolean => hasL4(p, 17);
export const isSctp = (p: DecodedPacket): boolean => hasL4(p, 132);
export const isIcmp = (p: DecodedPacket): boolean => p.l3 === L3.IPv4 && hasL4(p, 1);
export const isIcmp6 = (p: DecodedPacket): boolean => p.l3 === L3.IPv6 && hasL4(p, 58);

export function readMac(b: Uint8Array, o: number): number {
  return ((b[o]! << 8) | b[o + 1]!) * 4294967296 + (((b[o + 2]! << 24) | (b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!) >>> 0);
}

type Single = (p: DecodedPacket, ctx: FilterContext) => number;

function single(name: string, type: FieldType, proto: string, get: Single, description: string, max?: number, extra?: Partial<FieldSpec>): void {
  registerField({
    name,
    type,
    proto,
    single: get,
    getter: (p, out, ctx) => {
      const v = get(p, ctx);
      if (v !== v) return 0;
      out.nums[0] = v;
      return 1;
    },
    description,
    ...(max !== undefined ? { max } : {}),
    ...extra,
  });
}

function pair(name: string, type: FieldType, proto: string, a: Single, b: Single, description: string, max?: number): void {
  registerField({
    name,
    type,
    proto,
    single: a,
    second: b,
    getter: (p, out, ctx) => {
      const x = a(p, ctx);
      if (x !== x) return 0;
      out.nums[0] = x;
      out.nums[1] = b(p, ctx);
      return 2;
    },
    description,
    ...(max !== undefined ? { max } : {}),
  });
}

function relTime(p: DecodedPacket, ctx: FilterContext): number {
  const f = ctx.firstTime;
  if (f !== ctx.firstFrom && !(f !== f && ctx.firstFrom !== ctx.firstFrom)) {
    // The engine set (or changed) firstTime: microsecond precision is what a double holds at epoch scale.
    const s = Math.floor(f);
    ctx.firstSec = s;
    ctx.firstNsec = Math.round((f - s) * 1e6) * 1000;
    ctx.firstFrom = f;
  } else if (ctx.firstSec !== ctx.firstSec) {
    setFirstPacketTime(ctx, p.tsSec, p.tsNsec);
  }
  return p.tsSec - ctx.firstSec + (p.tsNsec - ctx.firstNsec) / 1e9;
}

function ip6Getter(which: 0 | 1 | 2): (p: DecodedPacket, out: FieldValues) => number {
  return (p, out) => {
    if (p.l3 !== L3.IPv6) return 0;
    const w = out.ip6;
    if (which !== 1) for (let i = 0; i < 4; i++) w[i] = p.ip6Src[i]!;
    if (which === 1) for (let i = 0; i < 4; i++) w[i] = p.ip6Dst[i]!;
    if (which === 2) for (let i = 0; i < 4; i++) w[4 + i] = p.ip6Dst[i]!;
    return which === 2 ? 2 : 1;
  };
}

const U8 = 255;
const U16 = 65535;
const U32 = 4294967295;

function tcpFlag(name: string, bit: number, what: string): void {
  single(`tcp.flags.${name}`, 'bool', 'tcp', (p) => (isTcp(p) ? ((p.tcpFlags & bit) !== 0 ? 1 : 0) : NONE), what, 1);
}

function arpAddr(p: DecodedPacket, off: number): number {
  if (p.l3 !== L3.Arp || p.l3Off < 0) return NONE;
  const b = p.buf;
  const o = p.l3Off;
  if (o + 28 > p.frameOff + p.capLen) return NONE;
  if (((b[o]! << 8) | b[o + 1]!) !== 1 || b[o + 4] !== 6) return NONE;
  return readMac(b, o + off);
}

export function registerHeaderFields(): void {
  // ---- frame ----
  single('frame.len', 'uint', 'frame', (p) => p.origLen, 'frame length on the wire', U32);
  single('frame.cap_len', 'uint', 'frame', (p) => p.capLen, 'captured length', U32);
  single('frame.time_relative', 'float', 'frame', relTime, 'seconds since the first packet');
  single('frame.time_epoch', 'float', 'frame', (p) => p.tsSec + p.tsNsec / 1e9, 'seconds since 1970');
  single('frame.interface_id', 'uint', 'frame', (p) => p.ifIndex, 'pcapng interface index', U32);
  single('frame.malformed', 'uint', 'frame', (p) => (p.malformed !== 0 ? p.malformed : NONE), 'malformed reason code (present only when malformed)', 255);

  // ---- Ethernet / VLAN ----
  single('eth.src', 'ether', 'eth', (p) => (hasEth(p) ? readMac(p.buf, p.ethOff + 6) : NONE), 'source MAC');
  single('eth.dst', 'ether', 'eth', (p) => (hasEth(p) ? readMac(p.buf, p.ethOff) : NONE), 'destination MAC');
  pair('eth.addr', 'ether', 'eth', (p) => (hasEth(p) ? readMac(p.buf, p.ethOff + 6) : NONE), (p) => readMac(p.buf, p.ethOff), 'source or destination MAC');
  single(
    'eth.type',
    'uint',
    'eth',
    (p) => {
      if (!hasEth(p)) return NONE;
      const t = (p.buf[p.ethOff + 12]! << 8) | p.buf[p.ethOff + 13]!;
      return t >= 1536 ? t : NONE;
    },
    'ethertype of the Ethernet header (0x8100 for a tagged frame, as in tshark)',
    U16,
  );
  registerField({
    name: 'vlan.id',
    type: 'uint',
    proto: 'vlan',
    getter: (p, out) => {
      if (p.vlanCount === 0) return 0;
      out.nums[0] = p.vlanId;
      if (p.vlanCount > 1 && p.vlanId2 >= 0) {
        out.nums[1] = p.vlanId2;
        return 2;
      }
      return 1;
    },
    description: 'VLAN id (outer and inner tag)',
    max: 4095,
  });

  // ---- IPv4 ----
  const v4 = (f: Single): Single => (p, c) => (p.l3 === L3.IPv4 ? f(p, c) : NONE);
  // IPv4 getters return ipv4Key(address): a small integer, never a heap number.
  single('ip.src', 'ipv4', 'ip', v4((p) => ipv4Key(p.ip4Src)), 'IPv4 source');
  single('ip.dst', 'ipv4', 'ip', v4((p) => ipv4Key(p.ip4Dst)), 'IPv4 destination');
  pair('ip.addr', 'ipv4', 'ip', v4((p) => ipv4Key(p.ip4Src)), (p) => ipv4Key(p.ip4Dst), 'IPv4 source or destination');
  single('ip.proto', 'uint', 'ip', v4((p) => p.ipProto), 'IPv4 protocol', U8);
  single('ip.ttl', 'uint', 'ip', v4((p) => p.ipTtl), 'IPv4 time to live', U8);
  single('ip.len', 'uint', 'ip', v4((p) => p.ipLen), 'IPv4 total length', U16);
  single('ip.id', 'uint', 'ip', v4((p) => p.ipId), 'IPv4 identification', U16);
  single('ip.hdr_len', 'uint', 'ip', v4((p) => p.ipHdrLen), 'IPv4 header length in bytes', U8);
  single('ip.flags.df', 'bool', 'ip', v4((p) => p.ipDf), "IPv4 don't fragment", 1);
  single('ip.flags.mf', 'bool', 'ip', v4((p) => p.ipMf), 'IPv4 more fragments', 1);
  // tshark 4.0.17 shows ip.frag_offset in 8-byte units (185 for a fragment at byte 1480).
  single('ip.frag_offset', 'uint', 'ip', v4((p) => p.ipFragOffset / 8), 'IPv4 fragment offset (8-byte units, as tshark 4.0)', 8191);

  // ---- IPv6 ----
  registerField({ name: 'ipv6.src', type: 'ipv6', proto: 'ipv6', getter: ip6Getter(0), description: 'IPv6 source' });
  registerField({ name: 'ipv6.dst', type: 'ipv6', proto: 'ipv6', getter: ip6Getter(1), description: 'IPv6 destination' });
  registerField({ name: 'ipv6.addr', type: 'ipv6', proto: 'ipv6', getter: ip6Getter(2), description: 'IPv6 source or destination' });
  const v6 = (f: Single): Single => (p, c) => (p.l3 === L3.IPv6 ? f(p, c) : NONE);
  single('ipv6.nxt', 'uint', 'ipv6', v6((p) => p.ip6Nxt), 'IPv6 next header of the fixed header', U8);
  single('ipv6.hlim', 'uint', 'ipv6', v6((p) => p.ipTtl), 'IPv6 hop limit', U8);
  single('ipv6.plen', 'uint', 'ipv6', v6((p) => (p.ipLen >= 40 ? p.ipLen - 40 : NONE)), 'IPv6 payload length', U16);

  // ---- TCP ----
  const tcp = (f: Single): Single => (p, c) => (isTcp(p) ? f(p, c) : NONE);
  single('tcp.srcport', 'uint', 'tcp', tcp((p) => p.srcPort), 'TCP source port', U16);
  single('tcp.dstport', 'uint', 'tcp', tcp((p) => p.dstPort), 'TCP destination port', U16);
  pair('tcp.port', 'uint', 'tcp', tcp((p) => p.srcPort), (p) => p.dstPort, 'TCP source or destination port', U16);
  single('tcp.len', 'uint', 'tcp', tcp((p) => p.payloadWireLen), 'TCP segment data length', U32);
  single('tcp.hdr_len', 'uint', 'tcp', tcp((p) => p.tcpHdrLen), 'TCP header length in bytes', U8);
  single('tcp.seq_raw', 'uint', 'tcp', tcp((p) => p.tcpSeq), 'TCP sequence number as sent', U32);
  single('tcp.ack_raw', 'uint', 'tcp', tcp((p) => (p.tcpAck < 0 ? 0 : p.tcpAck)), 'TCP acknowledgment number as sent', U32);
  single('tcp.seq', 'uint', 'tcp', tcp((_p, c) => (c.tcpRel ? c.tcpRel.seq : NONE)), 'TCP sequence number, relative (as tshark shows it)', U32, {
    needsTcpRel: true,
  });
  single('tcp.ack', 'uint', 'tcp', tcp((_p, c) => (c.tcpRel ? c.tcpRel.ack : NONE)), 'TCP acknowledgment number, relative (as tshark shows it)', U32, {
    needsTcpRel: true,
  });
  single('tcp.window_size_value', 'uint', 'tcp', tcp((p) => p.tcpWin), 'TCP window field (unscaled)', U16);
  single('tcp.flags', 'uint', 'tcp', tcp((p) => p.tcpFlags & 0xfff), 'TCP flags (FIN 0x01 .. CWR 0x80, NS 0x100)', 0xfff);
  tcpFlag('fin', 1, 'TCP FIN');
  tcpFlag('syn', 2, 'TCP SYN');
  tcpFlag('reset', 4, 'TCP RST');
  tcpFlag('push', 8, 'TCP PSH');
  tcpFlag('ack', 16, 'TCP ACK');
  tcpFlag('urg', 32, 'TCP URG');
  tcpFlag('ece', 64, 'TCP ECN-Echo');
  tcpFlag('cwr', 128, 'TCP CWR');
  tcpFlag('ns', 256, 'TCP nonce');

  // ---- UDP / SCTP ----
  const udp = (f: Single): Single => (p, c) => (isUdp(p) ? f(p, c) : NONE);
  single('udp.srcport', 'uint', 'udp', udp((p) => p.srcPort), 'UDP source port', U16);
  single('udp.dstport', 'uint', 'udp', udp((p) => p.dstPort), 'UDP destination port', U16);
  pair('udp.port', 'uint', 'udp', udp((p) => p.srcPort), (p) => p.dstPort, 'UDP source or destination port', U16);
  single('udp.length', 'uint', 'udp', udp((p) => p.udpLen), 'UDP length field', U16);
  const sctp = (f: Single): Single => (p, c) => (isSctp(p) ? f(p, c) : NONE);
  single('sctp.srcport', 'uint', 'sctp', sctp((p) => p.srcPort), 'SCTP source port', U16);
  single('sctp.dstport', 'uint', 'sctp', sctp((p) => p.dstPort), 'SCTP destination port', U16);
  pair('sctp.port', 'uint', 'sctp', sctp((p) => p.srcPort), (p) => p.dstPort, 'SCTP source or destination port', U16);

  // ---- ICMP ----
  single('icmp.type', 'uint', 'icmp', (p) => (isIcmp(p) && p.icmpType >= 0 ? p.icmpType : NONE), 'ICMP type', U8);
  single('icmp.code', 'uint', 'icmp', (p) => (isIcmp(p) && p.icmpCode >= 0 ? p.icmpCode : NONE), 'ICMP code', U8);
  single('icmpv6.type', 'uint', 'icmpv6', (p) => (isIcmp6(p) && p.icmpType >= 0 ? p.icmpType : NONE), 'ICMPv6 type', U8);
  single('icmpv6.code', 'uint', 'icmpv6', (p) => (isIcmp6(p) && p.icmpCode >= 0 ? p.icmpCode : NONE), 'ICMPv6 code', U8);

  // ---- ARP ----
  const arp = (f: Single): Single => (p, c) => (p.l3 === L3.Arp ? f(p, c) : NONE);
  single('arp.opcode', 'uint', 'arp', arp((p) => (p.arpOp >= 0 ? p.arpOp : NONE)), 'ARP opcode (1 request, 2 reply)', U16);
  single('arp.src.proto_ipv4', 'ipv4', 'arp', arp((p) => ipv4Key(p.arpSpa)), 'ARP sender IPv4 address');
  single('arp.dst.proto_ipv4', 'ipv4', 'arp', arp((p) => ipv4Key(p.arpTpa)), 'ARP target IPv4 address');
  single('arp.src.hw_mac', 'ether', 'arp', (p) => arpAddr(p, 8), 'ARP sender MAC');
  single('arp.dst.hw_mac', 'ether', 'arp', (p) => arpAddr(p, 18), 'ARP target MAC');

  // ---- protocol names ----
  registerProtocol({ name: 'frame', test: () => true, description: 'every packet' });
  registerProtocol({ name: 'eth', code: Proto.Eth, test: hasEth, description: 'Ethernet' });
  registerProtocol({ name: 'vlan', code: Proto.Vlan, test: (p) => p.vlanCount > 0, description: '802.1Q/802.1ad tag' });
  registerProtocol({ name: 'arp', code: Proto.Arp, test: (p) => p.l3 === L3.Arp, description: 'ARP' });
  registerProtocol({ name: 'ip', code: Proto.IPv4, test: (p) => p.l3 === L3.IPv4, description: 'IPv4' });
  registerProtocol({ name: 'ipv6', code: Proto.IPv6, test: (p) => p.l3 === L3.IPv6, description: 'IPv6' });
  registerProtocol({ name: 'tcp', code: Proto.Tcp, test: isTcp, description: 'TCP' });
  registerProtocol({ name: 'udp', code: Proto.Udp, test: isUdp, description: 'UDP' });
  registerProtocol({ name: 'sctp', code: Proto.Sctp, test: isSctp, description: 'SCTP' });
  registerProtocol({ name: 'icmp', code: Proto.Icmp, test: isIcmp, description: 'ICMP' });
  registerProtocol({ name: 'icmpv6', code: Proto.Icmpv6, test: isIcmp6, description: 'ICMPv6' });
  registerProtocol({ name: 'gre', code: Proto.Gre, test: (p) => hasL4(p, 47), description: 'GRE' });
  registerProtocol({ name: 'esp', code: Proto.Esp, test: (p) => hasL4(p, 50), description: 'IPsec ESP' });
  registerProtocol({ name: 'igmp', code: Proto.Igmp, test: (p) => p.l3 === L3.IPv4 && hasL4(p, 2), description: 'IGMP' });
  // Application protocols: true when the dissection layer put them in the packet's path.
  const apps: [string, number][] = [
    ['dns', Proto.Dns],
    ['http', Proto.Http],
    ['tls', Proto.Tls],
    ['ssh', Proto.Ssh],
    ['dhcp', Proto.Dhcp],
    ['ntp', Proto.Ntp],
    ['quic', Proto.Quic],
    ['mdns', Proto.Mdns],
    ['llmnr', Proto.Llmnr],
  ];
  for (const [name, code] of apps) registerProtocol({ name, code, app: true, description: `${name.toUpperCase()} (application)` });
}
