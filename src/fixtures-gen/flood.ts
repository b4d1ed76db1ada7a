/**
 * Spoofed-source flood for memory-bound tests: N packets from N distinct
 * source addresses (a 32-bit bijection of the packet index, so distinctness
 * is guaranteed, not probable) at one target. Streamed: either as reused
 * PacketRecords straight into an engine, or into a pcap file.
 *
 *   node dist/fixtures-gen/flood.js out.pcap [--packets N] [--kind syn|udp|icmp] [--v6] [--seed S]
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PacketRecord } from '../capture/record.js';
import { fold, sum16 } from './packet-builder.js';
import { hashSeed } from './rng.js';

export interface FloodOptions {
  packets: number;
  /** TCP SYN (default), UDP or ICMP echo. */
  kind?: 'syn' | 'udp' | 'icmp';
  /** IPv6 sources in 2001:db8::/32 and target 2001:db8:ffff::1. */
  v6?: boolean;
  /** IPv4 target as a 32-bit number (default 192.168.1.10). */
  target?: number;
  dport?: number;
  seed?: number | string;
  /** Packets per second of capture time (default 100,000). */
  rate?: number;
}

/** Source address number i of the flood: an invertible 32-bit mix, so all are distinct. */
export function floodSource(i: number, seed: number): number {
  let x = (i ^ seed) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const BASE_SEC = 1_767_225_600;

/**
 * Yields one reused PacketRecord per flood packet (Ethernet framing), valid
 * until the next iteration, exactly as a PacketSource delivers them.
 */
export function* floodRecords(o: FloodOptions): Generator<PacketRecord> {
  const seed = typeof o.seed === 'string' ? hashSeed(o.seed) : (o.seed ?? 7) >>> 0;
  const kind = o.kind ?? 'syn';
  const v6 = o.v6 === true;
  const l4 = kind === 'syn' ? 20 : 8;
  const l3 = v6 ? 40 : 20;
  const len = 14 + l3 + l4 + (kind === 'syn' ? 0 : 18);
  const b = new Uint8Array(Math.max(60, len));
  const v = new DataView(b.buffer);
  const proto = kind === 'syn' ? 6 : kind === 'udp' ? 17 : v6 ? 58 : 1;
  b.set([0x02, 0, 0, 0, 0, 0x0a, 0x02, 0xee, 0, 0, 0, 1], 0);
  v.setUint16(12, v6 ? 0x86dd : 0x0800);
  if (v6) {
    v.setUint32(14, 0x60000000);
    v.setUint16(18, l4 + (len - 14 - l3 - l4));
    b[20] = proto;
    b[21] = 64;
    b.set([0x20, 0x01, 0x0d, 0xb8], 22);
    b.set([0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 38);
  } else {
    b[14] = 0x45;
    v.setUint16(16, len - 14);
    v.setUint16(20, 0);
    b[22] = 64;
    b[23] = proto;
    v.setUint32(30, o.target ?? 0xc0a8010a);
  }
  const t0 = 14 + l3;
  const r = new PacketRecord();
  r.buf = b;
  r.capLen = len;
  r.origLen = len;
  r.linkType = 1;
  const gap = 1e9 / (o.rate ?? 100_000);
  for (let i = 0; i < o.packets; i++) {
    const src = floodSource(i, seed);
    if (v6) {
      v.setUint32(26, src);
      v.setUint32(30, Math.imul(src, 0x9e3779b1) >>> 0);
    } else {
      v.setUint32(26, src);
      v.setUint16(18, i & 0xffff);
      v.setUint16(24, 0);
      v.setUint16(24, fold(sum16(b, 14, 20)));
    }
    if (kind === 'syn') {
      v.setUint16(t0, 1024 + (src & 0xefff));
      v.setUint16(t0 + 2, o.dport ?? 80);
      v.setUint32(t0 + 4, src ^ 0x5a5a5a5a);
      v.setUint32(t0 + 8, 0);
      b[t0 + 12] = 0x50;
      b[t0 + 13] = 0x02;
      v.setUint16(t0 + 14, 1024);
    } else if (kind === 'udp') {
      v.setUint16(t0, 1024 + (src & 0xefff));
      v.setUint16(t0 + 2, o.dport ?? 53);
      v.setUint16(t0 + 4, 8 + 18);
    } else {
      b[t0] = v6 ? 128 : 8;
      v.setUint16(t0 + 4, src & 0xffff);
      v.setUint16(t0 + 6, i & 0xffff);
      if (!v6) {
        v.setUint16(t0 + 2, 0);
        v.setUint16(t0 + 2, fold(sum16(b, t0, len - t0)));
      }
    }
    const ns = Math.floor(i * gap);
    r.tsSec = BASE_SEC + Math.floor(ns / 1e9);
    r.tsNsec = ns % 1e9;
    yield r;
  }
}

/** Stream a flood into a pcap file; returns the number of packets written. */
export function writeFlood(path: string, o: FloodOptions): number {
  const w = PcapWriter.toFile(path, { linkType: 1 });
  for (const r of floodRecords(o)) w.writePacket(r.tsSec, r.tsNsec, r.buf.subarray(r.off, r.off + r.capLen));
  w.close();
  return w.packets;
}

function main(argv: string[]): void {
  const path = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? 'flood.pcap';
  const arg = (k: string): string | undefined => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const n = writeFlood(resolve(path), {
    packets: Number(arg('--packets') ?? 1_000_000),
    kind: (arg('--kind') as FloodOptions['kind']) ?? 'syn',
    v6: argv.includes('--v6'),
    seed: arg('--seed'),
  });
  process.stdout.write(`${n} packets -> ${path}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
