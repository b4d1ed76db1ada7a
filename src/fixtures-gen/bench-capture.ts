/**
 * Large synthetic capture for the benchmarks: by default 1,000,000 Ethernet
 * packets over ~20,000 flows, a few heavy talkers, a realistic size mix (many
 * 54-100 byte ACKs and DNS, many 1514-byte data segments, some in between),
 * mostly IPv4 TCP with some IPv6 and UDP/DNS.
 *
 * Written streaming through one reused frame buffer (constant memory), and
 * deterministic for a given seed. TCP/UDP checksums are left zero unless
 * `l4Checksums` is set (decoders do not verify them; computing them costs time).
 *
 *   node dist/fixtures-gen/bench-capture.js out.pcap [--packets N] [--flows N] [--seed S] [--snaplen N]
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapWriter } from '../capture/pcap-writer.js';
import { dnsQuery, dnsResponse, fillL4Checksum, fold, sum16 } from './packet-builder.js';
import { Rng } from './rng.js';

export interface BenchCaptureOptions {
  packets?: number;
  flows?: number;
  seed?: number | string;
  /** Stored bytes per packet (default: whole packets). */
  snaplen?: number;
  /** Mean packets per second of capture time (default 20,000). */
  rate?: number;
  l4Checksums?: boolean;
}

export interface BenchCaptureSummary {
  path: string;
  packets: number;
  /** Flows that sent at least one packet. */
  flows: number;
  /** Sum of wire lengths. */
  bytes: number;
  fileBytes: number;
  ipv6Packets: number;
  udpPackets: number;
  dnsPackets: number;
  /** Share of packets carried by the 5 heaviest flows. */
  heavyShare: number;
  durationSec: number;
  elapsedMs: number;
}

const enum Kind {
  Bulk = 0,
  Mixed = 1,
  Chatty = 2,
  Dns = 3,
  Quic = 4,
}

interface Flow {
  kind: Kind;
  v6: boolean;
  cli: number;
  srv: number;
  cport: number;
  sport: number;
  cseq: number;
  sseq: number;
  sent: number;
}

const BASE_SEC = 1_767_225_600;

export function writeBenchCapture(path: string, o: BenchCaptureOptions = {}): BenchCaptureSummary {
  const started = Date.now();
  const nPackets = o.packets ?? 1_000_000;
  const nFlows = o.flows ?? 20_000;
  const rng = new Rng(o.seed ?? 1);
  const rate = o.rate ?? 20_000;
  const flows = makeFlows(rng, nFlows);
  // Zipf-like weights with 5 heavy talkers on top; sampled by binary search on the cumulative sum.
  const cum = new Float64Array(nFlows);
  let total = 0;
  for (let i = 0; i < nFlows; i++) {
    const w = i < 5 ? 4_000 : (1 / Math.pow(i + 1, 0.6)) * 400;
    total += flows[i]!.kind === Kind.Dns ? w * 0.3 : w;
    cum[i] = total;
  }
  const dns = dnsMessages();
  const pool = rng.bytes(1 << 16);
  const frame = new Uint8Array(1514);
  const view = new DataView(frame.buffer);
  const w = PcapWriter.toFile(path, { linkType: 1, snaplen: o.snaplen ?? 262144 });
  const s: BenchCaptureSummary = {
    path,
    packets: 0,
    flows: nFlows,
    bytes: 0,
    fileBytes: 0,
    ipv6Packets: 0,
    udpPackets: 0,
    dnsPackets: 0,
    heavyShare: 0,
    durationSec: 0,
    elapsedMs: 0,
  };
  let heavy = 0;
  let tNs = 0;
  const meanGap = 1e9 / rate;
  for (let p = 0; p < nPackets; p++) {
    const r = rng.next() * total;
    let lo = 0;
    let hi = nFlows - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    const f = flows[lo]!;
    if (lo < 5) heavy++;
    const len = buildPacket(f, frame, view, rng, pool, dns, o.l4Checksums === true);
    // Bursty arrivals: mostly short gaps, now and then a pause.
    tNs += rng.next() < 0.02 ? rng.exp(meanGap * 20) : rng.exp(meanGap * 0.6);
    const t = Math.floor(tNs / 1000) * 1000;
    w.writePacket(BASE_SEC + Math.floor(t / 1e9), t % 1e9, frame.subarray(0, len));
    s.packets++;
    s.bytes += len;
    if (f.v6) s.ipv6Packets++;
    if (f.kind === Kind.Dns || f.kind === Kind.Quic) s.udpPackets++;
    if (f.kind === Kind.Dns) s.dnsPackets++;
  }
  w.close();
  s.flows = flows.reduce((k, f) => k + (f.sent > 0 ? 1 : 0), 0);
  s.fileBytes = w.bytesWritten;
  s.heavyShare = heavy / Math.max(1, s.packets);
  s.durationSec = tNs / 1e9;
  s.elapsedMs = Date.now() - started;
  return s;
}

