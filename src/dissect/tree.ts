import type { DecodedPacket } from '../decode/packet.js';
import { ip4ToString, ip6ToString, macToString } from '../decode/addr.js';
import { dissectPacket } from './dissect.js';
import type { AppInfo } from './types.js';
import { HANDSHAKE_NAMES, VERSION_NAMES } from './tls.js';
import { escapeWire } from '../util/escape.js';
import { shownWindow, type TcpShown } from '../flows/tcp-numbers.js';

/**
 * One line of the packet detail tree. `off`/`len` locate the field's bytes in
 * the frame (offsets relative to the frame start, as a hex dump shows them),
 * so the UI can highlight them; -1 when the field has no single byte range.
 */
export interface FieldNode {
  readonly label: string;
  readonly off: number;
  readonly len: number;
  readonly children?: FieldNode[];
}

function node(label: string, off: number, len: number, children?: FieldNode[]): FieldNode {
  return children ? { label: escapeWire(label), off, len, children } : { label: escapeWire(label), off, len };
}

const hex = (v: number, w = 4): string => `0x${(v >>> 0).toString(16).padStart(w, '0')}`;

/**
 * The field tree of a packet, layer by layer (frame, link, network,
 * transport, application). Built on demand for the selected packet only.
 */
export function packetTree(p: DecodedPacket, app: AppInfo | null = dissectPacket(p), tcp: TcpShown | null = null): FieldNode[] {
  const f = p.frameOff;
  const rel = (o: number): number => (o < 0 ? -1 : o - f);
  const out: FieldNode[] = [];
  out.push(node(`Frame: ${p.origLen} bytes on wire, ${p.capLen} bytes captured`, 0, p.capLen, [
    node(`Arrival time: ${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`, -1, 0),
    node(`Interface: ${p.ifIndex}`, -1, 0),
  ]));
  const link = linkHeader(p);
  if (link) out.push(link);
  if (p.ethOff >= 0) {
    const e = p.ethOff;
    const hdr = 14 + 4 * p.vlanCount;
    const kids = [node(`Destination: ${macToString(p.buf, e)}`, rel(e), 6), node(`Source: ${macToString(p.buf, e + 6)}`, rel(e + 6), 6)];
    if (p.vlanId >= 0) kids.push(node(`VLAN ID: ${p.vlanId}`, rel(e + 14), 4));
    if (p.vlanId2 >= 0) kids.push(node(`Inner VLAN ID: ${p.vlanId2}`, rel(e + 18), 4));
    kids.push(node(`Type: ${hex(p.etherType)}`, rel(e + hdr - 2), 2));
    out.push(node('Ethernet II', rel(e), hdr, kids));
  }
  const l3 = p.l3Off;
  if (p.l3 === 4 && l3 >= 0) {
    const hl = p.ipHdrLen > 0 ? p.ipHdrLen : 20;
    out.push(node(`Internet Protocol Version 4, Src: ${ip4ToString(p.ip4Src)}, Dst: ${ip4ToString(p.ip4Dst)}`, rel(l3), hl, [
      node(`Header length: ${hl} bytes`, rel(l3), 1),
      node(`Total length: ${p.ipLen}`, rel(l3 + 2), 2),
      node(`Identification: ${hex(p.ipId)}`, rel(l3 + 4), 2),
      node(`Flags: ${p.ipDf ? "Don't fragment" : ''}${p.ipMf ? ' More fragments' : ''}`.trim(), rel(l3 + 6), 2),
      node(`Fragment offset: ${p.ipFragOffset}`, rel(l3 + 6), 2),
      node(`Time to live: ${p.ipTtl}`, rel(l3 + 8), 1),
      node(`Protocol: ${p.ipProto}`, rel(l3 + 9), 1),
      node(`Source: ${ip4ToString(p.ip4Src)}`, rel(l3 + 12), 4),
      node(`Destination: ${ip4ToString(p.ip4Dst)}`, rel(l3 + 16), 4),
    ]));
  } else if (p.l3 === 6 && l3 >= 0) {
    const hl = p.l4Off >= 0 ? p.l4Off - l3 : 40;
    out.push(node(`Internet Protocol Version 6, Src: ${ip6ToString(p.ip6Src)}, Dst: ${ip6ToString(p.ip6Dst)}`, rel(l3), hl, [
      node(`Payload length: ${p.ipLen - 40}`, rel(l3 + 4), 2),
      node(`Next header: ${p.ip6Nxt}`, rel(l3 + 6), 1),
      node(`Hop limit: ${p.ipTtl}`, rel(l3 + 7), 1),
      node(`Source: ${ip6ToString(p.ip6Src)}`, rel(l3 + 8), 16),
      node(`Destination: ${ip6ToString(p.ip6Dst)}`, rel(l3 + 24), 16),
    ]));
  }
  const l4 = p.l4Off;
  if (l4 >= 0 && p.ipProto === 6 && p.srcPort >= 0) {
    const hl = p.tcpHdrLen > 0 ? p.tcpHdrLen : 20;
    out.push(node(`Transmission Control Protocol, Src Port: ${p.srcPort}, Dst Port: ${p.dstPort}, Len: ${p.payloadWireLen}`, rel(l4), hl, [
      node(`Source port: ${p.srcPort}`, rel(l4), 2),
      node(`Destination port: ${p.dstPort}`, rel(l4 + 2), 2),
      ...tcpNumberNodes(p, tcp, rel(l4)),
      node(`Header length: ${hl} bytes`, rel(l4 + 12), 1),
      node(`Flags: ${hex(p.tcpFlags, 3)}`, rel(l4 + 12), 2),
      ...tcpWindowNodes(p, tcp, rel(l4)),
    ]));
  } else if (l4 >= 0 && p.ipProto === 17 && p.srcPort >= 0) {
    out.push(node(`User Datagram Protocol, Src Port: ${p.srcPort}, Dst Port: ${p.dstPort}`, rel(l4), 8, [
      node(`Source port: ${p.srcPort}`, rel(l4), 2),
      node(`Destination port: ${p.dstPort}`, rel(l4 + 2), 2),
      node(`Length: ${p.udpLen}`, rel(l4 + 4), 2),
    ]));
  }
  if (app) out.push(appTree(app, p, rel));
  return out;
}

