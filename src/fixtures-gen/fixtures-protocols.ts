/** Fixtures that exercise one protocol family each (all Ethernet, µs pcap). */
import { Fixture } from './fixture.js';
import { Net, TcpConn, macFor } from './net.js';
import {
  ETH,
  IPPROTO,
  arp,
  dnsOverTcp,
  dnsQuery,
  dnsResponse,
  ethernet,
  httpRequest,
  httpResponse,
  icmp,
  icmpv6Echo,
  icmpv6NeighborAdvert,
  icmpv6NeighborSolicit,
  ipv4,
  ipv4Fragments,
  ipv6Fragments,
  solicitedNode,
  tcp,
  tlsAppData,
  tlsClientHello,
  tlsServerHello,
  udp,
  utf8,
  TCP,
} from './packet-builder.js';
import { Rng } from './rng.js';

const MS = 1_000_000;

export function protocolFixtures(): Fixture[] {
  return [ipv6Fixture(), ipv4Fragments_(), tcpStates(), udpIcmp(), arpFixture(), dnsFixture(), httpFixture(), tlsFixture()];
}

function ipv6Fixture(): Fixture {
  const fx = new Fixture('ipv6.pcap', {
    description:
      'IPv6: ICMPv6 echo and neighbour discovery, UDP behind Hop-by-Hop + Destination Options headers, TCP behind a Routing header, one UDP datagram in 3 fragments, DNS AAAA.',
  });
  const net = new Net(fx);
  const a = '2001:db8:1::10';
  const b = '2001:db8:2::20';
  const la = 'fe80::1';
  const lb = 'fe80::2';
  let t = 0;
  net.ip(t, a, b, IPPROTO.ICMPv6, icmpv6Echo({ request: true, id: 1, seq: 1, payload: utf8('ping6 data') }), ['icmpv6']);
  net.ip((t += 10 * MS), b, a, IPPROTO.ICMPv6, icmpv6Echo({ request: false, id: 1, seq: 1, payload: utf8('ping6 data') }), ['icmpv6']);
  // Solicited-node multicast group of fe80::2 (what solicitedNode(lb).ip holds).
  const snIp = 'ff02::1:ff00:2';
  if (solicitedNode(lb).ip[15] !== 2) throw new Error('solicited-node');
  net.ip((t += 10 * MS), la, snIp, IPPROTO.ICMPv6, icmpv6NeighborSolicit(lb, macFor(la)), ['icmpv6'], { ttl: 255 });
  net.ip((t += 1 * MS), lb, la, IPPROTO.ICMPv6, icmpv6NeighborAdvert(lb, macFor(lb)), ['icmpv6'], { ttl: 255 });
  net.ip((t += 10 * MS), a, b, IPPROTO.UDP, udp({ sport: 40000, dport: 9999, payload: utf8('with hop-by-hop and dstopts') }), ['udp'], {
    ext: [{ type: 0 }, { type: 60, data: new Uint8Array(10) }],
  });
  const conn = new TcpConn(net, { client: a, cport: 50000, server: b, sport: 8000 });
  conn.open((t += 10 * MS), 4 * MS);
  // A routed segment (routing header type 0, no segments left) on the same connection.
  net.ip((t += 10 * MS), a, b, IPPROTO.TCP, tcp({ sport: 50000, dport: 8000, seq: 1001, ack: 5001, flags: TCP.ACK | TCP.PSH, payload: utf8('routed') }), ['tcp'], {
    ext: [{ type: 43 }],
  });
  const frags = ipv6Fragments({ src: a, dst: b, nextHeader: IPPROTO.UDP }, udp({ sport: 7000, dport: 7001, payload: new Uint8Array(3000).fill(0x61) }), 1232, 0xabcd);
  frags.forEach((f, i) => net.emit((t += 1 * MS), ETH.IPv6, f, a, b, i === 0 ? ['ipv6', 'udp'] : ['ipv6']));
  net.udp((t += 10 * MS), a, 40001, '2001:db8::53', 53, dnsQuery({ id: 0x6666, name: 'ipv6.example', type: 'AAAA' }), { app: ['dns'] });
  net.udp((t += 5 * MS), '2001:db8::53', 53, a, 40001, dnsResponse({ id: 0x6666, name: 'ipv6.example', type: 'AAAA', answers: [{ type: 'AAAA', data: '2001:db8::99' }] }), {
    app: ['dns'],
  });
  fx.expect = { fragments: { datagrams: 1, fragmentPackets: frags.length, firstFragments: 1, reassembledBytes: 3008 }, extHeaderPackets: 5 };
  return fx;
}

