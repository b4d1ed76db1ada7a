/**
 * What the packet ring costs and how far back it reaches (src/capture/README.md, "Packet ring"):
 *
 *   node dist/bench/ring-bench.js [capture] [--ring-mb N] [--runs N]
 *
 * In one process, replays the capture at full speed through the file source (the reader thread
 * for big files) with no ring and with a ring, alternating, and prints the CPU medians, the
 * garbage collections of the last ring run and what the ring held at the end. Then the steady
 * reach for fixed-size IPv4 packets fed in 4 MiB pcap-like chunks.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { openFileSource } from '../capture/file-source.js';
import { PacketRing, RingKey } from '../capture/packet-ring.js';
import { PacketRecord } from '../capture/record.js';

function flag(argv: readonly string[], name: string, dflt: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
}

async function replay(path: string, ring: PacketRing | null): Promise<{ cpuMs: number; gcs: number }> {
  const key = new RingKey();
  let n = 0;
  let gcs = 0;
  const obs = new PerformanceObserver((list) => void (gcs += list.getEntries().length));
  obs.observe({ entryTypes: ['gc'] });
  const src = openFileSource({ path, speed: 'max' });
  const c0 = process.cpuUsage();
  await src.start((r) => {
    n++;
    if (ring === null) return;
    key.clear().setIp4(n, n + 1);
    key.tag = n;
    ring.append(r, key);
  });
  const c = process.cpuUsage(c0);
  obs.disconnect();
  return { cpuMs: (c.user + c.system) / 1000, gcs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Packets held once the ring is full, min / average / max over 100 further chunks of `size`-byte packets. */
function steadyReach(bytes: number, size: number): { min: number; avg: number; max: number } {
  const ring = new PacketRing({ bytes });
  const key = new RingKey().setIp4(1, 2);
  const chunk = new Uint8Array(4 << 20);
  const r = new PacketRecord();
  r.buf = chunk;
  r.chunkEnd = chunk.length;
  const per = Math.floor((chunk.length - 24) / (16 + size));
  const fill = Math.ceil(bytes / chunk.length) * 2 + 2;
  let min = Infinity;
  let max = 0;
  let sum = 0;
  let samples = 0;
  for (let c = 0; c < fill + 100; c++) {
    r.chunk = c + 1;
    for (let j = 0; j < per; j++) {
      r.off = 24 + j * (16 + size) + 16;
      r.capLen = r.origLen = size;
      ring.append(r, key);
      if (c < fill) continue;
      const p = ring.packets();
      min = Math.min(min, p);
      max = Math.max(max, p);
      sum += p;
      samples++;
    }
  }
  return { min, avg: Math.round(sum / samples), max };
}

async function main(argv: readonly string[]): Promise<void> {
  const path = argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1]!.startsWith('--'))) ?? 'bench/out/bench-1m.pcap';
  const bytes = flag(argv, '--ring-mb', 64) * 1024 * 1024;
  const runs = flag(argv, '--runs', 5);
  const none: number[] = [];
  const withRing: number[] = [];
  let last = { cpuMs: 0, gcs: 0 };
  let ring = new PacketRing({ bytes });
  for (let k = 0; k < runs; k++) {
    none.push((await replay(path, null)).cpuMs);
    ring = new PacketRing({ bytes });
    last = await replay(path, ring);
    withRing.push(last.cpuMs);
  }
  const fmt = (x: number): string => `${x.toFixed(0)} ms`;
  console.log(`${path}, ${bytes >> 20} MiB ring, ${runs} runs each (process CPU, medians)`);
  console.log(`  no ring ${fmt(median(none))}, ring ${fmt(median(withRing))}: the ring costs ${fmt(median(withRing) - median(none))}`);
  console.log(`  last ring run: ${last.gcs} GCs; holds ${ring.packets().toLocaleString('en-US')} packets (${(ring.bytes() / 1048576).toFixed(1)} MiB), ${ring.evicted().toLocaleString('en-US')} evicted`);
  for (const size of [60, 735, 1500]) {
    const r = steadyReach(bytes, size);
    console.log(`  reach, ${size}-byte packets in 4 MiB chunks: ${r.avg.toLocaleString('en-US')} packets (${r.min.toLocaleString('en-US')}-${r.max.toLocaleString('en-US')})`);
  }
}

await main(process.argv.slice(2));