/** Sequence and acknowledgment numbers as tshark -V prints them: relative (when known), then raw. */
function tcpNumberNodes(p: DecodedPacket, tcp: TcpShown | null, at: number): FieldNode[] {
  const seq = p.tcpSeq >>> 0;
  const ack = p.tcpAck >>> 0;
  const isAck = (p.tcpFlags & 16) !== 0;
  const out: FieldNode[] = [];
  if (tcp !== null && tcp.tcpSeq >= 0) {
    out.push(node(`Sequence Number: ${tcp.tcpSeq}    (relative sequence number)`, at + 4, 4));
  }
  out.push(node(`Sequence Number (raw): ${seq}`, at + 4, 4));
  if (tcp !== null && tcp.tcpSeq >= 0) {
    out.push(node(isAck ? `Acknowledgment Number: ${tcp.tcpAck}    (relative ack number)` : `Acknowledgment Number: ${ack}`, at + 8, 4));
  }
  out.push(node(`Acknowledgment number (raw): ${ack}`, at + 8, 4));
  return out;
}

/** The window field, and (with the connection's numbers) tshark's calculated window and scaling factor. */
function tcpWindowNodes(p: DecodedPacket, tcp: TcpShown | null, at: number): FieldNode[] {
  const out = [node(`Window: ${p.tcpWin}`, at + 14, 2)];
  if (tcp === null || tcp.tcpSeq < 0) return out;
  out.push(node(`[Calculated window size: ${shownWindow(p, tcp.tcpScale)}]`, at + 14, 2));
  if ((p.tcpFlags & 2) === 0) {
    const s = tcp.tcpScale;
    out.push(node(`[Window size scaling factor: ${s === -1 ? '-1 (unknown)' : s === -2 ? '-2 (no window scaling used)' : 1 << s}]`, -1, 0));
  }
  return out;
}

