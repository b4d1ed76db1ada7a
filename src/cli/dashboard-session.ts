import { fileURLToPath } from 'node:url';
import { BaselineError, createMonitor } from '../baseline/index.js';
import type { BaselineCliOptions, MonitorHandle } from '../baseline/index.js';
import { CaptureError, DEFAULT_RING_MB, PacketRing, defaultInterface, dropPrivileges, listInterfaces, openFileSource, openLiveSource } from '../capture/index.js';
import type { PacketSource } from '../capture/index.js';
import { CaptureWriter } from '../capture/capture-writer.js';
import { Engine } from '../engine/engine.js';
import type { PacketPredicate } from '../engine/engine.js';
import { Runtime } from '../engine/runtime.js';
import { dissectionOptionsFromArgv, setupDissection } from '../dissect/setup.js';
import { compileFilter, createFilterContext } from '../filter/index.js';
import { TcpRelativeSeq } from '../filter/tcp-rel.js';
import type { FilterTools } from '../ui/filter-tools.js';
import { baselineReader } from '../ui/store/baseline-view.js';
import { driversReader } from '../ui/store/drivers.js';
import { exportTargetPcap, ringReach } from '../ui/store/export-pcap.js';
import { PacketStore } from '../ui/store/packet-store.js';
import type { SnapshotStore } from '../ui/store/snapshot-store.js';
import { sessionStreamIndex } from '../ui/store/stream-index.js';
import { withExtras } from '../ui/store/with-extras.js';

/**
 * The dashboard's capture side, with nothing drawn: source, engine, dissection, baseline
 * monitor, packet ring and the snapshot store the UI reads (dashboard.ts draws it; the
 * benchmarks run it headless).
 */

export interface DashboardOptions extends BaselineCliOptions {
  /** `-i IF`: live capture on this interface (default: the default interface). */
  readonly interface?: string;
  /** `-f EXPR`: capture filter (BPF for live capture, the filter language for files). */
  readonly filter?: string;
  /** `-Y EXPR`: display filter applied from the start (the `/` line edits it later). */
  readonly displayFilter?: string;
  /** `-r FILE|-`: replay a capture file (or stdin) with its recorded timing. */
  readonly read?: string;
  /** `--speed N|max` for `-r` and `--demo`; default 1 (recorded timing). */
  readonly speed?: number | 'max';
  /** `--demo`: replay fixtures/demo.pcap in a loop. */
  readonly demo?: boolean;
  /** `--fps`: frames per second (default 4). */
  readonly fps?: number;
  /** `--no-color` sets false; NO_COLOR in the environment does too. */
  readonly color?: boolean;
  /** `--user`: drop root privileges to this user once a live capture is open. */
  readonly user?: string;
  /** `--stream-bytes`, `--stream-total-bytes`: reassembly caps per stream direction and over all streams (1M, 64M). */
  readonly streamBytes?: string;
  readonly streamTotalBytes?: string;
  /** `--max-flows`: most flows tracked at once (default 1,000,000); the longest idle is evicted. */
  readonly maxFlows?: number;
  /** `-w`: also write every captured packet (after -f, whatever the display filter) to this pcap file. */
  readonly write?: string;
  /**
   * `--ring-mb`: MiB of recent raw packets kept (0: none); default 64. A display filter change
   * re-applies to them (else it counts from the change on), and the packet view reads them.
   */
  readonly ringMb?: number;
}

/** What the dashboard runs on: a snapshot store and the capture behind it. */
export interface DashboardSession {
  readonly store: SnapshotStore;
  /** Reads the capture; resolves at its end (the store keeps publishing), rejects on failure. */
  start(): Promise<unknown>;
  /** Stop reading (and finish the -w file). */
  stop(): void;
  /** A line for the terminal once the screen is restored (what -w wrote), or null. */
  exitNote?(): string | null;
}

const DEMO_PATH = new URL('../../fixtures/demo.pcap', import.meta.url);

function openMonitor(opts: BaselineCliOptions): MonitorHandle {
  try {
    return createMonitor(opts);
  } catch (e) {
    if (e instanceof BaselineError) throw new CaptureError(e.message, 2);
    throw e;
  }
}

/** The reassembly caps asked for (a bad size is a usage error, exit 2). */
function streamCaps(opts: DashboardOptions): { streamBytes?: number; totalBytes?: number } {
  try {
    return dissectionOptionsFromArgv(opts);
  } catch (e) {
    throw new CaptureError((e as Error).message, 2);
  }
}

