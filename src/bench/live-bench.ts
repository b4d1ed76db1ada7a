/**
 * Live capture benchmark on `lo`: replays a capture with tcpreplay at rising
 * packet rates while tcpdump and a wiretop live source (feeding the Engine,
 * or a bare counter) count the same packets, and prints sent vs tcpdump vs
 * wiretop per rate with tcpdump's "dropped by kernel" line and wiretop's CPU
 * share. Needs root, tcpreplay, tcpdump and the cap module.
 *
 *   node dist/bench/live-bench.js [--rates 20000,50000,...] [--seconds 2] [--buffer-mb 16,256]
 *                                 [--consumer engine|counter|all] [--capture file.pcap] [--json]
 *                                 [--bursts 100,250,1000,4000]   (bursts at top speed instead of rates)
 *
 * The replayed frames are the benchmark capture (writeBenchCapture) with
 * every IPv4 address moved into 127/8, IPv6 addresses set to ::1 and the
 * source MAC tagged 02:77:74:70:xx:xx, so a capture filter on that tag
 * excludes all other lo traffic. Their destination MAC is not lo's, so the
 * kernel drops them right after the capture taps: nothing is delivered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capAvailable } from '../capture/cap-module.js';
import { createCaptureParser } from '../capture/capture-parser.js';
import { sysfsCounter } from '../capture/iface-counters.js';
import { openLiveSource } from '../capture/live-source.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PacketRecord } from '../capture/record.js';
import { Engine } from '../engine/engine.js';
import { writeBenchCapture } from '../fixtures-gen/bench-capture.js';

export type LiveConsumer = 'engine' | 'counter';

export interface LiveBenchOptions {
  iface?: string;
  /** Target packets per second, one step each (default 20k, 50k, 100k, 200k, 400k). In rows, -n is a burst of n. */
  rates?: number[];
  /** Seconds of replay per rate (default 2). */
  secondsPerRate?: number;
  /** Replay this capture as is instead of the generated one (then the filter is `bpf`). */
  capture?: string;
  /** Capture filter used by tcpdump and wiretop (default: the tag of the generated frames). */
  bpf?: string;
  /** One pass per kernel buffer size for wiretop, in MiB (default 16 = wiretop's default, then 256). */
  bufferMb?: number[];
  /** What the wiretop source feeds (default: engine, and a counter pass at the first buffer size). */
  consumers?: LiveConsumer[];
  /** Also run one step without a capture filter to check the /sys drop estimate (default true). */
  checkEstimate?: boolean;
  /**
   * Instead of rates: send bursts of exactly this many packets at tcpreplay's top speed, one step each,
   * to see how many packets the kernel ring absorbs whatever the CPU.
   */
  bursts?: number[];
  /** Stop starting new steps after this many seconds (default 85). */
  budgetSec?: number;
  workDir?: string;
  log?: (line: string) => void;
}

export interface LiveBenchRow {
  consumer: LiveConsumer;
  bufferMb: number;
  filtered: boolean;
  targetPps: number;
  sent: number;
  sentPps: number;
  /** lo rx_packets delta over the step (all lo traffic). */
  ifaceDelta: number | null;
  tcpdumpCaptured: number | null;
  tcpdumpDroppedByKernel: number | null;
  wiretop: number;
  /** sent - wiretop (negative only if unrelated packets matched the filter). */
  wiretopMissed: number;
  /** The live source's own estimate (SourceStatus.dropped) at the end of the step. */
  wiretopEstimate: number | null;
  /** CPU used by this process during the step, as a share of one core. */
  wiretopCpu: number;
  /** CPU microseconds per delivered packet. */
  usPerPacket: number;
  /** Packets the kernel ring holds (SourceStatus.kernelRingPackets; null: MTU-sized slots). */
  kernelRingPackets: number | null;
}

export interface LiveBenchResult {
  capture: string;
  bpf: string;
  rows: LiveBenchRow[];
  seconds: number;
  skipped: string[];
}