const SLL_PACKET_TYPES = ['to us', 'broadcast', 'multicast', 'to another host', 'sent by us'];

/** The link header of the link types without an Ethernet header (cooked, loopback); raw IP has none. */
function linkHeader(p: DecodedPacket): FieldNode | null {
  const b = p.buf;
  const f = p.frameOff;
  const be16 = (o: number): number => (b[f + o]! << 8) | b[f + o + 1]!;
  const type = (t: number): string => `Packet type: ${SLL_PACKET_TYPES[t] ?? t} (${t})`;
  if (p.linkType === 113 && p.capLen >= 16) {
    return node('Linux cooked capture v1', 0, 16, [node(type(be16(0)), 0, 2), node(`Protocol: ${hex(be16(14))}`, 14, 2)]);
  }
  if (p.linkType === 276 && p.capLen >= 20) {
    const ifIndex = ((b[f + 4]! << 24) | (b[f + 5]! << 16) | (b[f + 6]! << 8) | b[f + 7]!) >>> 0;
    return node('Linux cooked capture v2', 0, 20, [
      node(`Protocol: ${hex(be16(0))}`, 0, 2), node(`Interface index: ${ifIndex}`, 4, 4), node(type(b[f + 10]!), 10, 1),
    ]);
  }
  if ((p.linkType === 0 || p.linkType === 108) && p.capLen >= 4) {
    // The address family is in the capturing host's byte order.
    const family = b[f] !== 0 ? b[f]! : b[f + 3]!;
    return node('Null/Loopback', 0, 4, [node(`Family: ${family}`, 0, 4)]);
  }
  return null;
}

