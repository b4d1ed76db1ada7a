import type { DecodedPacket } from '../decode/packet.js';
import type { EngineObserver } from '../engine/engine.js';
import { AddrBook } from './addr-key.js';
import { AlertManager, DEFAULT_TIMING, toReportAlert, type AlertRecord, type AlertTiming, type ReportAlert } from './alerts.js';
import type { BaselineFileV1 } from './baseline-file.js';
import { DEFAULT_LIMITS, DEFAULT_THRESHOLDS, DOUBLE, createCtx, type Ctx, type Driver, type MeterRow } from './context.js';
import { BeaconDetector } from './detectors/beacon.js';
import { DnsTunnelDetector } from './detectors/dns-tunnel.js';
import { ExfilDetector } from './detectors/exfil.js';
import { R, RateMeters } from './detectors/rate-meters.js';
import { ScanDetector } from './detectors/scan.js';
import { SynFloodDetector } from './detectors/syn-flood.js';
import { VolumeSpikeDetector } from './detectors/volume-spike.js';
import { DEFAULT_HOME_NET, HomeNet } from './home-net.js';
import { levelRank } from './model/levels.js';
import { hash32 } from './model/distinct.js';
import { PacketLog } from './packet-log.js';
import { dispatchPacket } from './dispatch.js';
import { KIND_METER } from './detectors/kind-meter.js';
import type { MonitorOptions, MonitorStatus, MonitorView } from './monitor-options.js';

export type { MonitorOptions, MonitorStatus, MonitorView } from './monitor-options.js';

/** Gaps in capture time longer than this are not ticked second by second. */
const MAX_GAP_TICKS = 600;

/**
 * Baselines and deviation meters: an engine observer (`onPacket`, `onTick`)
 * that keeps bounded per-source, per-target, per-pair and network-wide models
 * and raises alerts. Time is capture time: a second is closed when the first
 * packet of a later second arrives (or on `finish()`).
 */
export class BaselineMonitor implements EngineObserver {
  readonly ctx: Ctx;
  readonly alertManager: AlertManager;
  readonly rates: RateMeters;
  readonly scan: ScanDetector;
  readonly synFlood: SynFloodDetector;
  readonly dns: DnsTunnelDetector;
  readonly exfil: ExfilDetector;
  readonly beacon: BeaconDetector;
  readonly volume: VolumeSpikeDetector;
  private readonly home: HomeNet;
  private readonly mode: 'detect' | 'learn';
  private readonly learnSec: number;
  private readonly warmupSec: number;
  private readonly learnedFrom: 'file' | null;
  private readonly followClock: boolean;
  private readonly baselineSource: string;
  private startSec = -1;
  private curSec = -1;
  packets = 0;
  private firstTime = DOUBLE;
  private lastTime = DOUBLE;
  /** Packets the table detectors have not seen yet. */
  private readonly log = new PacketLog();

  constructor(opts: MonitorOptions = {}) {
    const homeSpec = opts.homeNet ?? (opts.baseline?.homeNet || DEFAULT_HOME_NET);
    this.home = new HomeNet(homeSpec);
    this.mode = opts.mode ?? 'detect';
    this.learnSec = opts.learnSec ?? 0;
    this.warmupSec = opts.warmupSec ?? 900;
    this.followClock = opts.followClock ?? true;
    this.learnedFrom = opts.baseline && this.mode === 'detect' ? 'file' : null;
    this.baselineSource = opts.baseline ? `${opts.baseline.source || 'a file'} (${opts.baseline.spanSeconds} s)` : '';
    const timing: AlertTiming = {
      clearSec: opts.timing?.clearSec ?? DEFAULT_TIMING.clearSec,
      holdSec: { ...DEFAULT_TIMING.holdSec, ...opts.timing?.holdSec },
    };
    this.alertManager = new AlertManager(timing, [...(opts.sinks ?? [])]);
    const learning = this.mode === 'learn' || this.learnSec > 0;
    const fromFile = this.learnedFrom === 'file';
    this.ctx = createCtx(new AddrBook(this.home), this.home, this.alertManager, { ...DEFAULT_THRESHOLDS, ...opts.thresholds }, { ...DEFAULT_LIMITS, ...opts.limits }, learning, fromFile);
    this.rates = new RateMeters(this.ctx);
    this.scan = new ScanDetector(this.ctx);
    this.synFlood = new SynFloodDetector(this.ctx);
    this.dns = new DnsTunnelDetector(this.ctx);
    this.exfil = new ExfilDetector(this.ctx);
    this.beacon = new BeaconDetector(this.ctx);
    this.volume = new VolumeSpikeDetector(this.ctx);
    this.firstTime = this.lastTime = -1;
    if (opts.baseline) this.load(opts.baseline);
  }

