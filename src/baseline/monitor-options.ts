import type { AlertRecord, AlertSink, AlertTiming } from './alerts.js';
import type { BaselineFileV1 } from './baseline-file.js';
import type { Limits, MeterRow, Thresholds } from './context.js';

/** What a BaselineMonitor (src/baseline/monitor.ts) is made with, and what its status() says. */
export interface MonitorOptions {
  /** CIDR list of internal networks (default RFC 1918, ULA, link-local, loopback). */
  homeNet?: string;
  /** A baseline loaded from a file: alerts use it from the first packet. */
  baseline?: BaselineFileV1;
  /** 'learn' (wiretop baseline learn): models update, nothing alerts. Default 'detect'. */
  mode?: 'detect' | 'learn';
  /** `--learn DURATION`: learn for this many seconds of capture time, then detect. */
  learnSec?: number;
  /** Without a baseline, how long learning-based detectors warm up (default 900 s). */
  warmupSec?: number;
  thresholds?: Partial<Thresholds>;
  limits?: Partial<Limits>;
  /** Alert hold per kind and clear time, seconds (see DEFAULT_TIMING). */
  timing?: { holdSec?: Partial<AlertTiming['holdSec']>; clearSec?: number };
  sinks?: AlertSink[];
  /** onTick(now) closes seconds in which no packet arrived (default true; the engine ticks on packet time, or wall time when a live capture is idle). */
  followClock?: boolean;
}

/** What the dashboard draws from a monitor, read in one call per snapshot (see MonitorHandle). */
export interface MonitorView {
  meters: MeterRow[];
  alerts: AlertRecord[];
  status: MonitorStatus;
  /** Alerts raised so far (AlertManager.raised). */
  raised: number;
}

export interface MonitorStatus {
  learning: boolean;
  learned: boolean;
  /** 'file', 'online' (--learn or warm-up) or null while nothing is learned yet. */
  learnedFrom: 'file' | 'online' | null;
  /** Seconds of capture time until learning-based detectors start; 0 when they run; Infinity in `baseline learn`. */
  learningLeftSec: number;
  note: string;
}
