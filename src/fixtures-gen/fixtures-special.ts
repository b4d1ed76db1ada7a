/** Malformed packets, truncated files and the hostile-content capture for the safety tests. */
import { MALFORMED_REASONS } from '../decode/packet.js';
import { Fixture } from './fixture.js';
import { Net, TcpConn, macFor } from './net.js';
import { sampleTraffic } from './fixtures-formats.js';
import {
  ETH,
  IPPROTO,
  concat,
  dnsQuery,
  dnsResponse,
  ethernet,
  httpRequest,
  httpResponse,
  icmp,
  ipv4,
  ipv6,
  tcp,
  tlsClientHello,
  udp,
  utf8,
  TCP,
} from './packet-builder.js';

const MS = 1_000_000;

export function specialFixtures(): Fixture[] {
  return [malformed(), hostile()];
}

/** Index into MALFORMED_REASONS by the Malformed enum values (const enums are erased, so by text). */
function reason(text: string): string {
  if (!MALFORMED_REASONS.includes(text)) throw new Error(`unknown malformed reason ${text}`);
  return text;
}

function malformed(): Fixture {
  const fx = new Fixture('malformed.pcap', {
    description:
      'Ethernet frames with known defects interleaved with good ones; manifest.malformed counts them by wiretop reason text.',
  });
  const net = new Net(fx);
  const a = '10.9.0.1';
  const b = '10.9.0.2';
  const ma = macFor(a);
  const mb = macFor(b);
  let t = 0;
  const eth = (type: number, l3: Uint8Array): Uint8Array => ethernet({ src: ma, dst: mb, type }, l3);
  const good = (): void => net.ip((t += MS), a, b, IPPROTO.TCP, tcp({ sport: 1000, dport: 2000, flags: TCP.ACK }), ['tcp']);
  const bad = (frame: Uint8Array, protos: string[], why: string, withPair: boolean): void => {
    fx.add((t += MS), frame, { protos, malformed: reason(why), ...(withPair ? { src: a, dst: b } : {}) });
  };
  good();
  // TCP header cut to 10 bytes, and the IP total length agrees (so the IP layer is fine).
  const shortTcp = tcp({ sport: 1000, dport: 2000, flags: TCP.SYN }).subarray(0, 10);
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.TCP, l4Checksum: false }, shortTcp)), ['eth', 'ipv4'], 'TCP header truncated', true);
  good();
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.TCP, l4Checksum: false }, shortTcp.subarray(0, 4))), ['eth', 'ipv4'], 'TCP header truncated', true);
  // IHL below 5.
  const seg = tcp({ sport: 1000, dport: 2000, flags: TCP.ACK });
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.TCP, ihl: 3 }, seg)), ['eth', 'ipv4'], 'IPv4 bad header length', false);
  good();
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.TCP, ihl: 4 }, seg)), ['eth', 'ipv4'], 'IPv4 bad header length', false);
  // TCP data offset 3 words (< 5).
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.TCP }, tcp({ sport: 1000, dport: 2000, dataOffset: 3 }))), ['eth', 'ipv4'], 'TCP bad header length', true);
  // UDP length field larger than the datagram.
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.UDP, l4Checksum: false }, udp({ sport: 5, dport: 6, payload: utf8('short'), length: 100 }))), ['eth', 'ipv4'], 'UDP bad length', true);
  // ICMP cut to 4 bytes.
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.ICMP }, icmp({ type: 8 }).subarray(0, 4))), ['eth', 'ipv4'], 'ICMP header truncated', true);
  good();
  // Only 12 bytes of IPv4 header.
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.TCP }, seg).subarray(0, 12)), ['eth', 'ipv4'], 'IPv4 header truncated', false);
  // Version nibble 5 under ethertype 0x0800.
  const v5 = ipv4({ src: a, dst: b, proto: IPPROTO.TCP }, seg);
  v5[0] = 0x55;
  bad(eth(ETH.IPv4, v5), ['eth', 'ipv4'], 'IPv4 bad version', false);
  // Total length smaller than the header.
  bad(eth(ETH.IPv4, ipv4({ src: a, dst: b, proto: IPPROTO.TCP, totalLength: 16 }, seg)), ['eth', 'ipv4'], 'IPv4 bad total length', false);
  // 30 bytes of an IPv6 header.
  bad(eth(ETH.IPv6, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: IPPROTO.NONE }, new Uint8Array(0)).subarray(0, 30)), ['eth', 'ipv6'], 'IPv6 header truncated', false);
  // A VLAN tag cut after 2 bytes, and a 10-byte Ethernet frame.
  bad(concat(ethernet({ src: ma, dst: mb, type: ETH.VLAN }, new Uint8Array(0)), Uint8Array.of(0, 100)), ['eth', 'vlan'], 'VLAN tag truncated', false);
  bad(eth(ETH.IPv4, new Uint8Array(0)).subarray(0, 10), ['eth'], 'link header truncated', false);
  // ARP with 10 bytes of body.
  bad(eth(ETH.ARP, Uint8Array.of(0, 1, 8, 0, 6, 4, 0, 1, 2, 0)), ['eth', 'arp'], 'ARP truncated', false);
  good();
  fx.expect = {
    goodPackets: 5,
    malformedPackets: 14,
    note: 'protocols lists the layers that are intact; pairs include only packets whose IPv4 header is intact',
  };
  return fx;
}

