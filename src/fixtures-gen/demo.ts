/**
 * demo.pcap: three and a half minutes of a small office network, for
 * `npm start`. 20 desktops on 192.168.1.0/24 browse HTTPS sites (DNS first,
 * TLS with SNI), a few plain-HTTP fetches, an SSH session to a server on
 * 10.10.0.0/24, NTP, mDNS and ARP chatter, two dual-stack hosts on IPv6, one
 * large software download and a video stream.
 *
 * Stored with a 256-byte snap length (as `tcpdump -s 256` would), so the file
 * stays small while wire lengths (and so every byte count) stay real.
 */
import { Fixture } from './fixture.js';
import { Net, TcpConn, macFor } from './net.js';
import {
  ETH,
  IPPROTO,
  arp,
  concat,
  dnsQuery,
  dnsResponse,
  ethernet,
  icmpv6,
  icmpv6NeighborAdvert,
  icmpv6NeighborSolicit,
  ntp,
  put16,
} from './packet-builder.js';
import { Rng } from './rng.js';
import { MS, SEC, Opaque, Timeline, bulk, dnsLookup, ephemeral, httpGet, httpsPage, sshSession, type Ctx, type Site } from './demo-traffic.js';

const END = 210 * SEC;
const GATEWAY = '192.168.1.1';

const SITES: (Site & { weight: number; v6?: string })[] = [
  { name: 'www.google.com', ip: '203.0.113.10', rtt: 12, weight: 10, v6: '2001:db8:f00::10' },
  { name: 'mail.google.com', ip: '203.0.113.11', rtt: 12, weight: 6 },
  { name: 'github.com', ip: '203.0.113.20', rtt: 28, weight: 6 },
  { name: 'api.github.com', ip: '203.0.113.21', rtt: 28, weight: 3 },
  { name: 'app.slack.com', ip: '203.0.113.30', rtt: 35, weight: 6 },
  { name: 'en.wikipedia.org', ip: '203.0.113.40', rtt: 22, weight: 3, v6: '2001:db8:f00::40' },
  { name: 'news.ycombinator.com', ip: '203.0.113.50', rtt: 80, weight: 2 },
  { name: 'outlook.office365.com', ip: '198.51.100.10', rtt: 18, weight: 5 },
  { name: 'login.microsoftonline.com', ip: '198.51.100.11', rtt: 18, weight: 2 },
  { name: 'zoom.us', ip: '198.51.100.20', rtt: 40, weight: 2 },
  { name: 'www.youtube.com', ip: '198.51.100.30', rtt: 12, weight: 3, v6: '2001:db8:f00::30' },
  { name: 'cdn.jsdelivr.net', ip: '198.51.100.40', rtt: 9, weight: 4 },
  { name: 's3.amazonaws.com', ip: '198.51.100.50', rtt: 25, weight: 2 },
  { name: 'api.stripe.com', ip: '198.51.100.60', rtt: 30, weight: 1 },
  { name: 'docs.python.org', ip: '192.0.2.10', rtt: 45, weight: 2 },
  { name: 'registry.npmjs.org', ip: '192.0.2.20', rtt: 20, weight: 3 },
  { name: 'fonts.gstatic.com', ip: '192.0.2.30', rtt: 12, weight: 5, v6: '2001:db8:f00::31' },
  { name: 'www.bbc.co.uk', ip: '192.0.2.40', rtt: 60, weight: 2 },
];
const UPDATES: Site = { name: 'dl.example-updates.com', ip: '192.0.2.100', rtt: 30 };
const VIDEO: Site = { name: 'rr3---sn-video.googlevideo.com', ip: '203.0.113.60', rtt: 14 };
const INTRANET: Site = { name: 'intranet.office.lan', ip: '10.10.0.5', rtt: 1 };
const CONNCHECK: Site = { name: 'connectivity-check.ubuntu.com', ip: '192.0.2.50', rtt: 35 };
const NTP_SERVERS = ['192.0.2.123', '203.0.113.123'];
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];

