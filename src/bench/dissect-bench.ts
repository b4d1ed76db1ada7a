import { existsSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { openFileSource } from '../capture/file-source.js';
import { PacketRecord } from '../capture/record.js';
import { Engine } from '../engine/engine.js';
import { AppClassifier } from '../dissect/app-classifier.js';
import { StreamTracker } from '../streams/stream-tracker.js';

/**
 * Report speed with dissection + reassembly on vs off: the same capture (held
 * in memory, so disk reads do not count) is ingested by a report-mode Engine
 * (no rates, no expiry) and reported, once bare and once with the
 * AppClassifier and a StreamTracker attached as observers. Best of `runs`.
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
  readonly on: DissectBenchSide;
  /** on.seconds / off.seconds. */
  readonly slowdown: number;
  readonly tcpStreams: number;
  readonly udpStreams: number;
  readonly classifiedFlows: number;
  readonly streamBytesHeld: number;
}

interface Held {
  recs: PacketRecord[];
  bytes: number;
}

async function load(path: string): Promise<Held> {
  const recs: PacketRecord[] = [];
  let bytes = 0;
  await openFileSource({ path }).start((r) => {
    const c = new PacketRecord();
    c.copyFrom(r);
    c.buf = new Uint8Array(r.buf.subarray(r.off, r.off + r.capLen)); // a copy: Buffer.slice would be a view of the reused chunk
    c.off = 0;
    recs.push(c);
    bytes += r.origLen;
  });
  return { recs, bytes };
}

function defaultPath(): string {
  for (const p of ['fixtures/demo.pcap', '../shared/pcaps/big/pcpp_example_http_browsing.pcap']) if (existsSync(p)) return p;
  throw new Error('no capture for the dissect bench: pass a path');
}

function once(h: Held, on: boolean, o: DissectBenchOptions): { side: DissectBenchSide; tracker: StreamTracker | null; classified: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const engine = new Engine({ rates: false, idleTimeoutSec: 0 });
  let tracker: StreamTracker | null = null;
  let classifier: AppClassifier | null = null;
  let classified = 0;
  if (on) {
    classifier = new AppClassifier({ setAppProto: (slot, proto) => {
      classified++;
      engine.setAppProto(slot, proto);
    } });
    tracker = new StreamTracker({ streamBytes: o.streamBytes, totalBytes: o.totalBytes });
    engine.addObserver(classifier);
    engine.addObserver(tracker);
  }
  const c0 = cpuUsage();
  const t0 = performance.now();
  for (const r of h.recs) engine.ingest(r);
  engine.report({ top: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const c = cpuUsage(c0);
  const cpuSeconds = (c.user + c.system) / 1e6;
  const side: DissectBenchSide = {
    seconds, cpuSeconds, pps: h.recs.length / seconds, mbps: (h.bytes * 8) / seconds / 1e6,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
  return { side, tracker, classified };
}

export async function benchDissect(o: DissectBenchOptions = {}): Promise<DissectBenchResult> {
  const path = o.path ?? defaultPath();
  const h = await load(path);
  const runs = o.runs ?? 3;
  let off: DissectBenchSide | null = null;
  let on: ReturnType<typeof once> | null = null;
  once(h, false, o); // warm up both paths
  once(h, true, o);
  for (let i = 0; i < runs; i++) {
    const a = once(h, false, o).side;
    if (!off || a.seconds < off.seconds) off = a;
    const b = once(h, true, o);
    if (!on || b.side.seconds < on.side.seconds) on = b;
  }
  const t = on!.tracker!;
  return {
    path, packets: h.recs.length, bytes: h.bytes, off: off!, on: on!.side, slowdown: on!.side.seconds / off!.seconds,
    tcpStreams: t.tcpCount, udpStreams: t.udpCount, classifiedFlows: on!.classified, streamBytesHeld: t.budget.used,
  };
}

/** One line per side for `npm run bench`. */
export function formatDissectBench(r: DissectBenchResult): string {
  const f = (s: DissectBenchSide): string =>
    `${Math.round(s.pps).toLocaleString('en-US')} pkt/s (${s.seconds.toFixed(3)} s wall, ${s.cpuSeconds.toFixed(3)} s cpu, ${s.mbps.toFixed(0)} Mbit/s)`;
  return [
    `dissect bench: ${r.path}, ${r.packets} packets`,
    `  dissection+reassembly off: ${f(r.off)}`,
    `  dissection+reassembly on:  ${f(r.on)}  x${r.slowdown.toFixed(2)}`,
    `  ${r.tcpStreams} tcp streams, ${r.udpStreams} udp conversations, ${r.classifiedFlows} flows classified, ${(r.streamBytesHeld / 2 ** 20).toFixed(1)} MiB held`,
  ].join('\n');
}