export async function openDefaultSession(opts: DashboardOptions, tools: FilterTools): Promise<DashboardSession> {
  const monitor = openMonitor(opts);
  const caps = streamCaps(opts);
  let source: PacketSource;
  let capturePredicate: PacketPredicate | null = null;
  const isFile = opts.demo === true || opts.read !== undefined;
  if (isFile) {
    const path = opts.demo ? fileURLToPath(DEMO_PATH) : opts.read!;
    source = openFileSource({ path, speed: opts.speed ?? 1, loop: opts.demo === true });
    if (opts.filter) {
      if (!tools.compile) throw new CaptureError('capture filters on files need the filter module, which is not available', 2);
      const check = tools.validate(opts.filter);
      if (!check.ok) throw new CaptureError(`capture filter: column ${check.column}: ${check.message}`, 2);
      capturePredicate = tools.compile(opts.filter) as PacketPredicate;
    }
  } else {
    const iface = opts.interface ?? defaultInterface(listInterfaces());
    if (!iface) throw new CaptureError('no capture interface found; name one with -i', 2);
    if (opts.filter) {
      // libpcap compiles live capture filters in the kernel: Wireshark field syntax cannot go there.
      const { compileFilter, explainNotPcap, FilterError } = await import('../filter/index.js');
      try {
        const why = explainNotPcap(compileFilter(opts.filter));
        if (why !== null) throw new CaptureError(why, 2);
      } catch (e) {
        if (e instanceof FilterError) throw new CaptureError(`capture filter: column ${e.column}: ${e.message}`, 2);
        throw e;
      }
    }
    source = openLiveSource({ iface, bpf: opts.filter });
    if (opts.user) dropPrivileges(opts.user);
  }
  const engine = new Engine({ capturePredicate, captureFilterText: opts.filter ?? null, maxFlows: opts.maxFlows });
  // One ring of raw packets, owned by the runtime: display filter changes replay it, the packet
  // view reads it (the PacketStore keeps only an index into it), and so does the stream view.
  const ringMb = opts.ringMb ?? DEFAULT_RING_MB;
  const ring = ringMb > 0 ? new PacketRing({ bytes: ringMb * 1024 * 1024 }) : null;
  // Observers: application protocols and stream numbering (the stream view), then the baseline
  // monitor (meters and alerts). StreamIndex must follow the tracker: it reads its verdict on each
  // packet. With a ring the tracker only numbers and counts streams (index mode): the one viewed is
  // reassembled from the ring's packets when asked; without one it reassembles every stream.
  const streams = sessionStreamIndex((slot) => engine.flows.gen[slot]!, ring ? { ring, frame: () => runtime.frame, ...caps } : null);
  const dissectOpts = { store: ring === null, after: streams.after, ...caps };
  let dissection = setupDissection(engine, dissectOpts);
  // When a display filter change replays the ring, dissection starts afresh and is rebuilt from the
  // kept packets like the counts: the stream tracker keeps streams across resets (replayed packets
  // would be added to them twice), and the per-packet classifier follows TCP directions in order.
  const redissect = (): void => {
    dissection.detach();
    dissection = setupDissection(engine, dissectOpts);
  };
  // Meters describe the traffic, not what the display filter lets through: the monitor sees packets
  // before the filter, and gets the engine's ticks (which close idle seconds) separately.
  engine.addPreFilterObserver(monitor);
  engine.addObserver({ onPacket: () => {}, onTick: (sec) => monitor.onTick(sec) });
  const fps = opts.fps ?? 4;
  const runtime = new Runtime({
    engine,
    source,
    // Engine ticks no faster than frames are drawn, and at least once a second.
    intervalMs: Math.min(1000, Math.max(100, Math.round(1000 / fps))),
    // Compiled against this engine's protocol paths, so application protocol names and
    // fields read the per-packet marking (as tshark does) rather than guessing from payload.
    compileDisplayFilter: (text) => {
      // frame.time_relative counts from the capture's first packet (tshark), not from the first the
      // filter sees: the ring's oldest once it has dropped the start, or the next one without a ring.
      // tcp.seq/tcp.ack read the numbers the engine computed for the packet (also for a replayed one).
      const tcpRel = engine.tcp === null ? null : new TcpRelativeSeq(engine.tcp);
      const f = compileFilter(text, createFilterContext({ paths: engine.paths, firstTime: engine.firstRead ?? NaN, tcpRel }));
      return (p) => f.match(p);
    },
    kind: opts.demo ? 'demo' : undefined,
    ring,
    onReplay: redissect,
  });
  const packets = ring ? new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame, () => engine.firstRead) : null;
  if (packets) engine.addObserver(packets);
  if (opts.displayFilter) {
    const check = tools.validate(opts.displayFilter);
    if (!check.ok) throw new CaptureError(`display filter: column ${check.column}: ${check.message}`, 2);
    runtime.setDisplayFilter(opts.displayFilter);
  }
  const store = withExtras(runtime, {
    baseline: baselineReader(monitor),
    stream: (id) => streams.index()?.source(id) ?? null,
    ...(packets ? { packets: (id: string | null) => packets.view(id) } : {}),
    drivers: driversReader(monitor),
    // W writes from the same ring the runtime keeps (every packet read, before any filter).
    ...(ring ? { exportPcap: (target, path, o) => exportTargetPcap(ring, target, path, o), ringReach: () => ringReach(ring) } : {}),
  });
  // -w takes every captured packet, as tcpdump -w does: the display filter is a view and changes.
  // Opened last, so no other bad option leaves an empty file behind.
  const writer = opts.write === undefined ? null : CaptureWriter.open(opts.write, 2, opts.read);
  if (writer !== null) {
    writer.onProblem = (line) => source.info.warnings.push(line);
    engine.addPreFilterObserver(writer, { ticks: true });
  }
  return {
    store,
    start: () => runtime.start(),
    stop: () => {
      runtime.stop();
      writer?.close(engine.packet.linkType);
      monitor.close?.();
    },
    exitNote: () => (writer === null ? null : `wiretop: ${writer.summary()}`),
  };
}