export function demoFixture(): Fixture {
  const fx = new Fixture('demo.pcap', {
    description:
      'Demo: 210 s of a small office LAN (20 desktops on 192.168.1.0/24, servers on 10.10.0.0/24, 2 dual-stack IPv6 hosts): HTTPS with SNI, DNS, plain HTTP, SSH, NTP, mDNS, ARP, ICMPv6 ND, a 3.5 MB download and a video stream. Snap length 256.',
    linkType: 1,
    snaplen: 256,
  });
  const tl = new Timeline(END);
  const rng = new Rng('wiretop-demo-v1');
  const net = new Net(tl, { linkType: 1, gatewayMac: macFor(GATEWAY) });
  const ctx: Ctx = { net, rng, opaque: new Opaque(rng.fork('opaque')), resolver: GATEWAY, ports: new Map() };
  const hosts = Array.from({ length: 20 }, (_, i) => `192.168.1.${10 + i}`);
  const v6Hosts: Record<string, string> = { '192.168.1.26': '2001:db8:100::1a', '192.168.1.27': '2001:db8:100::1b' };

  for (const h of hosts) browse(ctx, h, v6Hosts[h], rng.fork(h));
  download(ctx, rng.fork('download'));
  video(ctx, rng.fork('video'));
  sshSession({ ...ctx, rng: rng.fork('ssh') }, 4.2 * SEC, END, '192.168.1.15', '10.10.0.20');
  plainHttp(ctx, hosts, rng.fork('http'));
  chatter(ctx, tl, hosts, Object.values(v6Hosts), rng.fork('chatter'));
  tl.writeTo(fx);
  fx.expect = {
    durationSec: 210,
    snaplen: 256,
    internalHosts: hosts.length + 3,
    heavyTalkers: { '192.0.2.100 -> 192.168.1.23': 'about 3.5 MB (TLS download)', '203.0.113.60 -> 192.168.1.27': 'video chunks every ~10 s' },
    sni: [...SITES.map((s) => s.name), UPDATES.name, VIDEO.name].sort(),
    sshSession: '192.168.1.15 -> 10.10.0.20:22',
  };
  return fx;
}

/** One desktop: page visits separated by think time. */
function browse(ctx: Ctx, host: string, v6: string | undefined, rng: Rng): void {
  const c: Ctx = { ...ctx, rng };
  const activity = 0.4 + rng.next() * 1.2;
  const cached = new Set<string>();
  let t = rng.next() * 15 * SEC;
  while (t < END) {
    const site = SITES[rng.weighted(SITES.map((s) => s.weight))]!;
    const useV6 = v6 !== undefined && site.v6 !== undefined;
    const conns = 1 + rng.weighted([5, 3, 1]);
    for (let i = 0; i < conns; i++) {
      const target = i === 0 ? site : SITES[rng.weighted(SITES.map((s) => s.weight))]!;
      const six = useV6 && i === 0;
      const size = Math.floor(Math.exp(Math.log(1500) + rng.next() * (Math.log(120_000) - Math.log(1500))));
      httpsPage(c, t + i * rng.int(80) * MS, {
        host: six ? v6! : host,
        site: six ? { ...target, ip: site.v6! } : target,
        size,
        lookup: !cached.has(target.name) || rng.chance(0.1),
        v6: six,
        dnsFrom: host,
        keepOpen: rng.chance(0.25),
      });
      cached.add(target.name);
    }
    t += rng.exp(26 / activity) * SEC + 0.5 * SEC;
  }
}

function download(ctx: Ctx, rng: Rng): void {
  const c: Ctx = { ...ctx, rng };
  const host = '192.168.1.23';
  let t = dnsLookup(c, 47 * SEC, host, UPDATES.name, 'A', UPDATES.ip);
  const conn = new TcpConn(c.net, { client: host, cport: ephemeral(c, host), server: UPDATES.ip, sport: 443, app: 'tls', cisn: rng.u32(), sisn: rng.u32() });
  const rtt = UPDATES.rtt * MS;
  t = conn.open(t + MS, rtt);
  t = bulk(c, conn, t, 's', 3_500_000, rtt, 1.6e6, true);
  conn.close(t + 50 * MS, 'c', rtt);
}

function video(ctx: Ctx, rng: Rng): void {
  const c: Ctx = { ...ctx, rng };
  const host = '192.168.1.27';
  let t = dnsLookup(c, 62 * SEC, host, VIDEO.name, 'A', VIDEO.ip);
  const conn = new TcpConn(c.net, { client: host, cport: ephemeral(c, host), server: VIDEO.ip, sport: 443, app: 'tls', cisn: rng.u32(), sisn: rng.u32() });
  const rtt = VIDEO.rtt * MS;
  t = conn.open(t + MS, rtt);
  while (t < END) {
    conn.send(t, 'c', concat(Uint8Array.of(23, 3, 3, 0, 120), c.opaque.take(120)));
    t = bulk(c, conn, t + rtt, 's', 120_000 + rng.int(100_000), rtt, 25e6, true);
    t += (8 + rng.next() * 4) * SEC;
  }
}

function plainHttp(ctx: Ctx, hosts: string[], rng: Rng): void {
  const c: Ctx = { ...ctx, rng };
  for (let t = 3 * SEC; t < END; t += rng.exp(9) * SEC) {
    const host = rng.pick(hosts);
    if (rng.chance(0.4)) httpGet(c, t, host, CONNCHECK, '/', 'NetworkManager/1.46.0', 204, 0);
    else httpGet(c, t, host, INTRANET, rng.pick(['/', '/wiki/Onboarding', '/status', '/static/app.css', '/api/rooms']), rng.pick(UAS), 200, 500 + rng.int(20000));
  }
}

