/**
 * Fixtures that exercise file formats and link types. Each carries the same
 * small conversation (sampleTraffic) so one expectation shape fits them all.
 */
import { LINKTYPE } from '../capture/record.js';
import { Fixture, type FixtureOptions } from './fixture.js';
import { Net, TcpConn, type NetOptions } from './net.js';
import { dnsQuery, dnsResponse, httpRequest, httpResponse, utf8 } from './packet-builder.js';
import { Rng } from './rng.js';

const MS = 1_000_000;

/**
 * DNS lookup, an HTTP exchange over a full TCP connection and a ping: 14 packets,
 * between 10.0.0.10 (client), 10.0.0.1 (resolver) and 93.184.216.34 (server).
 * `jitterNs` adds sub-microsecond offsets for nanosecond files; `clientPortOffset` makes
 * a second copy a different conversation.
 */
export function sampleTraffic(net: Net, t0: number, jitterNs = 0, clientPortOffset = 0): number {
  const c = '10.0.0.10';
  const dns = '10.0.0.1';
  const srv = '93.184.216.34';
  let t = t0;
  net.udp(t, c, 53000 + clientPortOffset, dns, 53, dnsQuery({ id: 0x1234, name: 'example.com' }), { app: ['dns'] });
  net.udp((t += 2 * MS + jitterNs), dns, 53, c, 53000 + clientPortOffset, dnsResponse({ id: 0x1234, name: 'example.com', answers: [{ type: 'A', data: srv }] }), { app: ['dns'] });
  const conn = new TcpConn(net, { client: c, cport: 40000 + clientPortOffset, server: srv, sport: 80, app: 'http' });
  t = conn.open((t += 1 * MS + jitterNs), 20 * MS);
  conn.send((t += 1 * MS), 'c', httpRequest({ host: 'example.com', path: '/index.html', userAgent: 'curl/8.5.0' }));
  conn.ack((t += 20 * MS + jitterNs), 's');
  conn.send((t += 1 * MS), 's', httpResponse({ headers: [['Content-Type', 'text/html']], body: '<html><body>hello</body></html>\n' }));
  conn.ack((t += 10 * MS), 'c');
  t = conn.close((t += 5 * MS + jitterNs), 'c', 20 * MS);
  net.icmpEcho((t += 100 * MS), c, srv, true, 0x77, 1, utf8('abcdefghijklmnopqrstuvwabcdefghi'));
  net.icmpEcho((t += 20 * MS + jitterNs), srv, c, false, 0x77, 1, utf8('abcdefghijklmnopqrstuvwabcdefghi'));
  return 14;
}

function simple(name: string, description: string, o: Omit<FixtureOptions, 'description'>, n: NetOptions = {}): Fixture {
  const fx = new Fixture(name, { description, ...o });
  sampleTraffic(new Net(fx, { linkType: o.linkType, ...n }), 0);
  return fx;
}

export function formatFixtures(): Fixture[] {
  const out: Fixture[] = [];
  out.push(simple('basic-us.pcap', 'Classic pcap, microsecond, little-endian, Ethernet: DNS, HTTP over TCP, ICMP echo.', { linkType: 1 }));
  out.push(simple('basic-be.pcap', 'Same traffic as basic-us.pcap in a big-endian pcap.', { linkType: 1, bigEndian: true }));

  const ns = new Fixture('basic-ns.pcap', {
    description: 'Same traffic as basic-us.pcap with nanosecond timestamps (magic a1b23c4d) and sub-microsecond offsets.',
    linkType: 1,
    nanos: true,
  });
  sampleTraffic(new Net(ns), 123_456_789, 1);
  ns.expect = { firstTsSec: 1_767_225_600, firstTsNsec: 123_456_789, secondTsNsec: 125_456_790 };
  out.push(ns);

  out.push(simple('vlan-8021q.pcap', 'Ethernet with one 802.1Q tag (VLAN 100) on every frame.', { linkType: 1 }, { vlan: [100] }));
  out.push(
    simple('vlan-qinq.pcap', 'Ethernet with 802.1ad outer tag (VLAN 200, TPID 0x88a8) and 802.1Q inner tag (VLAN 30).', { linkType: 1 }, { vlan: [200, 30] }),
  );
  out.push(simple('sll.pcap', 'Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113).', { linkType: LINKTYPE.LINUX_SLL }));
  out.push(simple('sll2.pcap', 'Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276).', { linkType: LINKTYPE.LINUX_SLL2 }));
  out.push(simple('raw-ip.pcap', 'Raw IP (LINKTYPE_RAW 101): packets start at the IP header.', { linkType: LINKTYPE.RAW }));
  out.push(simple('null-loopback.pcap', 'BSD loopback (LINKTYPE_NULL 0), 4-byte host-order (little-endian) family AF_INET=2.', { linkType: LINKTYPE.NULL }));
  out.push(simple('loop.pcap', 'OpenBSD loopback (LINKTYPE_LOOP 108), 4-byte network-order family.', { linkType: LINKTYPE.LOOP }));

  out.push(twoInterfaces());
  out.push(blocksPcapng());
  return out;
}

