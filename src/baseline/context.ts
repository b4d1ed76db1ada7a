import { EXTERNAL, INTERNAL, type AddrBook } from './addr-key.js';
import type { AlertManager } from './alerts.js';
import type { HomeNet } from './home-net.js';
import type { Level } from './model/levels.js';

/** One row of the meters panel: plain numbers, the UI formats them. */
export interface MeterRow {
  /** Stable id, e.g. 'bits/s', 'bits/s tcp', 'distinct-ports per source'. */
  name: string;
  unit: string;
  current: number;
  /** Learned normal band (for threshold meters: 0 .. threshold). */
  low: number;
  high: number;
  /** z-score, or a ratio to the threshold on the same scale (see levels.ts). */
  deviation: number;
  level: Level;
  /** True while the model for this meter is still learning (no alerts yet). */
  learning: boolean;
}

/** A top contributor to a metric. */
export interface Driver {
  label: string;
  value: number;
}

export interface Thresholds {
  /** Distinct destination ports per source in the scan window (no baseline). */
  scanPorts: number;
  /** Distinct internal / any destination hosts per source in the scan window (no baseline). */
  sweepInternalHosts: number;
  sweepHosts: number;
  /** Scan window, seconds (five buckets). */
  scanWindowSec: number;
  /** SYNs to one target in 10 s (no baseline) and the completed share under which it is a flood. */
  synFlood: number;
  synFloodCompleted: number;
  /** DNS: long/random-looking queries from one client under one domain in 60 s, and distinct names. */
  dnsSuspicious: number;
  dnsDistinctNames: number;
  /** Bytes from one internal host to one external host in 60 s that is always worth an alert once learned. */
  exfilFloorBytes: number;
  /** Multiple of the learned normal beyond which a population metric alerts. */
  learnedFactor: number;
  /** Beacons: minimum connections, minimum interval (s), maximum relative jitter (MAD / median). */
  beaconMinCount: number;
  beaconMinIntervalSec: number;
  beaconMaxJitter: number;
  /** Volume spike: hosts that must grow at once, growth factor, minimum bytes per host in 10 s. */
  spikeMinHosts: number;
  spikeFactor: number;
  spikeFloorBytes: number;
  /** Seconds a spike must last before it is reported (the subject is chosen then). */
  spikeHoldSec: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  scanPorts: 64,
  sweepInternalHosts: 48,
  sweepHosts: 1000,
  scanWindowSec: 300,
  synFlood: 1000,
  synFloodCompleted: 0.2,
  dnsSuspicious: 20,
  dnsDistinctNames: 20,
  exfilFloorBytes: 10_000_000,
  learnedFactor: 4,
  beaconMinCount: 8,
  beaconMinIntervalSec: 2,
  beaconMaxJitter: 0.1,
  spikeMinHosts: 5,
  spikeFactor: 4,
  spikeFloorBytes: 500_000,
  spikeHoldSec: 5,
};

export interface Limits {
  /** Per-source, per-target, per-pair and per-domain table capacities. */
  sources: number;
  targets: number;
  pairs: number;
  domains: number;
  hosts: number;
}

export const DEFAULT_LIMITS: Limits = { sources: 4096, targets: 1024, pairs: 8192, domains: 2048, hosts: 4096 };

/**
 * What the monitor works out once per packet for every detector. Detectors
 * read these fields instead of taking them as arguments: a number outside
 * the small-integer range (an address, a hash, a capture second) passed to a
 * function that is not inlined is boxed, that is allocated, per call.
 */
export class PacketFacts {
  /** Address keys (see addr-key.ts); -1 without IP. */
  src = DOUBLE;
  dst = DOUBLE;
  /** hash32(src), hash32(dst). */
  srcHash = DOUBLE;
  dstHash = DOUBLE;
  /** The destination halves of the exfil and beacon pair keys (set only before those detectors run). */
  exfilDstHash = DOUBLE;
  beaconDstHash = DOUBLE;
  /** Class bits (INTERNAL, EXTERNAL in addr-key.ts). */
  srcCls = 0;
  dstCls = 0;
  /** Capture second and time. */
  sec = DOUBLE;
  t = DOUBLE;

  constructor() {
    this.src = -1;
    this.dst = -1;
    this.srcHash = this.dstHash = this.exfilDstHash = this.beaconDstHash = 0;
    this.sec = this.t = 0;
  }
}

/**
 * The first value of fields that will hold numbers beyond the small-integer
 * range (addresses, hashes, times): a field first given a small integer and
 * later a larger number changes its object's hidden class, which throws the
 * per-packet code that read it back to the interpreter (and allocates) until
 * it is compiled again. Starting as a fraction makes it a double field at once.
 */
export const DOUBLE = 0.5;

/** Shared by all detectors of one monitor. */
export interface Ctx {
  readonly book: AddrBook;
  readonly home: HomeNet;
  readonly alerts: AlertManager;
  readonly th: Thresholds;
  readonly limits: Limits;
  /** The packet being handled (valid during onPacket). */
  readonly pk: PacketFacts;
  /** True while learning: models update, nothing alerts. */
  learning: boolean;
  /** True once learned models (from a file or a finished warm-up) may be used. */
  learned: boolean;
  /** True when any learning has gone into the models (file or online). */
  hasBaseline: boolean;
  isInternal(key: number): boolean;
  isExternal(key: number): boolean;
}

export function createCtx(
  book: AddrBook,
  home: HomeNet,
  alerts: AlertManager,
  th: Thresholds,
  limits: Limits,
  learning: boolean,
  fromFile: boolean,
): Ctx {
  return {
    book,
    home,
    alerts,
    th,
    limits,
    pk: new PacketFacts(),
    learning,
    learned: fromFile,
    hasBaseline: fromFile,
    isInternal: (k) => (book.classOf(k) & INTERNAL) !== 0,
    // Multicast and broadcast are neither inside nor outside.
    isExternal: (k) => (book.classOf(k) & EXTERNAL) !== 0,
  };
}

/** The ten largest positive values, largest first (ties by label, so the order does not depend on table layout). */
export function topDrivers(rows: Driver[]): Driver[] {
  return rows
    .filter((r) => r.value > 0)
    .sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .slice(0, 10);
}

/** A per-subject ("population") metric: learned from the largest value among subjects per window. */
export function popThreshold(builtin: number, learnedPeak: number, samples: number, ctx: Ctx, floor: number): number {
  if (!ctx.hasBaseline || samples === 0) return builtin;
  return Math.max(floor, Math.ceil(learnedPeak * ctx.th.learnedFactor));
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A sketch estimate: exact text below 100, else "about" two significant digits (968 -> "about 970"). */
export function fmtApprox(n: number): string {
  if (n < 100) return fmtInt(n);
  const p = 10 ** (Math.floor(Math.log10(n)) - 1);
  return `about ${fmtInt(Math.round(n / p) * p)}`;
}

export function fmtBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${Math.round(n)} B`;
}
