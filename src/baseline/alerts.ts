import { appendFileSync } from 'node:fs';
import { levelRank, type Level } from './model/levels.js';
import type { ReportV1 } from '../report/report-types.js';

export type AlertKind =
  | 'port-scan'
  | 'host-sweep'
  | 'syn-flood'
  | 'dns-tunnel'
  | 'exfil'
  | 'beacon'
  | 'volume-spike'
  | 'deviation';

export const ALERT_KINDS: readonly AlertKind[] = [
  'port-scan',
  'host-sweep',
  'syn-flood',
  'dns-tunnel',
  'exfil',
  'beacon',
  'volume-spike',
  'deviation',
];

/** One element of ReportV1.alerts: the report's own type, so the two cannot drift apart. */
export type ReportAlert = ReportV1['alerts'][number];

/** What the monitor keeps per kind+subject; `count` merges recurrences. */
export interface AlertRecord {
  readonly kind: AlertKind;
  readonly subject: string;
  severity: Level;
  /** Capture time, seconds since the epoch. */
  firstSeen: number;
  lastSeen: number;
  observed: number;
  expected: number;
  message: string;
  /** How many times it was raised (1 + recurrences after clearing). */
  count: number;
  active: boolean;
}

/** Receives alerts as they are raised (and raised again). */
export interface AlertSink {
  write(a: AlertRecord): void;
}

export function toReportAlert(a: AlertRecord): ReportAlert {
  return {
    kind: a.kind,
    subject: a.subject,
    severity: a.severity,
    firstSeen: isoTime(a.firstSeen),
    lastSeen: isoTime(a.lastSeen),
    observed: a.observed,
    expected: a.expected,
    message: a.message,
  };
}

export function isoTime(sec: number): string {
  return new Date(Math.round(sec * 1000)).toISOString();
}

/** Appends one JSON object per line (ReportV1 alert fields plus `count`) to a file. */
export class NdjsonAlertSink implements AlertSink {
  constructor(readonly path: string) {}

  write(a: AlertRecord): void {
    appendFileSync(this.path, `${JSON.stringify({ ...toReportAlert(a), count: a.count })}\n`);
  }
}

export class MemoryAlertSink implements AlertSink {
  readonly lines: ReportAlert[] = [];
  write(a: AlertRecord): void {
    this.lines.push(toReportAlert(a));
  }
}

export interface AlertTiming {
  /** Seconds a condition must hold before the alert is raised, per kind. */
  holdSec: Record<AlertKind, number>;
  /** Seconds a condition must stay false before the alert clears. */
  clearSec: number;
}

export const DEFAULT_TIMING: AlertTiming = {
  holdSec: {
    'port-scan': 0,
    'host-sweep': 0,
    'syn-flood': 3,
    'dns-tunnel': 0,
    exfil: 0,
    beacon: 0,
    // The detector holds it itself (spikeHoldSec) so it can pick the subject at the end of the hold.
    'volume-spike': 0,
    deviation: 30,
  },
  clearSec: 120,
};

interface Pending {
  since: number;
  lastTrue: number;
}

const MAX_RECORDS = 5000;

/**
 * Turns per-tick conditions into alerts: raised when a condition has held for
 * holdSec, once per kind+subject until it has been false for clearSec, then
 * raised again (count + 1) if it recurs.
 */
export class AlertManager {
  private readonly records = new Map<string, AlertRecord>();
  private readonly pending = new Map<string, Pending>();
  dropped = 0;
  /** Alerts raised (new, or again after clearing) so far. */
  raised = 0;

  constructor(
    private readonly timing: AlertTiming = DEFAULT_TIMING,
    private readonly sinks: AlertSink[] = [],
  ) {}

  addSink(s: AlertSink): void {
    this.sinks.push(s);
  }

  /** The condition for kind+subject holds at nowSec. */
  report(kind: AlertKind, subject: string, nowSec: number, observed: number, expected: number, level: Level, message: string): void {
    const id = `${kind}\u0000${subject}`;
    let p = this.pending.get(id);
    if (!p || nowSec - p.lastTrue > Math.max(2, this.timing.clearSec)) {
      p = { since: nowSec, lastTrue: nowSec };
      this.pending.set(id, p);
    }
    p.lastTrue = nowSec;
    const rec = this.records.get(id);
    if (rec?.active) {
      rec.lastSeen = nowSec;
      if (observed > rec.observed) {
        rec.observed = observed;
        rec.message = message;
      }
      if (levelRank(level) > levelRank(rec.severity)) rec.severity = level;
      return;
    }
    if (nowSec - p.since < this.timing.holdSec[kind]) return;
    if (rec) {
      rec.active = true;
      rec.count++;
      rec.lastSeen = nowSec;
      rec.observed = observed;
      rec.expected = expected;
      rec.severity = level;
      rec.message = message;
      this.emit(rec);
      return;
    }
    const fresh: AlertRecord = {
      kind,
      subject,
      severity: level,
      firstSeen: p.since,
      lastSeen: nowSec,
      observed,
      expected,
      message,
      count: 1,
      active: true,
    };
    if (this.records.size >= MAX_RECORDS) this.dropOldest();
    this.records.set(id, fresh);
    this.emit(fresh);
  }

  private emit(r: AlertRecord): void {
    this.raised++;
    for (const s of this.sinks) s.write(r);
  }

  private dropOldest(): void {
    for (const [id, r] of this.records) {
      if (!r.active) {
        this.records.delete(id);
        this.dropped++;
        return;
      }
    }
    const first = this.records.keys().next();
    if (!first.done) this.records.delete(first.value);
    this.dropped++;
  }

  /** Clear alerts (and forget pending conditions) that have been false for clearSec. */
  endTick(nowSec: number): void {
    for (const [id, p] of this.pending) {
      const idle = nowSec - p.lastTrue;
      if (idle < 1) continue;
      const rec = this.records.get(id);
      if (rec?.active) {
        if (idle >= this.timing.clearSec) {
          rec.active = false;
          this.pending.delete(id);
        }
      } else {
        this.pending.delete(id);
      }
    }
  }

  /** Any alert of these kinds active (used to explain away generic deviations). */
  anyActive(kinds?: readonly AlertKind[]): boolean {
    for (const r of this.records.values()) if (r.active && (!kinds || kinds.includes(r.kind))) return true;
    return false;
  }

  /** All alerts, most severe first, then most recent. */
  list(): AlertRecord[] {
    return [...this.records.values()].sort(
      (a, b) => levelRank(b.severity) - levelRank(a.severity) || b.lastSeen - a.lastSeen || a.subject.localeCompare(b.subject),
    );
  }
}
