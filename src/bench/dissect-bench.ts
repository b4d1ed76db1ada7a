import { existsSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { PacketRing } from '../capture/packet-ring.js';
import { Engine } from '../engine/engine.js';
import { setupDissection } from '../dissect/setup.js';
import { sessionStreamIndex } from '../ui/store/stream-index.js';
import { loadHeld, replay, type Held } from './held-capture.js';
import { streamView, type StreamViewBench } from './stream-view-bench.js';

/**
 * What dissection and reassembly cost each command, on the same capture held
 * in memory (disk reads do not count), each against its own engine bare:
 * - report: a report-mode Engine (no rates, no expiry) with report's
 *   dissection (`setupDissection(engine, {streams: false})`: per-packet
 *   classifier and per-flow labels);
 * - dashboard: the dashboard's Engine (rates, idle expiry) with its dissection:
 *   the same plus the StreamTracker in index mode and the StreamIndex after it
 *   (streams numbered and counted; a viewed one is reassembled from the packet
 *   ring, measured on its own as `view`), and with every stream reassembled as
 *   it arrives (store mode: a dashboard with `--ring-mb 0`).
 * Best of `runs`, the modes interleaved. The issue's measure is the share of
 * the engine's packets/s lost (`loss`, `reportLoss`); `slowdown` is the time factor.
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
  /** Report's engine (no rates, no expiry), bare. */
  readonly off: DissectBenchSide;
  /** The dashboard's engine (rates, idle expiry), bare. */
  readonly dashOff: DissectBenchSide;
  /** Everything the dashboard attaches: per-packet classifier, per-flow labels, stream index (no reassembly). */
  readonly on: DissectBenchSide;
  /** The same with every stream reassembled (store mode). */
  readonly store: DissectBenchSide;
  /** What `wiretop report` attaches: the classifier and labels, no reassembly. */
  readonly report: DissectBenchSide;
  /** on.seconds / dashOff.seconds. */
  readonly slowdown: number;
  /** Share of the bare dashboard engine's packets/s lost: 1 - on.pps / dashOff.pps (the issue's target: at most 0.3). */
  readonly loss: number;
  /** The same for report's dissection on report's engine: 1 - report.pps / off.pps. */
  readonly reportLoss: number;
  /** One stream reassembled from the ring when viewed (null: no TCP stream in the ring). */
  readonly view: StreamViewBench | null;
  /** store.seconds / dashOff.seconds. */
  readonly storeSlowdown: number;
  readonly tcpStreams: number;
  readonly udpStreams: number;
  readonly classifiedFlows: number;
  /** Reassembled bytes held by the store-mode pass. */
  readonly streamBytesHeld: number;
}


function defaultPath(): string {
  for (const p of ['fixtures/demo.pcap', '../shared/pcaps/big/pcpp_example_http_browsing.pcap']) if (existsSync(p)) return p;
  throw new Error('no capture for the dissect bench: pass a path');
}

/** Report's engine bare and with report's dissection; the dashboard's engine bare, with its dissection, and with every stream reassembled. */
type Mode = 'off' | 'report' | 'dashOff' | 'on' | 'store';

interface Once {
  side: DissectBenchSide;
  tcpStreams: number;
  udpStreams: number;
  classifiedFlows: number;
  streamBytesHeld: number;
}

