import type { PacketRing } from '../capture/packet-ring.js';
import { PacketRecord } from '../capture/record.js';
import { RingKey } from '../capture/ring-key.js';
import type { PacketSource, SourceEnd } from '../capture/source.js';
import type { Engine, EngineObserver, EngineSourceInfo, PacketPredicate } from './engine.js';
import type { Snapshot } from './snapshot.js';
import type { SnapshotMonitor, SnapshotOptions } from './snapshot-builder.js';
import { engineSourceInfo } from './source-info.js';

export { engineSourceInfo } from './source-info.js';

/** A baseline monitor as the runtime carries it (BaselineMonitor fits). */
export interface RuntimeMonitor extends EngineObserver, SnapshotMonitor {
  /** Close the last partial second (called once when the source ends). */
  finish?(): void;
}

/** Wall clock and timers (epoch milliseconds); tests inject a fake one. */
export interface RuntimeClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemRuntimeClock: RuntimeClock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export interface RuntimeOptions {
  engine: Engine;
  source: PacketSource;
  /** Snapshot period in ms (independent of packet rate); default 1000. */
  intervalMs?: number;
  clock?: RuntimeClock;
  snapshot?: SnapshotOptions;
  /** Turns display filter text into a predicate; throws FilterError on bad text. */
  compileDisplayFilter?: (text: string) => PacketPredicate;
  /** Label for the source kind in snapshots ('demo' for the built-in demo). */
  kind?: EngineSourceInfo['kind'];
  /**
   * A baseline monitor: snapshots then carry `meters`, `alerts` and
   * `baselineStatus`, read from it at snapshot time. Unless it is already
   * attached to the engine, the runtime attaches it before the display filter
   * with ticks (`engine.addPreFilterObserver(monitor, { ticks: true })`), so
   * it sees all traffic and closes idle seconds; when the source ends it
   * calls `monitor.finish()`.
   */
  monitor?: RuntimeMonitor | null;
  /**
   * Every packet the source delivers is copied into this ring (before any filter), keyed by its
   * addresses, ports and frame number (`RingKey.tag`, see `Runtime.frame`). When the display
   * filter changes, the ring is replayed through `Engine.replayDisplayed`, so the new filter
   * applies to what was captured (as far back as the ring reaches: `Snapshot.displaySince` then
   * says from when) instead of counting from the change. Without a ring a new filter counts
   * only the packets read after it.
   */
  ring?: PacketRing | null;
  /**
   * Called before the ring is replayed: state that follows packets in order outside the filtered
   * aggregates (the per-packet classifier's TCP directions: `setupDissection(...).packets.reset()`)
   * must start afresh, or replayed packets look like retransmissions to it.
   */
  onReplay?: (() => void) | null;
}

/**
 * Ties a PacketSource to an Engine and publishes an immutable Snapshot every
 * `intervalMs`, for React's useSyncExternalStore: getSnapshot() returns the
 * same object until listeners are notified.
 */
export class Runtime {
  readonly engine: Engine;
  private readonly source: PacketSource;
  private readonly clock: RuntimeClock;
  private readonly intervalMs: number;
  private readonly listeners = new Set<() => void>();
  private current: Snapshot;
  private timer: unknown = null;
  private isPaused = false;
  private isStopped = false;
  private lastPackets = -1;
  private lastClock = -1;
  private lastEnded = false;
  private lastWarnings = -1;
  private readonly snapshotOpts: SnapshotOptions;
  /** See RuntimeOptions.ring. */
  readonly ring: PacketRing | null;
  private frameNo = 0;
  private readonly key = new RingKey();
  private readonly replayRecord = new PacketRecord();

  constructor(private readonly opts: RuntimeOptions) {
    this.engine = opts.engine;
    this.source = opts.source;
    this.clock = opts.clock ?? systemRuntimeClock;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.ring = opts.ring ?? null;
    const monitor = opts.monitor ?? null;
    if (monitor !== null && !this.engine.hasObserver(monitor)) this.engine.addPreFilterObserver(monitor, { ticks: true });
    this.snapshotOpts = monitor === null ? (opts.snapshot ?? {}) : { ...opts.snapshot, monitor };
    this.syncSource();
    this.current = this.engine.snapshot(this.snapshotOpts);
  }

  /** Start reading and publishing; resolves when the source ends (publishing goes on until stop()). */
  async start(): Promise<SourceEnd> {
    this.timer = this.clock.setInterval(() => this.tick(), this.intervalMs);
    try {
      const end = await this.source.start((r) => this.onRecord(r));
      this.opts.monitor?.finish?.();
      return end;
    } finally {
      this.publish();
    }
  }