/** A capture cut inside its last record (data, or the record header). */
export function truncatedFixtures(): { fx: Fixture; cut: (b: Uint8Array) => Uint8Array }[] {
  const mk = (name: string, description: string, extra: number): { fx: Fixture; cut: (b: Uint8Array) => Uint8Array } => {
    const fx = new Fixture(name, { description });
    sampleTraffic(new Net(fx), 0);
    // A record header claiming 74 captured bytes, then fewer bytes than claimed.
    const hdr = new Uint8Array(16);
    const v = new DataView(hdr.buffer);
    v.setUint32(0, 1_767_225_601, true);
    v.setUint32(8, 74, true);
    v.setUint32(12, 74, true);
    const tail = concat(hdr, new Uint8Array(30).fill(0xee)).subarray(0, extra);
    fx.expect = { completePackets: 14, truncatedTailBytes: extra, cutInside: extra < 16 ? 'record header' : 'record data' };
    return { fx, cut: (b) => concat(b, tail) };
  };
  return [
    mk('truncated.pcap', 'basic-us.pcap traffic, then a 15th record whose data is cut short (header says 74 bytes, 30 present).', 46),
    mk('truncated-header.pcap', 'basic-us.pcap traffic, then 8 bytes of a 15th record header.', 8),
  ];
}

// Terminal-hostile byte strings. Each must be shown escaped, never written raw.
const ESC_CLEAR = '\x1b[2J';
const OSC_TITLE = '\x1b]0;pwned\x07';
const OSC_CLIP = '\x1b]52;c;cm0gLXJmIH4=\x07';
const C1_CSI = Uint8Array.of(0x9b, 0x32, 0x4a); // 8-bit CSI "2J"
const BAD_UTF8 = Uint8Array.of(0xff, 0xfe, 0xc3, 0x28, 0xc0, 0xaf);

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** Replace every occurrence of an ASCII placeholder with bytes of the same length. */
function patch(msg: Uint8Array, placeholder: string, bytes: Uint8Array): Uint8Array {
  const p = utf8(placeholder);
  if (p.length !== bytes.length) throw new Error('patch length');
  const out = msg.slice();
  for (let i = 0; i + p.length <= out.length; i++) {
    let k = 0;
    while (k < p.length && out[i + k] === p[k]) k++;
    if (k === p.length) out.set(bytes, i);
  }
  return out;
}