  private load(b: BaselineFileV1): void {
    this.rates.load(b.rates);
    this.rates.setHourly(b.hourly);
    this.scan.load(b.scan as Record<string, unknown>);
    this.synFlood.load(b.synFlood as Record<string, unknown>);
    this.dns.load(b.dns as Record<string, unknown>);
    this.exfil.load(b.exfil as Record<string, unknown>);
    this.beacon.load(b.beacon as Record<string, unknown>);
    this.volume.load(b.volume as Record<string, unknown>);
  }

  /**
   * Engine observer hook. `flowSlot` is not needed (the monitor keeps its own
   * bounded state). Allocates nothing: the per-packet facts go into
   * `ctx.pk` once; rates and DNS (which reads the payload) see the packet
   * now, the table detectors when the log is replayed (see PacketLog).
   */
  onPacket(p: DecodedPacket, _flowSlot?: number): void {
    const sec = p.tsSec;
    if (sec !== this.curSec) this.advanceTo(sec);
    this.packets++;
    const t = sec + p.tsNsec / 1e9;
    if (this.firstTime < 0) this.firstTime = t;
    this.lastTime = t;
    const book = this.ctx.book;
    book.resolve(p);
    const pk = this.ctx.pk;
    const src = book.cur[0]!;
    const dst = book.cur[1]!;
    pk.src = src;
    pk.dst = dst;
    pk.srcCls = book.curCls[0]!;
    pk.dstCls = book.curCls[1]!;
    pk.sec = sec;
    pk.t = t;
    if (src >= 0) {
      pk.srcHash = hash32(src);
      pk.dstHash = hash32(dst);
    }
    this.rates.onPacket(p);
    if (src < 0) return;
    if (p.ipProto === 17 && p.dstPort === 53) this.dns.onPacket(p);
    const log = this.log;
    log.append(p, pk);
    if (log.full) this.replay();
  }

  /** Run the logged packets through the table detectors, in order. */
  private replay(): void {
    const log = this.log;
    const pk = this.ctx.pk;
    for (let k = 0; k < log.length; k++) {
      log.load(k, pk);
      dispatchPacket(this, pk, log.view);
    }
    log.length = 0;
  }

  /** Engine per-tick hook: on live captures, close the seconds that had no packets. */
  onTick(nowSec: number): void {
    if (this.followClock && this.curSec >= 0) this.advanceTo(Math.floor(nowSec));
  }

  /** Close the last (partial) second: call at the end of a file. */
  finish(): void {
    this.replay();
    if (this.curSec < 0) return;
    this.tickOnce(this.curSec);
    this.curSec++;
  }

  private advanceTo(sec: number): void {
    if (this.curSec < 0) {
      this.curSec = this.startSec = sec;
      return;
    }
    // A capture whose clock went back by more than an hour (a bad timestamp, a
    // clock reset) would otherwise never tick again: start counting from here.
    if (sec < this.curSec - 3600) this.curSec = sec;
    if (sec <= this.curSec) return;
    this.replay();
    let n = 0;
    while (this.curSec < sec) {
      this.tickOnce(this.curSec);
      this.curSec++;
      if (++n >= MAX_GAP_TICKS && this.curSec < sec) this.curSec = sec;
    }
  }

  private tickOnce(s: number): void {
    const ctx = this.ctx;
    this.rates.addCount(R.HalfOpen, Math.max(0, this.synFlood.synsThisSec - this.synFlood.completedThisSec));
    this.rates.addCount(R.DnsQueries, this.dns.queriesThisSec);
    this.scan.tick(s);
    this.synFlood.tick(s);
    this.dns.tick(s);
    this.exfil.tick(s);
    this.beacon.tick(s);
    this.volume.tick(s);
    this.rates.tick(s);
    this.alertManager.endTick(s);
    const elapsed = s + 1 - this.startSec;
    if (ctx.learning && this.mode === 'detect' && this.learnSec > 0 && elapsed >= this.learnSec) {
      ctx.learning = false;
      ctx.learned = true;
      ctx.hasBaseline = true;
      this.rates.setHourly(elapsed >= 3 * 3600);
    } else if (!ctx.learning && !ctx.learned && elapsed >= this.warmupSec) {
      ctx.learned = true;
    }
  }

