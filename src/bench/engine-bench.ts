import { writeFileSync } from 'node:fs';
import { openFileSource } from '../capture/file-source.js';
import { PacketRecord } from '../capture/record.js';
import { Engine } from '../engine/engine.js';

/**
 * Throughput of the hot path (decode + capture/display checks + flow, host,
 * port and protocol counting) on synthetic Ethernet/IPv4 TCP and UDP frames.
 * `npm run bench` calls benchEngine(); writeBenchPcap() makes the same traffic
 * as a pcap file for measuring `wiretop report --json` end to end.
 */
export interface EngineBenchOptions {
  packets?: number;
  /** Distinct flows the packets are spread over. */
  flows?: number;
  /** Keep rate rings (the live UI does; `report` does not). */
  rates?: boolean;
  maxFlows?: number;
}

export interface EngineBenchResult {
  readonly packets: number;
  readonly flows: number;
  readonly rates: boolean;
  readonly seconds: number;
  readonly pps: number;
  /** CPU time of the timed run (user + system) and packets per CPU second: steadier on a shared machine. */
  readonly cpuSeconds: number;
  readonly ppsCpu: number;
  readonly flowsTracked: number;
  readonly heapUsedMb: number;
  readonly rssMb: number;
}

/** Captured bytes per frame: Ethernet + IPv4 + TCP headers + 10 payload bytes (a short snaplen). */
const CAP = 14 + 20 + 20 + 10;

/** Frames for `packets` packets over `flows` flows, in one buffer (frame i at i * CAP). */
export function makeBenchFrames(packets: number, flows: number): { buf: Uint8Array; origLen: Uint16Array } {
  const buf = new Uint8Array(packets * CAP);
  const origLen = new Uint16Array(packets);
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  for (let i = 0; i < packets; i++) {
    // Zipf-ish: a few flows carry much of the traffic, the rest is a long tail.
    const r = rnd();
    const f = r & 1 ? (r >>> 1) % Math.max(1, Math.min(flows, 100)) : (r >>> 1) % flows;
    const reply = (rnd() & 3) === 0;
    const o = i * CAP;
    const udp = f % 5 === 0;
    buf.set([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x08, 0x00], o);
    const len = CAP + (rnd() % 1451);
    origLen[i] = len;
    const ip = o + 14;
    buf[ip] = 0x45;
    buf[ip + 2] = (len - 14) >> 8;
    buf[ip + 3] = (len - 14) & 255;
    buf[ip + 8] = 64;
    buf[ip + 9] = udp ? 17 : 6;
    const client = [10, (f >> 16) & 255, (f >> 8) & 255, f & 255];
    const server = [192, 168, (f >> 12) & 15, 1 + (f % 7)];
    buf.set(reply ? server : client, ip + 12);
    buf.set(reply ? client : server, ip + 16);
    const l4 = ip + 20;
    const cport = 1024 + (f % 60000);
    const sport = udp ? 53 : f % 3 === 0 ? 80 : 443;
    const a = reply ? sport : cport;
    const b = reply ? cport : sport;
    buf[l4] = a >> 8;
    buf[l4 + 1] = a & 255;
    buf[l4 + 2] = b >> 8;
    buf[l4 + 3] = b & 255;
    if (udp) {
      buf[l4 + 4] = (len - 34) >> 8;
      buf[l4 + 5] = (len - 34) & 255;
    } else {
      buf[l4 + 12] = 0x50;
      buf[l4 + 13] = 0x10; // ACK
    }
  }
  return { buf, origLen };
}

export function benchEngine(opts: EngineBenchOptions = {}): EngineBenchResult {
  const packets = opts.packets ?? 1_000_000;
  const flows = opts.flows ?? 100_000;
  const rates = opts.rates ?? false;
  const { buf, origLen } = makeBenchFrames(packets, flows);
  const run = (engine: Engine, n: number): void => {
    const rec = new PacketRecord();
    rec.buf = buf;
    rec.capLen = CAP;
    rec.linkType = 1;
    for (let i = 0; i < n; i++) {
      rec.off = i * CAP;
      rec.origLen = origLen[i]!;
      // 100,000 packets per second of capture time
      rec.tsSec = 1_700_000_000 + Math.floor(i / 100_000);
      rec.tsNsec = (i % 100_000) * 10_000;
      engine.ingest(rec);
    }
  };
  // Warm up on a separate engine so the timed run starts with optimised code.
  run(new Engine({ rates, idleTimeoutSec: 0, recentPackets: rates ? undefined : 0 }), Math.min(packets, 200_000));
  const engine = new Engine({ rates, idleTimeoutSec: 0, maxFlows: opts.maxFlows, recentPackets: rates ? undefined : 0 });
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  run(engine, packets);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mem = process.memoryUsage();
  return {
    packets,
    flows,
    rates,
    seconds,
    pps: packets / seconds,
    cpuSeconds,
    ppsCpu: packets / cpuSeconds,
    flowsTracked: engine.flows.count,
    heapUsedMb: mem.heapUsed / 2 ** 20,
    rssMb: mem.rss / 2 ** 20,
  };
}

