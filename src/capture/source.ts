import type { PacketRecord } from './record.js';

/** What a source reports about itself (shown in the status bar and in reports). */
export interface SourceStatus {
  kind: 'file' | 'live';
  /** File path ('-' for stdin) or interface name. */
  name: string;
  /** Link type names seen so far (linkTypeName). */
  linkTypes: string[];
  /** Packets read from the capture (before the capture filter). */
  packetsRead: number;
  /** Bytes read from the file, or captured bytes for a live source. */
  bytesRead: number;
  truncated: boolean;
  /** One line per kind of warning; repeats are counted in the line. */
  warnings: string[];
  /** Packets the kernel dropped, or null when the source cannot know. */
  dropped: number | null;
  /** Why `dropped` is null (empty when it is known). */
  dropNote: string;
  ended: boolean;
  // ---- additive fields ----
  /** Packets the capture filter rejected (not delivered). */
  packetsFiltered: number;
  paused: boolean;
  /** Live: packets the kernel ring holds when its slots are 64 KiB (see ring-probe.ts); null when large or unknown. */
  kernelRingPackets?: number | null;
}

/** How `start()` finished. Unusable input rejects `start()` with a CaptureError instead. */
export interface SourceEnd {
  reason: 'eof' | 'stopped';
}

/**
 * A stream of packets. `start` delivers every packet to `onPacket` (one reused
 * record, valid only during the call) and resolves when the input ends or
 * `stop()` is called. It rejects only with `CaptureError` (one line for the
 * user, plus an exit code).
 */
export interface PacketSource {
  start(onPacket: (r: PacketRecord) => void): Promise<SourceEnd>;
  pause(): void;
  resume(): void;
  stop(): void;
  readonly info: SourceStatus;
}

/** The clock and timers a source uses; tests inject a fake one. `now` is monotonic milliseconds. */
export interface SourceTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Run `fn` after pending I/O and timers (lets a UI draw between chunks). */
  setImmediate(fn: () => void): void;
}

export const realTimers: SourceTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setImmediate: (fn) => {
    setImmediate(fn);
  },
};

export function newStatus(kind: SourceStatus['kind'], name: string): SourceStatus {
  return {
    kind,
    name,
    linkTypes: [],
    packetsRead: 0,
    bytesRead: 0,
    truncated: false,
    warnings: [],
    dropped: kind === 'file' ? 0 : null,
    dropNote: '',
    ended: false,
    packetsFiltered: 0,
    paused: false,
  };
}