function ipv4Fragments_(): Fixture {
  const fx = new Fixture('ipv4-fragments.pcap', {
    description:
      'IPv4 fragments: a 4000-byte UDP datagram in 3 in-order fragments; a 3000-byte ICMP echo whose last fragment arrives first; one orphan later fragment whose first fragment was never captured.',
  });
  const net = new Net(fx);
  const a = '192.168.10.5';
  const b = '192.168.10.9';
  let t = 0;
  const u = ipv4Fragments({ src: a, dst: b, proto: IPPROTO.UDP, id: 0x1001 }, udp({ sport: 6000, dport: 6001, payload: new Uint8Array(3992).fill(0x41) }), 1480);
  u.forEach((f, i) => net.emit((t += 1 * MS), ETH.IPv4, f, a, b, i === 0 ? ['ipv4', 'udp'] : ['ipv4']));
  const ic = ipv4Fragments({ src: a, dst: b, proto: IPPROTO.ICMP, id: 0x1002 }, icmp({ type: 8, id: 5, seq: 1, payload: new Uint8Array(2992).fill(0x42) }), 1480);
  const order = [ic.length - 1, ...ic.keys()].slice(0, ic.length);
  order.forEach((i) => net.emit((t += 1 * MS), ETH.IPv4, ic[i]!, a, b, i === 0 ? ['ipv4', 'icmp'] : ['ipv4']));
  const orphan = ipv4({ src: b, dst: a, proto: IPPROTO.UDP, id: 0x2002, flags: 0, fragOffset: 185 }, new Uint8Array(200).fill(0x43));
  net.emit((t += 1 * MS), ETH.IPv4, orphan, b, a, ['ipv4']);
  fx.expect = {
    fragments: {
      total: u.length + ic.length + 1,
      firstFragments: 2,
      laterFragments: u.length + ic.length - 2 + 1,
      /** Later fragments whose first fragment was seen before them (get its ports). */
      laterAfterFirst: u.length - 1 + (ic.length - 2),
      /** Later fragments seen before (or without) their first fragment. */
      laterBeforeFirst: 2,
    },
    udpDatagram: { sport: 6000, dport: 6001, length: 4000 },
  };
  return fx;
}

function tcpStates(): Fixture {
  const fx = new Fixture('tcp-states.pcap', {
    description:
      'TCP: one complete connection (handshake, data both ways, FIN close), one refused (SYN, RST+ACK), one reset mid-stream by the server, one unanswered SYN retransmitted twice.',
  });
  const net = new Net(fx);
  const c = '10.1.0.2';
  const s = '10.1.0.3';
  const rng = new Rng('tcp-states');
  let t = 0;
  const ok = new TcpConn(net, { client: c, cport: 41000, server: s, sport: 5001, cisn: 0xfffff000 });
  t = ok.open(t, 2 * MS);
  for (let i = 0; i < 4; i++) {
    ok.send((t += 1 * MS), 'c', rng.bytes(1000));
    ok.ack((t += 1 * MS), 's');
  }
  ok.send((t += 1 * MS), 's', rng.bytes(300));
  ok.ack((t += 1 * MS), 'c');
  t = ok.close((t += 5 * MS), 'c', 2 * MS);
  const refused = new TcpConn(net, { client: c, cport: 41001, server: s, sport: 5002 });
  refused.raw((t += 10 * MS), 'c', TCP.SYN);
  refused.reset((t += 1 * MS), 's');
  const reset = new TcpConn(net, { client: c, cport: 41002, server: s, sport: 5001 });
  t = reset.open((t += 10 * MS), 2 * MS);
  reset.send((t += 1 * MS), 'c', rng.bytes(100));
  reset.reset((t += 1 * MS), 's');
  const lost = new TcpConn(net, { client: c, cport: 41003, server: '10.1.0.99', sport: 5001 });
  for (const gap of [0, 1000, 2000]) lost.raw((t += gap * MS + 1 * MS), 'c', TCP.SYN);
  fx.expect = {
    connections: { completed: 1, refused: 1, resetMidStream: 1, unanswered: 1 },
    synPackets: 1 + 1 + 1 + 3,
    rstPackets: 2,
    finPackets: 2,
    seqWraps: true,
    payloadBytes: { clientToServer: 4100, serverToClient: 300 },
  };
  return fx;
}