export const TAG_FILTER = 'ether[6:4] == 0x02777470';
const WARMUP_PPS = 20_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The generated replay file: bench traffic moved onto loopback addresses and tagged. */
export function writeLoopbackBenchCapture(path: string, packets = 100_000): { path: string; packets: number } {
  const raw = join(tmpdir(), `wiretop-live-bench-src-${process.pid}.pcap`);
  writeBenchCapture(raw, { packets, flows: 5_000, seed: 7 });
  const p = createCaptureParser();
  p.feed(readFileSync(raw));
  p.end();
  rmSync(raw, { force: true });
  const w = PcapWriter.toFile(path, { linkType: 1 });
  const rec = new PacketRecord();
  const frame = new Uint8Array(65536);
  let n = 0;
  while (p.next(rec)) {
    const len = rec.capLen;
    frame.set(rec.buf.subarray(rec.off, rec.off + len));
    retagFrame(frame, len);
    w.writePacket(rec.tsSec, rec.tsNsec, frame.subarray(0, len), rec.origLen);
    n++;
  }
  w.close();
  return { path, packets: n };
}

/** Source MAC 02:77:74:70:xx:xx; IPv4 addresses into 127/8 (checksum fixed); IPv6 addresses to ::1. */
export function retagFrame(b: Uint8Array, len: number): void {
  if (len < 14) return;
  b[6] = 0x02;
  b[7] = 0x77;
  b[8] = 0x74;
  b[9] = 0x70;
  const type = (b[12]! << 8) | b[13]!;
  if (type === 0x0800 && len >= 34) {
    b[26] = 127;
    b[30] = 127;
    const ihl = (b[14]! & 15) * 4;
    b[24] = b[25] = 0;
    let sum = 0;
    for (let i = 14; i < 14 + ihl && i + 1 < len; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    sum = ~sum & 0xffff;
    b[24] = sum >> 8;
    b[25] = sum & 255;
  } else if (type === 0x86dd && len >= 54) {
    b.fill(0, 22, 54);
    b[37] = 1;
    b[53] = 1;
  }
}

interface Tcpdump {
  child: ChildProcess;
  stderr: () => string;
}

async function startTcpdump(iface: string, bpf: string): Promise<Tcpdump> {
  const args = ['-i', iface, '-n', '-w', '/dev/null'];
  if (bpf) args.push(bpf);
  const child = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const t0 = Date.now();
  while (!err.includes('listening on')) {
    if (child.exitCode !== null || Date.now() - t0 > 5000) throw new Error(`tcpdump did not start: ${err.trim()}`);
    await sleep(20);
  }
  return { child, stderr: () => err };
}

async function stopTcpdump(t: Tcpdump): Promise<{ captured: number | null; dropped: number | null; line: string }> {
  const exited = new Promise<void>((r) => t.child.once('exit', () => r()));
  t.child.kill('SIGINT');
  await Promise.race([exited, sleep(5000)]);
  const err = t.stderr();
  const num = (re: RegExp) => {
    const m = re.exec(err);
    return m ? Number(m[1]) : null;
  };
  const line = (/.*dropped by kernel.*/.exec(err) ?? [''])[0];
  return { captured: num(/(\d+) packets? captured/), dropped: num(/(\d+) packets? dropped by kernel/), line };
}

/** pps > 0: paced for `seconds`; pps < 0: a burst of -pps packets at top speed. */
async function replay(iface: string, file: string, pps: number, seconds: number): Promise<{ sent: number; pps: number; out: string }> {
  const pace = pps > 0 ? [`--pps=${pps}`, `--duration=${seconds}`] : ['--topspeed', `--limit=${-pps}`];
  const args = [`--intf1=${iface}`, ...pace, '--loop=0', '-K', file];
  const child = spawn('tcpreplay', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // A stuck tcpreplay must not hang the benchmark.
  const guard = setTimeout(() => child.kill('SIGINT'), (Math.max(seconds, 1) + 10) * 1000);
  await new Promise<void>((r) => child.once('exit', () => r()));
  clearTimeout(guard);
  const actual = /Actual: (\d+) packets/.exec(out);
  const rated = /Rated: [\d.]+ Bps, [\d.]+ Mbps, ([\d.]+) pps/.exec(out);
  if (!actual) throw new Error(`tcpreplay failed: ${out.trim().split('\n').slice(-3).join(' | ')}`);
  return { sent: Number(actual[1]), pps: rated ? Number(rated[1]) : NaN, out };
}

async function step(
  o: Required<Pick<LiveBenchOptions, 'iface' | 'secondsPerRate'>>,
  file: string,
  bpf: string,
  pps: number,
  bufferMb: number,
  consumer: LiveConsumer,
  engine: Engine | null,
): Promise<LiveBenchRow> {
  const tcpdump = await startTcpdump(o.iface, bpf);
  const src = openLiveSource({ iface: o.iface, bpf: bpf || undefined, bufferMb });
  let count = 0;
  const done = src.start(
    engine
      ? (r) => {
          count++;
          engine.ingest(r);
        }
      : () => {
          count++;
        },
  );
  const lo = sysfsCounter(o.iface);
  await sleep(300);
  const c0 = count;
  const lo0 = lo?.() ?? null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sent = await replay(o.iface, file, pps, o.secondsPerRate);
  await sleep(700); // let both readers drain
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const lo1 = lo?.() ?? null;
  const got = count - c0;
  const estimate = src.info.dropped;
  src.stop();
  await done;
  const td = await stopTcpdump(tcpdump);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  return {
    consumer,
    bufferMb,
    filtered: bpf !== '',
    targetPps: pps,
    sent: sent.sent,
    sentPps: Math.round(sent.pps),
    ifaceDelta: lo0 !== null && lo1 !== null ? lo1 - lo0 : null,
    tcpdumpCaptured: td.captured,
    tcpdumpDroppedByKernel: td.dropped,
    wiretop: got,
    wiretopMissed: sent.sent - got,
    wiretopEstimate: estimate,
    wiretopCpu: cpuSec / wall,
    usPerPacket: got > 0 ? (cpuSec * 1e6) / got : NaN,
    kernelRingPackets: src.info.kernelRingPackets ?? null,
  };
}

export async function benchLive(opts: LiveBenchOptions = {}): Promise<LiveBenchResult> {
  const started = performance.now();
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const iface = opts.iface ?? 'lo';
  const seconds = opts.secondsPerRate ?? 2;
  // A burst of n packets is a step with target -n (see replay()).
  const rates = opts.bursts?.map((n) => -n) ?? opts.rates ?? [20_000, 50_000, 100_000, 200_000, 400_000];
  const buffers = opts.bufferMb ?? [16, 256];
  const budget = opts.budgetSec ?? 85;
  const work = opts.workDir ?? join(tmpdir(), 'wiretop-live-bench');
  mkdirSync(work, { recursive: true });
  let file = opts.capture;
  const bpf = opts.bpf ?? (file ? '' : TAG_FILTER);
  if (!file) {
    const g = writeLoopbackBenchCapture(join(work, 'lo-bench.pcap'));
    file = g.path;
    log(`generated ${g.packets} packets -> ${file} (filter: ${bpf})`);
  }
  const plan: { consumer: LiveConsumer; bufferMb: number; bpf: string; rates: number[] }[] = [];
  const consumers = opts.consumers ?? ['engine', 'counter'];
  for (const b of buffers) if (consumers.includes('engine')) plan.push({ consumer: 'engine', bufferMb: b, bpf, rates });
  if (consumers.includes('counter')) plan.push({ consumer: 'counter', bufferMb: buffers[0]!, bpf, rates });
  if (opts.checkEstimate !== false) plan.push({ consumer: 'engine', bufferMb: buffers[0]!, bpf: '', rates: [rates[rates.length - 1]!] });
  const rows: LiveBenchRow[] = [];
  const skipped: string[] = [];
  for (const p of plan) {
    log(`\n${p.consumer} consumer, bufferMb ${p.bufferMb}, capture filter: ${p.bpf || '(none)'}`);
    // One engine per pass, as in the app, warmed up through the live path first: a cold engine runs its
    // first packets in the interpreter and loses bursts that a warm one keeps (measured; see README).
    const engine = p.consumer === 'engine' ? new Engine({}) : null;
    if (WARMUP_PPS > 0 && (performance.now() - started) / 1000 + 3 < budget) {
      const w = await step({ iface, secondsPerRate: 1 }, file, p.bpf, WARMUP_PPS, p.bufferMb, p.consumer, engine);
      log(`(warm-up, not counted: ${w.sent} sent at ${WARMUP_PPS} pps, ${w.wiretopMissed} missed)`);
    }
    log(header());
    for (const pps of p.rates) {
      if ((performance.now() - started) / 1000 + seconds + 2 > budget) {
        skipped.push(`${p.consumer}/${p.bufferMb}MiB/${pps}pps`);
        continue;
      }
      const row = await step({ iface, secondsPerRate: seconds }, file, p.bpf, pps, p.bufferMb, p.consumer, engine);
      rows.push(row);
      log(formatRow(row));
    }
  }
  if (skipped.length) log(`\nskipped (time budget ${budget}s): ${skipped.join(', ')}`);
  return { capture: file, bpf, rows, seconds: (performance.now() - started) / 1000, skipped };
}

const COLS = ['target pps', 'sent', 'sent pps', 'lo rx', 'tcpdump', 'tcpd drop', 'wiretop', 'missed', 'estimate', 'cpu', 'µs/pkt', 'ring pkts'];

function header(): string {
  return COLS.map((c) => c.padStart(10)).join(' ');
}

function formatRow(r: LiveBenchRow): string {
  const n = (v: number | null) => (v === null || Number.isNaN(v) ? '-' : String(v));
  const pct = (a: number) => (r.sent > 0 ? ` ${((100 * a) / r.sent).toFixed(1)}%` : '');
  return [
    r.targetPps < 0 ? `burst ${-r.targetPps}` : n(r.targetPps),
    n(r.sent),
    n(r.sentPps),
    n(r.ifaceDelta),
    n(r.tcpdumpCaptured),
    n(r.tcpdumpDroppedByKernel),
    n(r.wiretop),
    `${r.wiretopMissed}${pct(r.wiretopMissed)}`,
    n(r.wiretopEstimate),
    `${Math.round(r.wiretopCpu * 100)}%`,
    Number.isNaN(r.usPerPacket) ? '-' : r.usPerPacket.toFixed(2),
    n(r.kernelRingPackets),
  ]
    .map((c) => c.padStart(10))
    .join(' ');
}

function parseArgs(argv: string[]): LiveBenchOptions & { json: boolean } {
  const o: LiveBenchOptions & { json: boolean } = { json: false };
  const list = (v: string | undefined) => (v ?? '').split(',').filter(Boolean).map(Number);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = () => argv[++i];
    if (a === '--rates') o.rates = list(v());
    else if (a === '--bursts') o.bursts = list(v());
    else if (a === '--seconds') o.secondsPerRate = Number(v());
    else if (a === '--buffer-mb') o.bufferMb = list(v());
    else if (a === '--consumer') {
      const c = v();
      o.consumers = c === 'all' || c === undefined ? ['engine', 'counter'] : [c as LiveConsumer];
    } else if (a === '--capture') o.capture = v();
    else if (a === '--filter') o.bpf = v();
    else if (a === '--iface') o.iface = v();
    else if (a === '--no-estimate') o.checkEstimate = false;
    else if (a === '--budget') o.budgetSec = Number(v());
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

async function main(argv: string[]): Promise<number> {
  if (process.getuid?.() !== 0) {
    process.stderr.write('live-bench: needs root (tcpreplay and live capture)\n');
    return 2;
  }
  if (!capAvailable()) {
    process.stderr.write('live-bench: the cap module did not load (apt-get install libpcap-dev; npm rebuild cap)\n');
    return 2;
  }
  const o = parseArgs(argv);
  const res = await benchLive({ ...o, log: o.json ? () => {} : undefined });
  if (o.json) process.stdout.write(JSON.stringify(res, null, 2) + '\n');
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`live-bench: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
