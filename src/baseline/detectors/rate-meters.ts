import { L3, type DecodedPacket } from '../../decode/packet.js';
import { RateModel, type RateModelState } from '../model/rate-model.js';
import { levelOf, type Level } from '../model/levels.js';
import { hash32 } from '../model/distinct.js';
import { fmtInt, type Ctx, type MeterRow } from '../context.js';

/** Averaging window of a meter's current value, seconds; also the learning sample period. */
const WINDOW = 10;
/** Samples (of WINDOW s) a meter needs before it may alert. */
export const MIN_RATE_SAMPLES = 30;
/** How far above the learned peak a rate must be before it can be high. */
const PEAK_MARGIN = 1.5;

export const enum R {
  Bits = 0,
  Packets,
  BitsTcp,
  BitsUdp,
  BitsIcmp,
  BitsOther,
  NewFlows,
  Icmp,
  Unreach,
  HalfOpen,
  DnsQueries,
  Count,
}

interface MeterDef {
  name: string;
  unit: string;
  /** Absolute floor on the standard deviation (so a quiet metric needs a real change). */
  absFloor: number;
}

export const RATE_METERS: readonly MeterDef[] = [
  { name: 'bits/s', unit: 'bit/s', absFloor: 200_000 },
  { name: 'packets/s', unit: 'pkt/s', absFloor: 50 },
  { name: 'bits/s tcp', unit: 'bit/s', absFloor: 200_000 },
  { name: 'bits/s udp', unit: 'bit/s', absFloor: 100_000 },
  { name: 'bits/s icmp', unit: 'bit/s', absFloor: 20_000 },
  { name: 'bits/s other', unit: 'bit/s', absFloor: 50_000 },
  { name: 'new flows/s', unit: 'flow/s', absFloor: 3 },
  { name: 'ICMP packets/s', unit: 'pkt/s', absFloor: 3 },
  { name: 'ICMP unreachables/s', unit: 'pkt/s', absFloor: 2 },
  { name: 'half-open SYNs/s', unit: 'pkt/s', absFloor: 3 },
  { name: 'DNS queries/s', unit: 'query/s', absFloor: 3 },
];

const UDP_SLOTS = 1 << 16;
const UDP_IDLE = 60;

/**
 * Network-wide rates averaged over 10 s, each with a learned band (EWMA mean
 * and variance, per hour of day when the learning capture spanned hours).
 * A rate that stays high for long enough raises a 'deviation' alert, unless a
 * specific alert (scan, flood, ...) already explains it.
 */
export class RateMeters {
  readonly models: RateModel[];
  /** Per-second counts, WINDOW seconds per meter. */
  private readonly ring = new Float64Array(R.Count * WINDOW);
  private readonly acc = new Float64Array(R.Count);
  private readonly current = new Float64Array(R.Count);
  private pos = 0;
  private lastSampleSec = -1;
  private filled = 0;
  /** Recent UDP flows: a tag (the flow's hash, signed as computed) and the time last seen per slot, side by side so a probe reads one cache line. */
  private readonly udp = new Float64Array(2 * UDP_SLOTS);
  hour = 0;

  constructor(private readonly ctx: Ctx, alpha = 0.01) {
    this.models = RATE_METERS.map((m) => new RateModel(alpha, 0.5, m.absFloor));
  }

  onPacket(p: DecodedPacket): void {
    const bits = p.origLen * 8;
    const a = this.acc;
    a[R.Bits]! += bits;
    a[R.Packets]!++;
    const proto = p.ipProto;
    if (p.l3 !== L3.IPv4 && p.l3 !== L3.IPv6) a[R.BitsOther]! += bits;
    else if (proto === 6) {
      a[R.BitsTcp]! += bits;
      if ((p.tcpFlags & 0x12) === 0x02) a[R.NewFlows]!++;
    } else if (proto === 17) {
      a[R.BitsUdp]! += bits;
      const pk = this.ctx.pk;
      const t = pk.t;
      const h = hash32(pk.srcHash ^ Math.imul(pk.dstHash, 31) ^ ((p.srcPort << 16) | (p.dstPort & 0xffff))) | 1;
      const h2 = hash32(pk.dstHash ^ Math.imul(pk.srcHash, 31) ^ ((p.dstPort << 16) | (p.srcPort & 0xffff))) | 1;
      const u = this.udp;
      const s = 2 * (h & (UDP_SLOTS - 1));
      const s2 = 2 * (h2 & (UDP_SLOTS - 1));
      const known = (u[s] === h && t - u[s + 1]! < UDP_IDLE) || (u[s2] === h2 && t - u[s2 + 1]! < UDP_IDLE);
      if (!known) a[R.NewFlows]!++;
      u[s] = h;
      u[s + 1] = t;
    } else if (proto === 1 || proto === 58) {
      a[R.BitsIcmp]! += bits;
      a[R.Icmp]!++;
      if (p.icmpType === (proto === 1 ? 3 : 1)) a[R.Unreach]!++;
    } else a[R.BitsOther]! += bits;
  }