function udpIcmp(): Fixture {
  const fx = new Fixture('udp-icmp.pcap', {
    description:
      'UDP to a few services (syslog, NTP-shaped, an unanswered port) and ICMP: 3 echo request/reply pairs and a port-unreachable that quotes the UDP datagram.',
  });
  const net = new Net(fx);
  const a = '172.16.0.5';
  const b = '172.16.0.6';
  let t = 0;
  net.udp(t, a, 51000, b, 514, utf8('<34>Oct 11 22:14:15 host su: test'));
  net.udp((t += MS), a, 51001, b, 33434, utf8('traceroute-ish'));
  for (let i = 1; i <= 3; i++) {
    net.icmpEcho((t += 100 * MS), a, b, true, 0x99, i, utf8('0123456789abcdef0123456789abcdef'));
    net.icmpEcho((t += 1 * MS), b, a, false, 0x99, i, utf8('0123456789abcdef0123456789abcdef'));
  }
  const probe = ipv4({ src: a, dst: b, proto: IPPROTO.UDP, id: 7 }, udp({ sport: 51002, dport: 9, payload: utf8('discard me') }));
  net.emit((t += 10 * MS), ETH.IPv4, probe, a, b, ['ipv4', 'udp']);
  net.ip((t += 1 * MS), b, a, IPPROTO.ICMP, icmp({ type: 3, code: 3, rest: new Uint8Array(4), payload: probe.subarray(0, 28) }), ['icmp']);
  fx.expect = { icmpEchoPairs: 3, icmpUnreachable: 1, note: 'the unreachable quotes an IPv4 header: the outer addresses are the pair' };
  return fx;
}

function arpFixture(): Fixture {
  const fx = new Fixture('arp.pcap', {
    description: 'ARP: request, reply, gratuitous ARP, an ARP probe (sender 0.0.0.0); frames padded to 60 bytes.',
  });
  const m1 = macFor('192.168.1.10');
  const m2 = macFor('192.168.1.1');
  const frames = [
    ethernet({ src: m1, type: ETH.ARP, pad: true }, arp({ op: 1, senderMac: m1, senderIp: '192.168.1.10', targetIp: '192.168.1.1' })),
    ethernet({ src: m2, dst: m1, type: ETH.ARP, pad: true }, arp({ op: 2, senderMac: m2, senderIp: '192.168.1.1', targetMac: m1, targetIp: '192.168.1.10' })),
    ethernet({ src: m1, type: ETH.ARP, pad: true }, arp({ op: 1, senderMac: m1, senderIp: '192.168.1.10', targetIp: '192.168.1.10' })),
    ethernet({ src: m1, type: ETH.ARP, pad: true }, arp({ op: 1, senderMac: m1, senderIp: '0.0.0.0', targetIp: '192.168.1.77' })),
  ];
  frames.forEach((f, i) => fx.add(i * 50 * MS, f, { protos: ['eth', 'arp'] }));
  fx.expect = { arpRequests: 3, arpReplies: 1, gratuitous: 1, probes: 1 };
  return fx;
}

function dnsFixture(): Fixture {
  const fx = new Fixture('dns.pcap', {
    description: 'DNS over UDP (A, AAAA, CNAME chain, NXDOMAIN, PTR, TXT) and over TCP (one query and response on a full connection).',
  });
  const net = new Net(fx);
  const c = '10.2.0.20';
  const r = '10.2.0.1';
  let t = 0;
  let id = 0x100;
  const ask = (name: string, type: string, answers: { type: string; data: unknown; name?: string }[], rcode = 0): void => {
    const port = 30000 + id;
    net.udp((t += 5 * MS), c, port, r, 53, dnsQuery({ id, name, type }), { app: ['dns'] });
    net.udp((t += 3 * MS), r, 53, c, port, dnsResponse({ id, name, type, answers, rcode }), { app: ['dns'] });
    id++;
  };
  ask('www.example.com', 'A', [{ type: 'A', data: '93.184.216.34' }]);
  ask('www.example.com', 'AAAA', [{ type: 'AAAA', data: '2606:2800:220:1:248:1893:25c8:1946' }]);
  ask('cdn.example.net', 'A', [
    { type: 'CNAME', data: 'edge.cdnprovider.example' },
    { type: 'A', name: 'edge.cdnprovider.example', data: '203.0.113.10' },
  ]);
  ask('no-such-host.example', 'A', [], 3);
  ask('34.216.184.93.in-addr.arpa', 'PTR', [{ type: 'PTR', data: 'example.com' }]);
  ask('example.com', 'TXT', [{ type: 'TXT', data: 'v=spf1 -all' }]);
  const conn = new TcpConn(net, { client: c, cport: 45000, server: r, sport: 53, app: 'dns' });
  t = conn.open((t += 10 * MS), 2 * MS);
  conn.send((t += 1 * MS), 'c', dnsOverTcp(dnsQuery({ id: 0x200, name: 'big.example.com', type: 'TXT' })));
  conn.send((t += 3 * MS), 's', dnsOverTcp(dnsResponse({ id: 0x200, name: 'big.example.com', type: 'TXT', answers: [{ type: 'TXT', data: 'x'.repeat(200) }] })));
  t = conn.close((t += 1 * MS), 'c', 2 * MS);
  fx.expect = {
    udpQueries: 6,
    udpResponses: 6,
    tcpQueries: 1,
    tcpResponses: 1,
    nxdomain: 1,
    names: ['www.example.com', 'cdn.example.net', 'no-such-host.example', '34.216.184.93.in-addr.arpa', 'example.com', 'big.example.com'],
  };
  return fx;
}