/**
 * The same measurement on a real capture file: the first `snap` bytes of every
 * packet are loaded into memory first (so file reading is not timed), then
 * fed through Engine.ingest twice (a warm-up pass on a throwaway engine).
 */
export async function benchEngineFile(path: string, opts: { rates?: boolean; snap?: number; maxPackets?: number } = {}): Promise<EngineBenchResult> {
  const snap = opts.snap ?? 128;
  const max = opts.maxPackets ?? 2_000_000;
  let buf = new Uint8Array(1 << 24);
  let used = 0;
  const meta: number[] = []; // off, capLen, origLen, linkType, tsSec, tsNsec per packet
  await openFileSource({ path }).start((r) => {
    if (meta.length / 6 >= max) return;
    const n = Math.min(r.capLen, snap);
    if (used + n > buf.length) {
      const b = new Uint8Array(buf.length * 2);
      b.set(buf.subarray(0, used));
      buf = b;
    }
    buf.set(r.buf.subarray(r.off, r.off + n), used);
    meta.push(used, n, r.origLen, r.linkType, r.tsSec, r.tsNsec);
    used += n;
  });
  const m = Float64Array.from(meta);
  const packets = m.length / 6;
  const rates = opts.rates ?? false;
  const run = (engine: Engine): void => {
    const rec = new PacketRecord();
    rec.buf = buf;
    for (let i = 0; i < m.length; i += 6) {
      rec.off = m[i]!;
      rec.capLen = m[i + 1]!;
      rec.origLen = m[i + 2]!;
      rec.linkType = m[i + 3]!;
      rec.tsSec = m[i + 4]!;
      rec.tsNsec = m[i + 5]!;
      engine.ingest(rec);
    }
  };
  run(new Engine({ rates, idleTimeoutSec: 0, recentPackets: rates ? undefined : 0 }));
  const engine = new Engine({ rates, idleTimeoutSec: 0, recentPackets: rates ? undefined : 0 });
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  run(engine);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mem = process.memoryUsage();
  return {
    packets, flows: engine.flows.created, rates, seconds, pps: packets / seconds, cpuSeconds,
    ppsCpu: packets / cpuSeconds, flowsTracked: engine.flows.count,
    heapUsedMb: mem.heapUsed / 2 ** 20, rssMb: mem.rss / 2 ** 20,
  };
}

/** Write the bench traffic as a microsecond pcap (for `wiretop report -r`). */
export function writeBenchPcap(path: string, packets = 1_000_000, flows = 100_000): void {
  const { buf, origLen } = makeBenchFrames(packets, flows);
  const out = new Uint8Array(24 + packets * (16 + CAP));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
  let o = 24;
  for (let i = 0; i < packets; i++) {
    dv.setUint32(o, 1_700_000_000 + Math.floor(i / 100_000), true);
    dv.setUint32(o + 4, (i % 100_000) * 10, true);
    dv.setUint32(o + 8, CAP, true);
    dv.setUint32(o + 12, origLen[i]!, true);
    out.set(buf.subarray(i * CAP, (i + 1) * CAP), o + 16);
    o += 16 + CAP;
  }
  writeFileSync(path, out);
}

/**
 * `main([file])` for `npm run bench`: synthetic traffic (1M packets over 100k
 * flows, with and without rate rings), plus a capture file when given.
 * Prints one JSON line per run.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  for (const rates of [false, true]) console.log(JSON.stringify({ bench: 'engine-synthetic', ...benchEngine({ rates }) }));
  if (argv[0]) {
    for (const rates of [false, true]) {
      console.log(JSON.stringify({ bench: 'engine-file', file: argv[0], ...(await benchEngineFile(argv[0], { rates })) }));
    }
  }
}