  /** Counts another detector measured this second. */
  addCount(r: R, n: number): void {
    this.acc[r]! += n;
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    for (let m = 0; m < R.Count; m++) this.ring[m * WINDOW + this.pos] = this.acc[m]!;
    this.acc.fill(0);
    this.pos = (this.pos + 1) % WINDOW;
    if (this.filled < WINDOW) this.filled++;
    for (let m = 0; m < R.Count; m++) {
      let s = 0;
      for (let i = 0; i < WINDOW; i++) s += this.ring[m * WINDOW + i]!;
      this.current[m] = s / this.filled;
    }
    this.hour = Math.floor(sec / 3600) % 24;
    if (this.lastSampleSec < 0) this.lastSampleSec = sec;
    const sample = sec - this.lastSampleSec >= WINDOW && this.filled >= WINDOW;
    if (sample) this.lastSampleSec = sec;
    const warm = ctx.learning || !ctx.learned;
    const explained = ctx.alerts.anyActive(['port-scan', 'host-sweep', 'syn-flood', 'dns-tunnel', 'exfil', 'volume-spike']);
    for (let m = 0; m < R.Count; m++) {
      const model = this.models[m]!;
      const x = this.current[m]!;
      const ready = model.samples >= MIN_RATE_SAMPLES;
      const level = ready ? this.level(model, x) : 'normal';
      // Adapt slowly after learning, but never to an anomaly.
      if (sample && (warm || level === 'normal' || level === 'elevated')) model.add(x, this.hour);
      if (warm || !ready || explained || (level !== 'high' && level !== 'critical')) continue;
      const def = RATE_METERS[m]!;
      const band = model.band(this.hour);
      const msg =
        `${def.name} is ${fmtInt(x)} ${def.unit} over the last ${WINDOW} s; normal for this network is ${fmtInt(band.low)} to ${fmtInt(band.high)}` +
        ` (at most ${fmtInt(band.peak)} while learning)`;
      ctx.alerts.report('deviation', def.name, sec, Math.round(x), Math.round(band.mean), level, msg);
    }
  }

  /**
   * Traffic is heavy-tailed: one big download can triple a small network's
   * rate for a minute. A rate is high or critical only when it is both far
   * outside the band and well above anything seen while learning.
   */
  private level(model: RateModel, x: number): Level {
    const level = levelOf(model.deviation(x, this.hour));
    if ((level === 'high' || level === 'critical') && x <= PEAK_MARGIN * model.band(this.hour).peak) return 'elevated';
    return level;
  }

  meters(): MeterRow[] {
    const learning = this.ctx.learning || !this.ctx.learned;
    return RATE_METERS.map((def, m) => {
      const model = this.models[m]!;
      const ready = model.samples >= MIN_RATE_SAMPLES;
      const x = this.current[m]!;
      const band = model.band(this.hour);
      const dev = ready ? model.deviation(x, this.hour) : 0;
      return {
        name: def.name,
        unit: def.unit,
        current: x,
        low: band.low,
        high: band.high,
        deviation: dev,
        level: learning || !ready ? 'normal' : this.level(model, x),
        learning: learning || !ready,
      };
    });
  }

  setHourly(on: boolean): void {
    for (const m of this.models) m.useHours = on;
  }

  save(): Record<string, RateModelState> {
    const out: Record<string, RateModelState> = {};
    RATE_METERS.forEach((def, m) => (out[def.name] = this.models[m]!.toJSON()));
    return out;
  }

  load(s: Record<string, RateModelState> | undefined): void {
    if (!s) return;
    RATE_METERS.forEach((def, m) => this.models[m]!.load(s[def.name]));
  }
}