function httpFixture(): Fixture {
  const fx = new Fixture('http.pcap', {
    description: 'HTTP/1.1: GET 200 with HTML, POST with JSON body 201, GET 404 on port 8080; each message in one segment.',
  });
  const net = new Net(fx);
  const c = '10.3.0.7';
  let t = 0;
  const exchange = (server: string, port: number, cport: number, req: Uint8Array, res: Uint8Array): void => {
    const conn = new TcpConn(net, { client: c, cport, server, sport: port, app: 'http' });
    t = conn.open((t += 50 * MS), 10 * MS);
    conn.send((t += 1 * MS), 'c', req);
    conn.ack((t += 10 * MS), 's');
    conn.send((t += 2 * MS), 's', res);
    conn.ack((t += 1 * MS), 'c');
    t = conn.close((t += 1 * MS), 'c', 10 * MS);
  };
  exchange('198.51.100.10', 80, 42000, httpRequest({ host: 'www.example.org', path: '/', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' }), httpResponse({ headers: [['Content-Type', 'text/html; charset=utf-8'], ['Server', 'nginx']], body: '<!doctype html><title>hi</title>' }));
  exchange('198.51.100.11', 80, 42001, httpRequest({ method: 'POST', host: 'api.example.org', path: '/v1/items', userAgent: 'python-requests/2.31', headers: [['Content-Type', 'application/json']], body: '{"name":"widget","qty":3}' }), httpResponse({ status: 201, reason: 'Created', headers: [['Content-Type', 'application/json']], body: '{"id":42}' }));
  exchange('198.51.100.12', 8080, 42002, httpRequest({ host: 'intranet.local:8080', path: '/missing', userAgent: 'curl/8.5.0' }), httpResponse({ status: 404, reason: 'Not Found', body: 'not found' }));
  fx.expect = {
    requests: [
      { method: 'GET', host: 'www.example.org', path: '/', status: 200 },
      { method: 'POST', host: 'api.example.org', path: '/v1/items', status: 201 },
      { method: 'GET', host: 'intranet.local:8080', path: '/missing', status: 404 },
    ],
  };
  return fx;
}

function tlsFixture(): Fixture {
  const fx = new Fixture('tls-sni.pcap', {
    description: 'TLS on 443: ClientHellos with SNI (3 names, one long), ServerHello, application data; one ClientHello without SNI.',
  });
  const net = new Net(fx);
  const rng = new Rng('tls');
  const c = '10.4.0.8';
  const names: (string | undefined)[] = ['www.example.com', 'api.github.com', 'a-very-long-subdomain-name-for-testing.static.assets.example-cdn.net', undefined];
  let t = 0;
  names.forEach((sni, i) => {
    const conn = new TcpConn(net, { client: c, cport: 43000 + i, server: `203.0.113.${20 + i}`, sport: 443, app: 'tls' });
    t = conn.open((t += 30 * MS), 15 * MS);
    conn.send((t += 1 * MS), 'c', tlsClientHello({ sni, random: rng.bytes(32), sessionId: rng.bytes(32), alpn: ['h2', 'http/1.1'] }));
    conn.send((t += 15 * MS), 's', tlsServerHello({ random: rng.bytes(32) }));
    conn.send((t += 1 * MS), 'c', tlsAppData(rng.bytes(120)));
    conn.send((t += 15 * MS), 's', tlsAppData(rng.bytes(900)));
    conn.ack((t += 1 * MS), 'c');
    t = conn.close((t += 5 * MS), 'c', 15 * MS);
  });
  fx.expect = { sni: names.filter((n) => n !== undefined), clientHellosWithoutSni: 1 };
  return fx;
}