/** NTP, mDNS, ARP, ICMPv6 neighbour discovery and router advertisements, pings. */
function chatter(ctx: Ctx, tl: Timeline, hosts: string[], v6: string[], rng: Rng): void {
  const { net } = ctx;
  const c: Ctx = { ...ctx, rng };
  for (const h of hosts) {
    // ARP for the gateway around the first activity, then now and then.
    for (let t = rng.next() * 20 * SEC; t < END; t += (40 + rng.next() * 60) * SEC) {
      arpExchange(tl, t, h, GATEWAY);
      if (rng.chance(0.5)) arpExchange(tl, t + rng.next() * 30 * SEC, GATEWAY, h);
    }
    if (rng.chance(0.7)) {
      const t = rng.next() * 200 * SEC;
      const server = rng.pick(NTP_SERVERS);
      const at = dnsLookup(c, t, h, server === NTP_SERVERS[0] ? '0.ubuntu.pool.ntp.org' : '1.ubuntu.pool.ntp.org', 'A', server);
      const port = rng.chance(0.5) ? 123 : ephemeral(c, h);
      net.udp(at + MS, h, port, server, 123, ntp({ mode: 3, txSec: 1_767_225_600 + Math.floor(at / SEC) }), { app: ['ntp'] });
      net.udp(at + 40 * MS, server, 123, h, port, ntp({ mode: 4, txSec: 1_767_225_600 + Math.floor(at / SEC) }), { app: ['ntp'] });
    }
  }
  arpExchange(tl, 100 * SEC, '192.168.1.29', '192.168.1.29', true);
  const services = ['_googlecast._tcp.local', '_airplay._tcp.local', '_spotify-connect._tcp.local', '_ipp._tcp.local', '_companion-link._tcp.local'];
  for (let t = rng.next() * SEC; t < END; t += (1 + rng.exp(4)) * SEC) {
    const six = v6.length > 0 && rng.chance(0.2);
    const src = six ? `fe80::${rng.pick(['1a', '1b'])}` : rng.pick(hosts);
    const dst = six ? 'ff02::fb' : '224.0.0.251';
    const name = rng.pick(services);
    net.udp(t, src, 5353, dst, 5353, dnsQuery({ id: 0, name, type: 'PTR', recursionDesired: false }), { app: ['mdns'], ttl: 255 });
    if (name === '_ipp._tcp.local' && !six) {
      const ans = dnsResponse({ id: 0, name, type: 'PTR', recursionDesired: false, authoritative: true, answers: [{ type: 'PTR', data: `Office Printer.${name}`, ttl: 4500 }] });
      net.udp(t + 3 * MS, '192.168.1.50', 5353, dst, 5353, ans, { app: ['mdns'], ttl: 255 });
    }
  }
  for (let i = 0; i < v6.length; i++) {
    const ll = `fe80::${i ? '1b' : '1a'}`;
    for (let t = rng.next() * 30 * SEC; t < END; t += (20 + rng.next() * 30) * SEC) {
      net.ip(t, ll, 'fe80::1', IPPROTO.ICMPv6, icmpv6NeighborSolicit('fe80::1', macFor(ll)), ['icmpv6'], { ttl: 255, dstMac: macFor('fe80::1') });
      net.ip(t + 0.3 * MS, 'fe80::1', ll, IPPROTO.ICMPv6, icmpv6NeighborAdvert('fe80::1', macFor('fe80::1')), ['icmpv6'], { ttl: 255 });
    }
  }
  for (let t = 12 * SEC; t < END; t += 60 * SEC) {
    const body = new Uint8Array(12);
    body[0] = 64;
    put16(body, 2, 1800);
    net.ip(t, 'fe80::1', 'ff02::1', IPPROTO.ICMPv6, icmpv6({ type: 134, body }), ['icmpv6'], { ttl: 255 });
  }
  // A user pinging the intranet server for a while.
  for (let s = 0; s < 25; s++) {
    const t = 130 * SEC + s * SEC + rng.int(500) * 1000;
    net.icmpEcho(t, '192.168.1.12', '10.10.0.5', true, 0x3a1, s + 1, ctx.opaque.take(48));
    net.icmpEcho(t + 0.4 * MS, '10.10.0.5', '192.168.1.12', false, 0x3a1, s + 1, ctx.opaque.take(48));
  }
}

function arpExchange(tl: Timeline, t: number, asker: string, target: string, gratuitous = false): void {
  const m = macFor(asker);
  const req = ethernet({ src: m, type: ETH.ARP, pad: true }, arp({ op: 1, senderMac: m, senderIp: asker, targetIp: target }));
  tl.add(t, req, { protos: ['eth', 'arp'] });
  if (gratuitous) return;
  const tm = macFor(target);
  const rep = ethernet({ src: tm, dst: m, type: ETH.ARP, pad: true }, arp({ op: 2, senderMac: tm, senderIp: target, targetMac: m, targetIp: asker }));
  tl.add(t + 0.2 * MS, rep, { protos: ['eth', 'arp'] });
}