function hostile(): Fixture {
  const fx = new Fixture('hostile.pcap', {
    description:
      'Terminal escape sequences in DNS names, HTTP Host/User-Agent, TLS SNI and raw TCP payloads: ESC[2J, OSC 0 title, OSC 52 clipboard, 8-bit C1 CSI (0x9b), invalid UTF-8.',
  });
  const net = new Net(fx);
  const c = '10.66.0.2';
  const r = '10.66.0.1';
  const s = '198.51.100.66';
  let t = 0;
  const dnsNames = [`${ESC_CLEAR}clear.example`, `title${OSC_TITLE}.example`, `clip${OSC_CLIP}.example`, 'c1QQQ.example', 'utfQQQQQQ.example'];
  dnsNames.forEach((name, i) => {
    let q = dnsQuery({ id: 0x4000 + i, name });
    let res = dnsResponse({ id: 0x4000 + i, name, answers: [{ type: 'CNAME', data: `x${ESC_CLEAR}.cname.example` }] });
    q = patch(patch(q, 'QQQQQQ', BAD_UTF8), 'QQQ', C1_CSI);
    res = patch(patch(res, 'QQQQQQ', BAD_UTF8), 'QQQ', C1_CSI);
    net.udp((t += 5 * MS), c, 50000 + i, r, 53, q, { app: ['dns'] });
    net.udp((t += 2 * MS), r, 53, c, 50000 + i, res, { app: ['dns'] });
  });
  const http = new TcpConn(net, { client: c, cport: 51000, server: s, sport: 80, app: 'http' });
  t = http.open((t += 10 * MS), 10 * MS);
  http.send(
    (t += MS),
    'c',
    httpRequest({
      host: concat(utf8(`evil${ESC_CLEAR}`), C1_CSI, utf8('.example')),
      path: '/%1b[2J',
      userAgent: concat(utf8(`${OSC_TITLE}Mozilla/5.0 `), BAD_UTF8, utf8(OSC_CLIP)),
    }),
  );
  http.send((t += 10 * MS), 's', httpResponse({ headers: [['Server', concat(utf8(ESC_CLEAR), C1_CSI)]], body: `${OSC_TITLE}body` }));
  http.ack((t += MS), 'c');
  t = http.close((t += MS), 'c', 10 * MS);
  const tls = new TcpConn(net, { client: c, cport: 51001, server: s, sport: 443, app: 'tls' });
  t = tls.open((t += 10 * MS), 10 * MS);
  tls.send((t += MS), 'c', tlsClientHello({ sni: concat(utf8(`sni${OSC_TITLE}`), BAD_UTF8, utf8('.example')) }));
  tls.reset((t += 10 * MS), 's');
  const raw = new TcpConn(net, { client: c, cport: 51002, server: s, sport: 4444 });
  t = raw.open((t += 10 * MS), 10 * MS);
  raw.send((t += MS), 'c', concat(utf8(ESC_CLEAR + OSC_TITLE + OSC_CLIP), C1_CSI, BAD_UTF8, utf8('\r\x08\x07\n')));
  raw.send((t += MS), 's', concat(C1_CSI, utf8('\x1b[31mred\x1b[0m\x1bc')));
  t = raw.close((t += MS), 'c', 10 * MS);
  fx.expect = {
    sequences: { escClear: 'ESC [2J', oscTitle: 'ESC ]0;pwned BEL', oscClipboard: 'ESC ]52;c;... BEL', c1Csi: '0x9b', invalidUtf8: 'ff fe c3 28 c0 af' },
    dnsQueries: dnsNames.length,
    /** Query names as raw bytes (hex), after the placeholders were replaced. */
    dnsNamesHex: dnsNames.map((n) => hex(patch(patch(utf8(n), 'QQQQQQ', BAD_UTF8), 'QQQ', C1_CSI))),
    httpRequests: 1,
    tlsClientHellos: 1,
    rule: 'no byte in 0x00-0x1f, 0x7f or 0x80-0x9f from packet data may reach the terminal unescaped',
  };
  return fx;
}
