import type { DecodedPacket } from '../decode/packet.js';
import type { Engine } from '../engine/engine.js';
import type { EngineObserver } from '../engine/engine-types.js';
import { STREAM_YARGS_OPTIONS, parseByteSize } from '../streams/options.js';
import { StreamTracker, type StreamTrackerOptions } from '../streams/stream-tracker.js';
import { AppClassifier } from './app-classifier.js';
import { PacketClassifier } from './packet-classifier.js';
import { registerAppFields } from './register-fields.js';

export interface Dissection {
  /** Per-flow service label (Engine.setAppProto), one-line detail per flow. */
  readonly classifier: AppClassifier;
  /** Per-packet protocol marking (installed as Engine.classify); null with `classifyPackets: false`. */
  readonly packets: PacketClassifier | null;
  readonly streams: StreamTracker;
  /** Remove the observers and the classify hook from the engine. */
  detach(): void;
}

export interface SetupDissectionOptions extends StreamTrackerOptions {
  /** Payload-carrying packets tested per flow for the service label (default 8). */
  maxProbes?: number;
  /** Mark packets per packet (Engine.classify, default true); false keeps only the per-flow label. */
  classifyPackets?: boolean;
  /** TCP directions the packet classifier follows at once (default 32768). */
  classifierCapacity?: number;
  /** Reassemble streams (default true); `wiretop report` needs only the labels and fields. */
  streams?: boolean;
  /** An observer that reads the tracker's verdict on each packet (the dashboard's StreamIndex), called right after it: made from the tracker. */
  after?: (streams: StreamTracker) => EngineObserver;
}

/** yargs options of the commands that dissect (report, dashboard): `--stream-bytes`, `--stream-total-bytes`. */
export const DISSECTION_YARGS_OPTIONS = STREAM_YARGS_OPTIONS;

/**
 * Everything dissection needs on an engine, in one call:
 * 1. application fields and protocol names in the filter registry (once per process);
 * 2. the per-packet classifier as `engine.classify` (before protocol counting and the
 *    display filter: `dns`/`http`/`tls` in the hierarchy and in filters, as tshark);
 * 3. AppClassifier (per-flow service label) and StreamTracker as observers.
 */
export function setupDissection(engine: Engine, opts: SetupDissectionOptions = {}): Dissection {
  registerAppFields();
  // Constructing the classifier tells the filters that paths of this engine are tagged per packet.
  const packets = opts.classifyPackets === false ? null : new PacketClassifier(engine.paths, opts.classifierCapacity, engine.flows);
  const hook = packets?.classify ?? null;
  if (hook !== null) engine.classify = hook;
  const classifier = new AppClassifier(engine, opts.maxProbes ?? 8);
  const streams = new StreamTracker({ ...opts, flows: engine.flows });
  const chain = new DissectionObserver(classifier, opts.streams === false ? null : streams, opts.after?.(streams) ?? null);
  const a = engine.addObserver(chain);
  return {
    classifier, packets, streams, detach: () => {
      a();
      if (hook !== null && engine.classify === hook) engine.classify = null;
    },
  };
}

/**
 * The per-flow labels, the stream tracker and what reads the tracker's verdict (`after`), as one
 * engine observer: one call per packet through the engine's observer list (several classes there
 * make that call site megamorphic) and three direct calls the compiler can inline.
 */
class DissectionObserver implements EngineObserver {
  constructor(
    private readonly labels: AppClassifier,
    private readonly streams: StreamTracker | null,
    private readonly after: EngineObserver | null,
  ) {}

  onPacket(p: DecodedPacket, slot: number): void {
    this.labels.onPacket(p, slot);
    if (this.streams !== null) this.streams.onPacket(p, slot);
    if (this.after !== null) this.after.onPacket(p, slot);
  }

  onFlowRemoved(slot: number): void {
    this.labels.onFlowRemoved(slot);
    this.streams?.onFlowRemoved(slot);
    this.after?.onFlowRemoved?.(slot);
  }

  onReset(): void {
    this.labels.onReset();
    this.streams?.onReset();
    this.after?.onReset?.();
  }

  onTick(sec: number): void {
    this.after?.onTick?.(sec);
  }
}

/** `--stream-bytes` / `--stream-total-bytes` argv values as options; throws an Error naming the flag when a size is not valid. */
export function dissectionOptionsFromArgv(argv: { streamBytes?: unknown; streamTotalBytes?: unknown }): SetupDissectionOptions {
  const o: SetupDissectionOptions = {};
  if (typeof argv.streamBytes === 'string') {
    const n = parseByteSize(argv.streamBytes);
    if (n === null) throw new Error(`--stream-bytes: not a byte size: ${argv.streamBytes}`);
    o.streamBytes = n;
  }
  if (typeof argv.streamTotalBytes === 'string') {
    const n = parseByteSize(argv.streamTotalBytes);
    if (n === null) throw new Error(`--stream-total-bytes: not a byte size: ${argv.streamTotalBytes}`);
    o.totalBytes = n;
  }
  return o;
}