/** pcapng with an Ethernet interface (ns resolution) and a raw-IP interface (default µs), interleaved. */
function twoInterfaces(): Fixture {
  const fx = new Fixture('two-interfaces.pcapng', {
    description:
      'pcapng, little-endian: interface 0 Ethernet with if_tsresol=9 (ns), interface 1 raw IP (101) with if_tsresol=6; sample traffic on each.',
    format: 'pcapng',
    interfaces: [
      { linkType: 1, tsresol: 9, name: 'eth0' },
      { linkType: LINKTYPE.RAW, tsresol: 6, name: 'tun0' },
    ],
  });
  sampleTraffic(new Net(fx, { linkType: 1, ifIndex: 0 }), 1_000_000_001);
  sampleTraffic(new Net(fx, { linkType: LINKTYPE.RAW, ifIndex: 1 }), 2_000_000_000, 0, 1);
  fx.expect = { packetsPerInterface: [14, 14], firstTsNsec: 1 };
  return fx;
}

/**
 * Big-endian pcapng with every block type a reader must handle or skip: NRB,
 * ISB, an unknown block type and Simple Packet Blocks.
 */
function blocksPcapng(): Fixture {
  const fx = new Fixture('blocks-be.pcapng', {
    description:
      'Big-endian pcapng: one Ethernet interface (µs), EPBs, a Name Resolution Block, an unknown block (type 0x1234, must be skipped), 2 Simple Packet Blocks, an Interface Statistics Block.',
    format: 'pcapng',
    bigEndian: true,
    interfaces: [{ linkType: 1, snaplen: 65535 }],
  });
  const net = new Net(fx, { linkType: 1 });
  const ng = fx.ng!;
  sampleTraffic(net, 0);
  ng.writeNameResolution([
    { addr: '93.184.216.34', names: ['example.com'] },
    { addr: '2001:db8::1', names: ['v6.example'] },
  ]);
  ng.writeCustomBlock(0x1234, utf8('opaque'));
  // SPBs carry no timestamp.
  const rng = new Rng('blocks');
  for (let i = 0; i < 2; i++) {
    const before = fx.packets;
    const tmp = new Fixture('tmp', { description: '', linkType: 1 });
    new Net(tmp).udp(0, '10.0.0.10', 5000 + i, '10.0.0.20', 9999, rng.bytes(20));
    const frame = tmpFrame(tmp);
    ng.writeSimplePacket(frame);
    fx.count(NaN, frame.length, frame.length, { protos: ['eth', 'ipv4', 'udp'], src: '10.0.0.10', dst: '10.0.0.20' });
    if (fx.packets !== before + 1) throw new Error('count');
  }
  ng.writeInterfaceStats(0, 1_767_225_601, 0, { ifRecv: 17, ifDrop: 3, osDrop: 1 });
  fx.expect = { simplePacketBlocks: 2, nameResolution: { '93.184.216.34': 'example.com' }, isb: { ifRecv: 17, ifDrop: 3 } };
  return fx;
}

/** The one frame in a scratch fixture (after its 24-byte header and 16-byte record header). */
function tmpFrame(tmp: Fixture): Uint8Array {
  return tmp.bytesOut().slice(40);
}