  meters(): MeterRow[] {
    this.replay();
    const rows = [
      ...this.rates.meters(),
      ...this.scan.meters(),
      ...this.synFlood.meters(),
      ...this.dns.meters(),
      ...this.exfil.meters(),
      ...this.volume.meters(),
      ...this.beacon.meters(),
    ];
    return rows.sort((a, b) => levelRank(b.level) - levelRank(a.level) || b.deviation - a.deviation);
  }

  /** Top contributors (hosts, pairs, domains) to a meter, by meter name or alert kind; [] when unknown. */
  drivers(metric: string): Driver[] {
    this.replay();
    metric = KIND_METER[metric] ?? metric;
    for (const d of [this.scan, this.synFlood, this.dns, this.exfil, this.beacon, this.volume]) {
      const r = d.drivers(metric);
      if (r) return r;
    }
    if (metric.startsWith('bits/s') || metric === 'new flows/s') return this.volume.drivers('bits/s') ?? [];
    return [];
  }

  alerts(): AlertRecord[] {
    return this.alertManager.list();
  }

  /** Meters, alerts, status and the raise count, for one dashboard snapshot. */
  view(): MonitorView {
    return { meters: this.meters(), alerts: this.alerts(), status: this.status(), raised: this.alertManager.raised };
  }

  /** Alerts as ReportV1 `alerts` entries. */
  reportAlerts(): ReportAlert[] {
    return this.alerts().map(toReportAlert);
  }

  status(): MonitorStatus {
    const ctx = this.ctx;
    const elapsed = this.curSec < 0 ? 0 : this.curSec - this.startSec;
    let left = 0;
    if (ctx.learning) left = this.learnSec > 0 && this.mode === 'detect' ? Math.max(0, this.learnSec - elapsed) : Infinity;
    else if (!ctx.learned) left = Math.max(0, this.warmupSec - elapsed);
    const learnedFrom = this.learnedFrom ?? (ctx.learned ? 'online' : null);
    let note = '';
    if (ctx.learning) note = 'learning the baseline: no alerts';
    else if (this.learnedFrom === 'file') note = `baseline learned from ${this.baselineSource}`;
    else if (!ctx.learned)
      note = `no baseline: scans, sweeps, SYN floods and DNS tunnels use built-in limits; exfiltration, beacons, volume spikes and rate deviations start after learning (${Math.ceil(left)} s left)`;
    return { learning: ctx.learning, learned: ctx.learned, learnedFrom, learningLeftSec: left, note };
  }

  /** Sizes and drop counters of the bounded structures (for tests and a status line). */
  stats(): Record<string, { size: number; capacity: number; evicted: number }> {
    this.replay();
    const t = (x: { size: number; capacity: number; evicted: number }) => ({ size: x.size, capacity: x.capacity, evicted: x.evicted });
    return {
      scanSources: t(this.scan.table),
      synTargets: t(this.synFlood.table),
      dnsClients: t(this.dns.clients),
      dnsDomains: t(this.dns.domains),
      dnsPairs: t(this.dns.pairs),
      exfilPairs: t(this.exfil.pairs),
      beaconPairs: t(this.beacon.pairs),
      volumeHosts: t(this.volume.hosts),
      alerts: { size: this.alertManager.list().length, capacity: 5000, evicted: this.alertManager.dropped },
      ipv6Names: { size: this.ctx.book.size, capacity: 16384, evicted: 0 },
      // First probes of untracked sources land in a fixed array; `evicted` counts them.
      scanDoorkeeper: { size: 0, capacity: 0, evicted: this.scan.doorRejected },
    };
  }

  /** The learned models as a version 1 baseline file. */
  toBaseline(source: string): BaselineFileV1 {
    this.replay();
    const span = this.firstTime < 0 ? 0 : this.lastTime - this.firstTime;
    const iso = (t: number) => (t < 0 ? null : new Date(Math.round(t * 1000)).toISOString());
    return {
      version: 1,
      tool: 'wiretop',
      createdAt: new Date().toISOString(),
      source,
      firstPacket: iso(this.firstTime),
      lastPacket: iso(this.lastTime),
      spanSeconds: Math.round(span),
      packets: this.packets,
      homeNet: this.home.spec,
      hourly: span >= 3 * 3600,
      rates: this.rates.save(),
      scan: this.scan.save(),
      synFlood: this.synFlood.save(),
      dns: this.dns.save(),
      exfil: this.exfil.save(),
      beacon: this.beacon.save(),
      volume: this.volume.save(),
    };
  }
}