  stop(): void {
    if (this.isStopped) return;
    this.isStopped = true;
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
    this.source.stop();
  }

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => {
      this.listeners.delete(cb);
    };
  };

  getSnapshot = (): Snapshot => this.current;

  /**
   * One ticker step: move an idle live capture's clock, then publish, unless
   * nothing moved since the last snapshot (a file that has been read to its
   * end): the UI then keeps the same object and does not re-render.
   */
  tick(): void {
    if (this.source.info.kind === 'live') this.engine.advanceClock(this.clock.now() / 1000);
    const e = this.engine;
    const info = this.source.info;
    if (
      e.packetsRead === this.lastPackets &&
      e.clock === this.lastClock &&
      info.ended === this.lastEnded &&
      info.warnings.length === this.lastWarnings
    ) {
      return;
    }
    this.publish();
  }

  /** Build and publish a snapshot now (unless paused). */
  publish(): void {
    if (this.isPaused) return;
    this.syncSource();
    const e = this.engine;
    this.lastPackets = e.packetsRead;
    this.lastClock = e.clock;
    this.lastEnded = this.source.info.ended;
    this.lastWarnings = this.source.info.warnings.length;
    this.current = e.snapshot(this.snapshotOpts);
    this.notify();
  }

  /** Freeze what is published (counting continues); the frozen snapshot says paused. */
  pauseDisplay(): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.engine.paused = true;
    this.current = Object.freeze({ ...this.current, paused: true });
    this.notify();
  }

  resumeDisplay(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.engine.paused = false;
    this.publish();
  }

  pause(): void {
    this.pauseDisplay();
  }

  resume(): void {
    this.resumeDisplay();
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /**
   * Focus a conversation and publish at once. While paused, the frozen
   * snapshot is republished with only `focus` and `focusGone` replaced: the
   * counts stay frozen, the detail is read from the engine now (so its
   * conversation row may be ahead of the frozen tables).
   */
  setFocus(id: string | null): void {
    this.engine.setFocus(id);
    if (!this.isPaused) {
      this.publish();
      return;
    }
    this.current = this.engine.refocus(this.current);
    this.notify();
  }

  /**
   * Frame number of the packet being counted: while the source delivers, its position in the
   * capture (1 = the first packet read); while the ring is replayed, the replayed packet's. An
   * observer after the display filter (the packet view's store) reads it in onPacket to find the
   * packet in the ring later. 0 before the first packet.
   */
  get frame(): number {
    return this.frameNo;
  }

  /**
   * Apply display filter text (null clears it); throws what the compiler throws (nothing changes
   * then). With a ring, the kept packets are counted again under the new filter before the
   * snapshot is published.
   */
  setDisplayFilter(text: string | null): void {
    if (text === null || text.trim() === '') this.engine.setDisplayFilter(null, null);
    else {
      if (!this.opts.compileDisplayFilter) throw new Error('display filters are not available');
      this.engine.setDisplayFilter(this.opts.compileDisplayFilter(text), text);
    }
    this.replayRing();
    this.publish();
  }

  /** One packet from the source: count it, then keep it in the ring (no allocation). */
  private onRecord(r: PacketRecord): void {
    const frame = (this.frameNo = (this.frameNo + 1) >>> 0);
    const e = this.engine;
    e.ingest(r);
    const ring = this.ring;
    if (ring === null) return;
    // The engine has just decoded it: key it by what was decoded (for selections and exports).
    // Flow slots are the filtered aggregates' and change with the filter: the ring does not keep them.
    const k = this.key.fromPacket(e.packet, frame);
    // The TCP numbers shown for it depend on its connection's earlier packets: keep them with it.
    const t = e.tcp;
    if (t !== null && t.tcpSeq >= 0) k.setTcp(t.tcpSeq, t.tcpAck, t.tcpScale);
    ring.append(r, k);
  }

  /**
   * Count the ring's packets again under the display filter just set (the engine has reset the
   * filtered aggregates). displaySince becomes the oldest kept packet's time when the ring no
   * longer holds the start of the capture, null (from the start) when it does.
   */
  private replayRing(): void {
    const ring = this.ring;
    if (ring === null) return;
    const e = this.engine;
    this.opts.onReplay?.();
    // Else a later fragment early in the ring got the ports of its first fragment, read later
    // in the first pass: counts after a filter change differed from a fresh read's.
    e.decoder.reset?.();
    const live = this.frameNo;
    const r = this.replayRecord;
    const t = e.tcp;
    ring.scan((m, data) => {
      this.frameNo = m.tag;
      // As computed when it was read: the ring may no longer hold its connection's first packets.
      t?.assign(m.tcpSeq, m.tcpAck, m.tcpScale);
      e.replayDisplayed(m.toRecord(data, r));
    });
    this.frameNo = live;
    e.displaySince = ring.evicted() === 0 ? null : ring.oldestTime();
  }

  private notify(): void {
    for (const cb of [...this.listeners]) cb();
  }

  private syncSource(): void {
    this.engine.setSource(engineSourceInfo(this.source.info, this.opts.kind));
  }
}