function makeFlows(rng: Rng, n: number): Flow[] {
  const servers = Array.from({ length: 2500 }, () => (((rng.range(1, 223) << 24) | rng.int(1 << 24)) >>> 0));
  const resolvers = [0x08080808, 0x01010101, 0xc0a80101];
  const flows: Flow[] = [];
  for (let i = 0; i < n; i++) {
    const kindRoll = rng.next();
    const kind = i < 5 ? Kind.Bulk : kindRoll < 0.3 ? Kind.Bulk : kindRoll < 0.6 ? Kind.Mixed : kindRoll < 0.82 ? Kind.Chatty : kindRoll < 0.95 ? Kind.Dns : Kind.Quic;
    const v6 = kind !== Kind.Dns && rng.next() < 0.08;
    flows.push({
      kind,
      v6,
      cli: rng.chance(0.5) ? (0x0a000000 | rng.int(1 << 16)) >>> 0 : (0xc0a80000 | rng.int(1 << 16)) >>> 0,
      srv: kind === Kind.Dns ? rng.pick(resolvers) : servers[Math.floor(Math.pow(rng.next(), 2) * servers.length)]!,
      cport: 32768 + rng.int(28000),
      sport: kind === Kind.Dns ? 53 : kind === Kind.Quic ? 443 : rng.pick([443, 443, 443, 80, 22, 8080, 993, 3306]),
      cseq: rng.u32(),
      sseq: rng.u32(),
      sent: 0,
    });
  }
  return flows;
}

function dnsMessages(): Uint8Array[] {
  const names = ['www.example.com', 'api.example.net', 'cdn.assets.example.org', 'login.example.com', 'telemetry.vendor.example'];
  const out: Uint8Array[] = [];
  names.forEach((name, i) => {
    out.push(dnsQuery({ id: i, name }));
    out.push(dnsResponse({ id: i, name, answers: [{ type: 'CNAME', data: `edge${i}.example-cdn.net` }, { type: 'A', name: `edge${i}.example-cdn.net`, data: `198.51.100.${i + 1}` }] }));
  });
  return out;
}

const SRV_MAC = [0x02, 0x00, 0x5e, 0x00, 0x00, 0x01];

