import { existsSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { openFileSource } from '../capture/file-source.js';
import { PacketRecord } from '../capture/record.js';
import { Engine } from '../engine/engine.js';
import { setupDissection, type Dissection } from '../dissect/setup.js';

/**
 * Report speed with dissection + reassembly on vs off: the same capture (held
 * in memory, so disk reads do not count) is ingested by a report-mode Engine
 * (no rates, no expiry) and reported, bare, with report's dissection
 * (`setupDissection(engine, {streams: false})`: per-packet classifier and
 * per-flow labels), with the dashboard's (the same plus the StreamTracker in
 * index mode: streams numbered and counted, a viewed one is reassembled from
 * the packet ring) and with every stream reassembled (store mode, as
 * `wiretop follow` and a dashboard without a ring run it).
 * Best of `runs`; `slowdown` compares the dashboard's with bare.
 */
export interface DissectBenchOptions {
  /** Capture to replay; default fixtures/demo.pcap (then ../shared/pcaps/big/pcpp_example_http_browsing.pcap). */
  path?: string;
  runs?: number;
  /** StreamTracker caps. */
  streamBytes?: number;
  totalBytes?: number;
}

export interface DissectBenchSide {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly pps: number;
  readonly mbps: number;
  readonly heapUsedMb: number;
}

export interface DissectBenchResult {
  readonly path: string;
  readonly packets: number;
  readonly bytes: number;
  readonly off: DissectBenchSide;
  /** Everything the dashboard attaches: per-packet classifier, per-flow labels, stream index (no reassembly). */
  readonly on: DissectBenchSide;
  /** The same with every stream reassembled (store mode). */
  readonly store: DissectBenchSide;
  /** What `wiretop report` attaches: the classifier and labels, no reassembly. */
  readonly report: DissectBenchSide;
  /** on.seconds / off.seconds. */
  readonly slowdown: number;
  /** store.seconds / off.seconds. */
  readonly storeSlowdown: number;
  readonly tcpStreams: number;
  readonly udpStreams: number;
  readonly classifiedFlows: number;
  /** Reassembled bytes held by the store-mode pass. */
  readonly streamBytesHeld: number;
}

/**
 * The capture in memory the way a file source delivers it: packet bytes in a few large buffers and
 * one reused PacketRecord, so neither side pays for a million record objects in the heap (which
 * made every garbage collection of the side that allocates look expensive).
 */
interface Held {
  chunks: Uint8Array[];
  /** Per packet: chunk, offset, captured and original length, link type, interface, time. */
  at: Int32Array;
  packets: number;
  bytes: number;
}

const CHUNK = 256 << 20;
const FIELDS = 8;

async function load(path: string): Promise<Held> {
  const chunks: Uint8Array[] = [new Uint8Array(CHUNK)];
  let used = 0;
  let at = new Int32Array(FIELDS * 65536);
  let packets = 0;
  let bytes = 0;
  await openFileSource({ path }).start((r) => {
    if (used + r.capLen > CHUNK) {
      chunks.push(new Uint8Array(Math.max(CHUNK, r.capLen)));
      used = 0;
    }
    chunks[chunks.length - 1]!.set(r.buf.subarray(r.off, r.off + r.capLen), used);
    if ((packets + 1) * FIELDS > at.length) {
      const n = new Int32Array(at.length * 2);
      n.set(at);
      at = n;
    }
    const k = packets * FIELDS;
    at[k] = chunks.length - 1;
    at[k + 1] = used;
    at[k + 2] = r.capLen;
    at[k + 3] = r.origLen;
    at[k + 4] = r.linkType;
    at[k + 5] = r.ifIndex;
    at[k + 6] = r.tsSec;
    at[k + 7] = r.tsNsec;
    used += r.capLen;
    packets++;
    bytes += r.origLen;
  });
  return { chunks, at, packets, bytes };
}

/** Feed every held packet to `ingest` through one reused record. */
function replay(h: Held, ingest: (r: PacketRecord) => void): void {
  const r = new PacketRecord();
  const a = h.at;
  for (let i = 0; i < h.packets; i++) {
    const k = i * FIELDS;
    r.buf = h.chunks[a[k]!]!;
    r.off = a[k + 1]!;
    r.capLen = a[k + 2]!;
    r.origLen = a[k + 3]!;
    r.linkType = a[k + 4]!;
    r.ifIndex = a[k + 5]!;
    r.tsSec = a[k + 6]! >>> 0;
    r.tsNsec = a[k + 7]!;
    ingest(r);
  }
}

function defaultPath(): string {
  for (const p of ['fixtures/demo.pcap', '../shared/pcaps/big/pcpp_example_http_browsing.pcap']) if (existsSync(p)) return p;
  throw new Error('no capture for the dissect bench: pass a path');
}

type Mode = 'off' | 'report' | 'on' | 'store';

interface Once {
  side: DissectBenchSide;
  dissection: Dissection | null;
}

/** One pass: bare engine, report's dissection, the dashboard's (stream index), or full reassembly. */
function once(h: Held, mode: Mode, o: DissectBenchOptions): Once {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const engine = new Engine({ rates: false, idleTimeoutSec: 0 });
  const dissection = mode === 'off' ? null
    : setupDissection(engine, { streams: mode !== 'report', store: mode === 'store', streamBytes: o.streamBytes, totalBytes: o.totalBytes });
  const c0 = cpuUsage();
  const t0 = performance.now();
  replay(h, (r) => engine.ingest(r));
  engine.report({ top: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const c = cpuUsage(c0);
  const cpuSeconds = (c.user + c.system) / 1e6;
  dissection?.detach();
  const side: DissectBenchSide = {
    seconds, cpuSeconds, pps: h.packets / seconds, mbps: (h.bytes * 8) / seconds / 1e6,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
  return { side, dissection };
}

export async function benchDissect(o: DissectBenchOptions = {}): Promise<DissectBenchResult> {
  const path = o.path ?? defaultPath();
  const h = await load(path);
  const runs = o.runs ?? 3;
  const best: Partial<Record<Mode, Once>> = {};
  const modes: Mode[] = ['off', 'report', 'on', 'store'];
  for (const m of modes) once(h, m, o); // warm up every path
  for (let i = 0; i < runs; i++) {
    for (const m of modes) {
      const r = once(h, m, o);
      if (!best[m] || r.side.seconds < best[m].side.seconds) best[m] = r;
    }
  }
  const off = best.off!.side;
  const on = best.on!;
  const store = best.store!;
  const t = on.dissection!.streams;
  return {
    path, packets: h.packets, bytes: h.bytes, off, on: on.side, report: best.report!.side, store: store.side,
    slowdown: on.side.seconds / off.seconds, storeSlowdown: store.side.seconds / off.seconds,
    tcpStreams: t.tcpCount, udpStreams: t.udpCount, classifiedFlows: on.dissection!.classifier.classifiedFlows,
    streamBytesHeld: store.dissection!.streams.budget.used,
  };
}

/** One line per side for `npm run bench`. */
export function formatDissectBench(r: DissectBenchResult): string {
  const f = (s: DissectBenchSide): string =>
    `${Math.round(s.pps).toLocaleString('en-US')} pkt/s (${s.seconds.toFixed(3)} s wall, ${s.cpuSeconds.toFixed(3)} s cpu, ${s.mbps.toFixed(0)} Mbit/s)`;
  return [
    `dissect bench: ${r.path}, ${r.packets} packets`,
    `  dissection+reassembly off: ${f(r.off)}`,
    `  dissection only (report): ${f(r.report)}  x${(r.report.seconds / r.off.seconds).toFixed(2)}`,
    `  dissection+stream index (dashboard): ${f(r.on)}  x${r.slowdown.toFixed(2)}`,
    `  dissection+reassembly of every stream (follow): ${f(r.store)}  x${r.storeSlowdown.toFixed(2)}`,
    `  ${r.tcpStreams} tcp streams, ${r.udpStreams} udp conversations, ${r.classifiedFlows} flows classified, ${(r.streamBytesHeld / 2 ** 20).toFixed(1)} MiB held`,
  ].join('\n');
}