/** One pass of a Mode. */
function once(h: Held, mode: Mode, o: DissectBenchOptions): Once {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const isReport = mode === 'off' || mode === 'report';
  // As `wiretop report` (totals only, nothing expires) and the dashboard (rates, idle expiry) make theirs.
  const engine = isReport ? new Engine({ rates: false, idleTimeoutSec: 0 }) : new Engine();
  const dissection = mode === 'off' || mode === 'dashOff' ? null
    : setupDissection(engine, {
      streams: mode !== 'report', store: mode === 'store', streamBytes: o.streamBytes, totalBytes: o.totalBytes,
      // The dashboard's StreamIndex; with a ring to tag entries by (nothing is kept in it) in index mode.
      after: mode === 'report' ? undefined
        : sessionStreamIndex((slot) => engine.flows.gen[slot]!, mode === 'on' ? { ring: new PacketRing({ bytes: 1 << 16 }), frame: () => engine.packetsRead } : null).after,
    });
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
  // Numbers only: a pass's streams kept alive would slow every later pass's garbage collections.
  const t = dissection?.streams;
  return {
    side, tcpStreams: t?.tcpCount ?? 0, udpStreams: t?.udpCount ?? 0,
    classifiedFlows: dissection?.classifier.classifiedFlows ?? 0, streamBytesHeld: t?.budget.used ?? 0,
  };
}

export async function benchDissect(o: DissectBenchOptions = {}): Promise<DissectBenchResult> {
  const path = o.path ?? defaultPath();
  const h = await loadHeld(path);
  const runs = o.runs ?? 3;
  const best: Partial<Record<Mode, Once>> = {};
  const modes: Mode[] = ['off', 'report', 'dashOff', 'on', 'store'];
  for (const m of modes) once(h, m, o); // warm up every path
  for (let i = 0; i < runs; i++) {
    for (const m of modes) {
      const r = once(h, m, o);
      if (!best[m] || r.side.seconds < best[m].side.seconds) best[m] = r;
    }
  }
  const off = best.off!.side;
  const dashOff = best.dashOff!.side;
  const on = best.on!;
  const report = best.report!.side;
  return {
    path, packets: h.packets, bytes: h.bytes, off, report, dashOff, on: on.side, store: best.store!.side,
    slowdown: on.side.seconds / dashOff.seconds, storeSlowdown: best.store!.side.seconds / dashOff.seconds,
    loss: 1 - on.side.pps / dashOff.pps, reportLoss: 1 - report.pps / off.pps,
    tcpStreams: on.tcpStreams, udpStreams: on.udpStreams, classifiedFlows: on.classifiedFlows,
    streamBytesHeld: best.store!.streamBytesHeld, view: streamView(h, o),
  };
}

/** One line per side for `npm run bench`. */
export function formatDissectBench(r: DissectBenchResult): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const f = (s: DissectBenchSide): string =>
    `${Math.round(s.pps).toLocaleString('en-US')} pkt/s (${s.seconds.toFixed(3)} s wall, ${s.cpuSeconds.toFixed(3)} s cpu, ${s.mbps.toFixed(0)} Mbit/s)`;
  return [
    `dissect bench: ${r.path}, ${r.packets} packets`,
    `  report's engine, bare: ${f(r.off)}`,
    `    with report's dissection: ${f(r.report)}  x${(r.report.seconds / r.off.seconds).toFixed(2)} time, ${pct(r.reportLoss)} of the packets/s lost`,
    `  the dashboard's engine (rates, expiry), bare: ${f(r.dashOff)}`,
    `    with its dissection and stream index: ${f(r.on)}  x${r.slowdown.toFixed(2)} time, ${pct(r.loss)} of the packets/s lost`,
    `    with every stream reassembled as it arrives (--ring-mb 0): ${f(r.store)}  x${r.storeSlowdown.toFixed(2)}`,
    r.view === null ? '  stream view: no TCP stream wholly in the ring'
      : `  stream view: tcp stream ${r.view.stream} (${r.view.streamBytes} bytes${r.view.whole ? '' : `, ${r.view.shownBytes} of them in the ring`}, ${r.view.streamChunks} chunks) rebuilt from the ${r.view.ringMb} MiB ring (${r.view.ringPackets} packets) in ${r.view.firstMs.toFixed(1)} ms, updated in ${r.view.againMs.toFixed(1)} ms`,
    `  ${r.tcpStreams} tcp streams, ${r.udpStreams} udp conversations, ${r.classifiedFlows} flows classified, ${(r.streamBytesHeld / 2 ** 20).toFixed(1)} MiB held`,
  ].join('\n');
}