/** Fill `frame` with the flow's next packet; returns its length. */
function buildPacket(f: Flow, b: Uint8Array, v: DataView, rng: Rng, pool: Uint8Array, dns: Uint8Array[], sums: boolean): number {
  const n = f.sent++;
  // Direction and payload size by flow kind and position.
  let fromClient: boolean;
  let payload: number;
  let flags = 0x10;
  let dnsMsg: Uint8Array | undefined;
  const udp = f.kind === Kind.Dns || f.kind === Kind.Quic;
  if (udp) {
    fromClient = n % 2 === 0;
    if (f.kind === Kind.Dns) {
      dnsMsg = dns[(((f.cport + (n >> 1)) % 5) * 2) + (fromClient ? 0 : 1)]!;
      payload = dnsMsg.length;
    } else payload = fromClient ? (rng.chance(0.7) ? 30 + rng.int(40) : 1200 + rng.int(50)) : rng.chance(0.6) ? 1250 : 40 + rng.int(200);
  } else if (n < 3) {
    fromClient = n !== 1;
    payload = 0;
    flags = n === 0 ? 0x02 : n === 1 ? 0x12 : 0x10;
  } else if (f.kind === Kind.Bulk) {
    // Two full segments down, one ACK up.
    fromClient = n % 3 === 2;
    payload = fromClient ? 0 : 1460;
    if (f.v6 && !fromClient) payload = 1440;
  } else if (f.kind === Kind.Mixed) {
    fromClient = rng.chance(0.4);
    payload = fromClient ? (rng.chance(0.6) ? 0 : 100 + rng.int(600)) : rng.chance(0.5) ? 1460 - (f.v6 ? 20 : 0) : 200 + rng.int(1000);
  } else {
    fromClient = n % 2 === 1;
    payload = rng.chance(0.3) ? 0 : 20 + rng.int(300);
  }
  if (payload > 0 && !udp) flags = rng.chance(0.3) ? 0x18 : 0x10;
  const l4 = udp ? 8 : 20;
  const l3 = f.v6 ? 40 : 20;
  const len = 14 + l3 + l4 + payload;
  // Ethernet.
  const cliMac0 = f.cli & 0xffff;
  if (fromClient) {
    b.set(SRV_MAC, 0);
    b[6] = 0x02; b[7] = 0x11; b[8] = 0; b[9] = 0; b[10] = cliMac0 >> 8; b[11] = cliMac0 & 255;
  } else {
    b[0] = 0x02; b[1] = 0x11; b[2] = 0; b[3] = 0; b[4] = cliMac0 >> 8; b[5] = cliMac0 & 255;
    b.set(SRV_MAC, 6);
  }
  const src = fromClient ? f.cli : f.srv;
  const dst = fromClient ? f.srv : f.cli;
  const proto = udp ? 17 : 6;
  let o = 14;
  if (f.v6) {
    v.setUint16(12, 0x86dd);
    v.setUint32(o, 0x60000000 | (f.cport & 0xfffff));
    v.setUint16(o + 4, l4 + payload);
    b[o + 6] = proto;
    b[o + 7] = 64;
    // 2001:db8:<net>::<host> from the v4 numbers, so flows stay distinct.
    v6Addr(b, o + 8, src);
    v6Addr(b, o + 24, dst);
  } else {
    v.setUint16(12, 0x0800);
    b[o] = 0x45;
    b[o + 1] = 0;
    v.setUint16(o + 2, l3 + l4 + payload);
    v.setUint16(o + 4, n & 0xffff);
    v.setUint16(o + 6, 0x4000);
    b[o + 8] = fromClient ? 64 : 52;
    b[o + 9] = proto;
    b[o + 10] = 0;
    b[o + 11] = 0;
    v.setUint32(o + 12, src);
    v.setUint32(o + 16, dst);
    v.setUint16(o + 10, fold(sum16(b, o, 20)));
  }
  o += l3;
  v.setUint16(o, fromClient ? f.cport : f.sport);
  v.setUint16(o + 2, fromClient ? f.sport : f.cport);
  if (udp) {
    v.setUint16(o + 4, 8 + payload);
    v.setUint16(o + 6, 0);
    if (dnsMsg) {
      b.set(dnsMsg, o + 8);
      v.setUint16(o + 8, (f.cport + (n >> 1)) & 0xffff);
    } else b.set(pool.subarray(0, payload), o + 8);
  } else {
    const seq = fromClient ? f.cseq : f.sseq;
    v.setUint32(o + 4, seq);
    v.setUint32(o + 8, flags === 0x02 ? 0 : fromClient ? f.sseq : f.cseq);
    b[o + 12] = 0x50;
    b[o + 13] = flags;
    v.setUint16(o + 14, 64240);
    v.setUint32(o + 16, 0);
    const adv = payload + (flags & 0x02 ? 1 : 0);
    if (fromClient) f.cseq = (f.cseq + adv) >>> 0;
    else f.sseq = (f.sseq + adv) >>> 0;
    if (payload) {
      const off = (n * 7919) & 0x7fff;
      b.set(pool.subarray(off, off + payload), o + 20);
    }
  }
  if (sums) fillL4Checksum(proto, b.subarray(f.v6 ? 22 : 26, f.v6 ? 38 : 30), b.subarray(f.v6 ? 38 : 30, f.v6 ? 54 : 34), b.subarray(o, len));
  return len;
}

function v6Addr(b: Uint8Array, o: number, a: number): void {
  b.fill(0, o, o + 16);
  b[o] = 0x20; b[o + 1] = 0x01; b[o + 2] = 0x0d; b[o + 3] = 0xb8;
  b[o + 4] = a >>> 24; b[o + 5] = (a >>> 16) & 255;
  b[o + 14] = (a >>> 8) & 255; b[o + 15] = a & 255;
}

function main(argv: string[]): void {
  const path = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? 'bench/out/bench.pcap';
  const num = (k: string): number | undefined => {
    const i = argv.indexOf(k);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const seedArg = argv.indexOf('--seed');
  const s = writeBenchCapture(resolve(path), {
    packets: num('--packets'),
    flows: num('--flows'),
    snaplen: num('--snaplen'),
    seed: seedArg >= 0 ? argv[seedArg + 1] : undefined,
    l4Checksums: argv.includes('--checksums'),
  });
  process.stdout.write(JSON.stringify(s, null, 2) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