function appTree(a: AppInfo, p: DecodedPacket, rel: (o: number) => number): FieldNode {
  const po = rel(p.payloadOff);
  const pl = p.payloadLen;
  switch (a.proto) {
    case 'dns': {
      const base = po + (a.overTcp ? 2 : 0);
      const rec = (r: { name: string; type: string; off: number; len: number }, extra: string): FieldNode =>
        node(`${r.name}: type ${r.type}${extra}`, rel(r.off), r.len);
      return node('Domain Name System', po, pl, [
        node(`Transaction ID: ${hex(a.id)}`, base, 2),
        node(`Flags: ${hex(a.flags)} ${a.isResponse ? 'response' : 'query'}, rcode ${a.rcodeName}`, base + 2, 2),
        node(`Questions: ${a.qdcount}`, base + 4, 2),
        node(`Answer RRs: ${a.ancount}`, base + 6, 2),
        node(`Authority RRs: ${a.nscount}`, base + 8, 2),
        node(`Additional RRs: ${a.arcount}`, base + 10, 2),
        node('Queries', -1, 0, a.questions.map((q) => rec(q, ''))),
        node('Answers', -1, 0, a.answers.map((r) => rec(r, `, ttl ${r.ttl}, ${r.data}`))),
        ...(a.error ? [node(`[Malformed: ${a.error}]`, -1, 0)] : []),
      ]);
    }
    case 'http': {
      const first = a.kind === 'request' ? `${a.method} ${a.uri} ${a.version}` : `${a.version} ${a.status} ${a.reason}`;
      const firstLen = a.headers.length > 0 ? a.headers[0]!.off - p.payloadOff : Math.min(pl, first.length + 2);
      return node('Hypertext Transfer Protocol', po, a.headerLen || pl, [
        node(first, po, firstLen),
        ...a.headers.map((h) => node(`${h.name}: ${h.value}`, rel(h.off), h.len)),
        ...(a.complete ? [] : [node('[Header continues in a later segment]', -1, 0)]),
      ]);
    }
    case 'tls': {
      const kids: FieldNode[] = [node(`Record version: ${VERSION_NAMES[a.recordVersion] ?? hex(a.recordVersion)}`, po + 1, 2)];
      kids.push(node(`Handshake: ${a.handshakeTypes.map((t) => (t < 0 ? 'Encrypted' : HANDSHAKE_NAMES[t] ?? t)).join(', ')}`, -1, 0));
      const ch = a.clientHello;
      if (ch) {
        kids.push(node('Client Hello', -1, 0, [
          ...(ch.sni !== undefined ? [node(`Server Name: ${ch.sni}`, -1, 0)] : []),
          node(`ALPN: ${ch.alpn.join(', ')}`, -1, 0),
          node(`Supported versions: ${ch.versions.map((v) => VERSION_NAMES[v] ?? hex(v)).join(', ')}`, -1, 0),
          node(`Cipher suites (${ch.ciphers.length}): ${ch.ciphers.map((c) => hex(c)).join(' ')}`, -1, 0),
          node(`Extensions (${ch.extensions.length}): ${ch.extensions.join(' ')}`, -1, 0),
          node(`JA3: ${ch.ja3Hash}`, -1, 0),
          node(`JA3 full: ${ch.ja3}`, -1, 0),
          node(`JA4: ${ch.ja4}`, -1, 0),
        ]));
      }
      const sh = a.serverHello;
      if (sh) {
        kids.push(node('Server Hello', -1, 0, [
          node(`Version: ${VERSION_NAMES[sh.version] ?? hex(sh.version)}`, -1, 0),
          node(`Cipher suite: ${hex(sh.cipher)}`, -1, 0),
        ]));
      }
      for (const al of a.alerts) kids.push(node(`Alert: ${al.level === 2 ? 'Fatal' : 'Warning'}, ${al.name}`, -1, 0));
      return node('Transport Layer Security', po, pl, kids);
    }
    case 'ssh':
      return node('SSH Protocol', po, pl, [node(`Protocol: ${a.banner}`, po, a.banner.length)]);
    case 'dhcp':
      return node('Dynamic Host Configuration Protocol', po, pl, [
        node(`Message type: ${a.msgTypeName} (${a.msgType})`, -1, 0),
        node(`Transaction ID: ${hex(a.xid, 8)}`, po + 4, 4),
        node(`Client MAC address: ${a.clientMac}`, po + 28, 6),
        node(`Your (client) IP address: ${a.yiaddr}`, po + 16, 4),
        ...(a.hostname !== undefined ? [node(`Host Name: ${a.hostname}`, -1, 0)] : []),
        ...(a.requestedIp !== undefined ? [node(`Requested IP Address: ${a.requestedIp}`, -1, 0)] : []),
        ...(a.serverId !== undefined ? [node(`DHCP Server Identifier: ${a.serverId}`, -1, 0)] : []),
      ]);
    case 'ntp':
      return node('Network Time Protocol', po, pl, [
        node(`Version: ${a.version}, Mode: ${a.modeName}`, po, 1),
        node(`Stratum: ${a.stratum}`, po + 1, 1),
      ]);
    case 'quic':
      return node('QUIC', po, pl, [
        node(`Header form: ${a.longHeader ? 'Long' : 'Short'}`, po, 1),
        ...(a.longHeader ? [node(`Version: ${a.versionName}`, po + 1, 4), node(`Packet type: ${a.packetType}`, po, 1)] : []),
      ]);
    case 'icmp':
    case 'icmpv6':
      return node(a.proto === 'icmp' ? 'Internet Control Message Protocol' : 'Internet Control Message Protocol v6', rel(p.l4Off), 4, [
        node(`Type: ${a.type} (${a.name})`, rel(p.l4Off), 1),
        node(`Code: ${a.code}`, rel(p.l4Off) + 1, 1),
      ]);
  }
}
