import type { PacketSource, SourceEnd, SourceStatus } from '../capture/source.js';
import type { Engine, EngineObserver, EngineSourceInfo, PacketPredicate } from './engine.js';
import type { Snapshot } from './snapshot.js';
import type { SnapshotMonitor, SnapshotOptions } from './snapshot-builder.js';

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

  constructor(private readonly opts: RuntimeOptions) {
    this.engine = opts.engine;
    this.source = opts.source;
    this.clock = opts.clock ?? systemRuntimeClock;
    this.intervalMs = opts.intervalMs ?? 1000;
    const monitor = opts.monitor ?? null;
    if (monitor !== null && !this.engine.hasObserver(monitor)) this.engine.addPreFilterObserver(monitor, { ticks: true });
    this.snapshotOpts = monitor === null ? (opts.snapshot ?? {}) : { ...opts.snapshot, monitor };
    this.syncSource();
    this.current = this.engine.snapshot(this.snapshotOpts);
  }

  /** Start reading and publishing; resolves when the source ends (publishing goes on until stop()). */
  async start(): Promise<SourceEnd> {
    this.timer = this.clock.setInterval(() => this.tick(), this.intervalMs);
    const engine = this.engine;
    try {
      const end = await this.source.start((r) => engine.ingest(r));
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

  setFocus(id: string | null): void {
    this.engine.setFocus(id);
    this.publish();
  }

  /** Apply display filter text (null clears it); throws what the compiler throws. */
  setDisplayFilter(text: string | null): void {
    if (text === null || text.trim() === '') this.engine.setDisplayFilter(null, null);
    else {
      if (!this.opts.compileDisplayFilter) throw new Error('display filters are not available');
      this.engine.setDisplayFilter(this.opts.compileDisplayFilter(text), text);
    }
    this.publish();
  }

  private notify(): void {
    for (const cb of [...this.listeners]) cb();
  }

  private syncSource(): void {
    this.engine.setSource(engineSourceInfo(this.source.info, this.opts.kind));
  }
}

/** Map the capture layer's status to what snapshots and reports show. */
export function engineSourceInfo(s: SourceStatus, kind?: EngineSourceInfo['kind']): EngineSourceInfo {
  return {
    kind: kind ?? (s.kind === 'live' ? 'interface' : s.name === '-' ? 'stdin' : 'file'),
    name: s.name,
    linkTypes: [...s.linkTypes],
    packetsRead: s.packetsRead,
    bytesRead: s.bytesRead,
    truncated: s.truncated,
    warnings: [...s.warnings],
    ended: s.ended,
    dropped: s.dropped,
    dropNote: s.dropNote === '' ? null : s.dropNote,
  };
}
