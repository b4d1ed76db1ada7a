import type { PacketFields } from '../packet-log.js';
import { BoundedTable } from '../model/bounded-table.js';
import { Ewma, type EwmaState } from '../model/ewma.js';
import { WindowedSumRows } from '../model/window-sum.js';
import { levelOf } from '../model/levels.js';
import { INTERNAL, v6Key } from '../addr-key.js';
import { parseV4, parseV6 } from '../home-net.js';
import { fmtBytes, fmtInt, type Ctx, type Driver, type MeterRow } from '../context.js';

const WINDOW = 10;
/** Windows a host needs in its own model before its growth counts. */
const MIN_SAMPLES = 6;
/** A spike that stops for longer than this is a new episode (with a new subject). */
const EPISODE_GAP_SEC = 120;

/** Ewma row layout: n, mean, var, peak (the arithmetic of Ewma, alpha 0.02). */
const ALPHA = 0.02;
const M = 4;
/** Numbers per table slot in `meta`: score, last seen, bytes this second, 1 while the slot's rows still hold an evicted host's (see settle()). */
const S = 4;

/** A spike subject removed from the table keeps what it showed then (an object kept by reference would). */
interface Detached {
  key: number;
  bytes: number;
  mean: number;
}

/**
 * Volume spikes: many internal hosts whose bytes in the last 10 s jump far
 * above their own learned level at the same time. The subject is the host
 * that grew the most since the spike began, chosen once the spike has held
 * for spikeHoldSec and kept for the episode. Waits for learning.
 *
 * Per-host state lives in rows of typed arrays indexed like the table (a
 * 10 s byte window and the host's own Ewma), not in objects: with more
 * internal hosts than the table holds, a host is evicted and another reset
 * on about every third packet, and rows keep that to a few cache lines.
 */
export class VolumeSpikeDetector {
  readonly hosts: BoundedTable<null>;
  private readonly bytes: WindowedSumRows;
  private readonly model: Float64Array;
  private lastSampleSec = -1;
  private spiking = 0;
  private tracked = 0;
  /** The current spike episode: when it began, what hosts moved then, and the subject once chosen. */
  private episodeStart = -1;
  private lastSpikeSec = -1;
  private readonly atStart = new Map<number, number>();
  /** The subject's row, -1 for none, -2 when it left the table (see `detached`). */
  private subject = -1;
  private detached: Detached | null = null;

  constructor(private readonly ctx: Ctx) {
    const cap = ctx.limits.hosts;
    // Two extra numbers per slot: the bytes of the current second, folded into the window by tick(), and the pending-reset mark.
    this.hosts = new BoundedTable<null>(cap, () => null, (_, i) => (this.hosts.meta[S * i + 3] = 1), 600, 2);
    this.bytes = new WindowedSumRows(this.hosts.slots, WINDOW, 1);
    this.model = new Float64Array(this.hosts.slots * M);
    this.hosts.onRemove = (i) => {
      if (this.subject !== i) return;
      this.settle(i);
      this.detached = { key: this.hosts.keys[i]!, bytes: this.bytes.sum(i), mean: this.model[i * M + 1]! };
      this.subject = -2;
    };
    this.hosts.onMove = (from, to) => {
      this.bytes.move(from, to);
      this.model.copyWithin(to * M, from * M, from * M + M);
      if (this.subject === from) this.subject = to;
    };
  }

  /**
   * Clear slot i's rows if a new host took the slot since they were last
   * used. The table churns (a host evicted on about every third packet), so
   * the reset is left to the next reader instead of touching two more cache
   * lines per eviction; every reader of `bytes` and `model` settles first.
   */
  private settle(i: number): void {
    const meta = this.hosts.meta;
    if (meta[S * i + 3] === 0) return;
    meta[S * i + 3] = 0;
    this.resetRow(i);
  }

  private settleAll(): void {
    for (let i = 0; i < this.hosts.slots; i++) if (this.hosts.has(i)) this.settle(i);
  }

  private resetRow(i: number): void {
    this.bytes.clear(i);
    const m = this.model;
    m[i * M] = 0;
    m[i * M + 1] = 0;
    m[i * M + 2] = 0;
    m[i * M + 3] = 0;
  }

  /** Count the packet's bytes for its source and destination, when internal. */
  onPacket(p: PacketFields): void {
    const pk = this.ctx.pk;
    const q = this.hosts.q;
    if (pk.src >= 0 && (pk.srcCls & INTERNAL) !== 0) {
      q[0] = pk.src;
      q[1] = pk.sec;
      this.countQ(p.origLen);
    }
    if (pk.dst !== pk.src && pk.dst >= 0 && (pk.dstCls & INTERNAL) !== 0) {
      q[0] = pk.dst;
      q[1] = pk.sec;
      this.countQ(p.origLen);
    }
  }

  /**
   * Count bytes for the internal host hosts.q[0] at second hosts.q[1]: into
   * the slot's accumulator for this second (tick() folds it into the window).
   * The score is packets on top of the host's learned mean (raised to it
   * when the model changes), so hosts with a model outlast passing ones.
   */
  private countQ(bytes: number): void {
    const t = this.hosts;
    const m = t.upsertQ() * S;
    const meta = t.meta;
    meta[m + 1] = t.q[1]!;
    meta[m]!++;
    meta[m + 2]! += bytes;
  }

  private mean(i: number): number {
    return this.model[i * M + 1]!;
  }

  private sd(i: number): number {
    return Math.sqrt(Math.max(0, this.model[i * M + 2]!));
  }

  /** Ewma.add on row i. */
  private modelAdd(i: number, x: number): void {
    const m = this.model;
    const o = i * M;
    const n = m[o]! + 1;
    m[o] = n;
    const a = Math.max(ALPHA, 1 / n);
    const d = x - m[o + 1]!;
    m[o + 1]! += a * d;
    m[o + 2] = (1 - a) * (m[o + 2]! + a * d * d);
    if (x > m[o + 3]! || n === 1) m[o + 3] = x;
    this.raiseScore(i);
  }

  private raiseScore(i: number): void {
    const meta = this.hosts.meta;
    meta[S * i] = Math.max(meta[S * i]!, this.model[i * M + 1]!);
  }

  private limit(i: number): number {
    return Math.max(this.ctx.th.spikeFloorBytes, this.ctx.th.spikeFactor * (this.mean(i) + 2 * this.sd(i)));
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const sample = this.lastSampleSec < 0 || sec - this.lastSampleSec >= WINDOW;
    if (sample) this.lastSampleSec = sec;
    let spiking = 0;
    let tracked = 0;
    const warm = ctx.learning || !ctx.learned;
    const w = this.bytes;
    const t = this.hosts;
    const meta = t.meta;
    for (let i = 0; i < t.slots; i++) {
      if (!t.has(i)) continue;
      this.settle(i);
      w.advanceRow(i, sec);
      const acc = meta[S * i + 2]!;
      if (acc !== 0) {
        w.add(i, acc);
        meta[S * i + 2] = 0;
      }
      const x = w.sum(i);
      const ready = this.model[i * M]! >= MIN_SAMPLES;
      const spike = ready && x >= this.limit(i);
      if (ready) tracked++;
      if (spike) spiking++;
      if (sample && (warm || !spike)) this.modelAdd(i, x);
    }
    this.spiking = spiking;
    this.tracked = tracked;
    const need = Math.max(ctx.th.spikeMinHosts, Math.ceil(tracked * 0.1));
    if (warm || spiking < need) return;
    if (this.episodeStart < 0 || sec - this.lastSpikeSec > EPISODE_GAP_SEC) this.startEpisode(sec);
    this.lastSpikeSec = sec;
    if (sec - this.episodeStart < ctx.th.spikeHoldSec) return;
    if (this.subject === -1) this.subject = this.pickSubject();
    const s = this.subject;
    if (s === -1) return;
    const key = s >= 0 ? this.hosts.keys[s]! : this.detached!.key;
    const moved = s >= 0 ? w.sum(s) : this.detached!.bytes;
    const normal = s >= 0 ? this.mean(s) : this.detached!.mean;
    const b = ctx.book;
    const msg =
      `${fmtInt(spiking)} hosts sent or received far more than usual in the last 10 s at the same time; ` +
      `the one that grew most, ${b.name(key)}, moved ${fmtBytes(moved)} where ${fmtBytes(Math.max(1, normal))} is normal for it`;
    const level = spiking >= 2 * need ? 'critical' : 'high';
    ctx.alerts.report('volume-spike', b.name(key), sec, spiking, need, level, msg);
  }

  /** Remember what every host was moving when the spike began, to measure growth from there. */
  private startEpisode(sec: number): void {
    this.episodeStart = sec;
    this.subject = -1;
    this.detached = null;
    this.atStart.clear();
    const t = this.hosts;
    for (let i = 0; i < t.slots; i++) if (t.has(i)) this.atStart.set(t.keys[i]!, this.bytes.sum(i));
  }

  /**
   * The host whose 10 s volume grew most since the spike began (or above its
   * normal): the busiest contributor, even if its own limit is higher than
   * what it moved (a host that often downloads a lot has a high limit).
   */
  private pickSubject(): number {
    let best = -1;
    let bestGrowth = -Infinity;
    for (let i = 0; i < this.hosts.slots; i++) {
      if (!this.hosts.has(i) || this.model[i * M]! < MIN_SAMPLES) continue;
      const growth = this.bytes.sum(i) - Math.max(this.mean(i), this.atStart.get(this.hosts.keys[i]!) ?? 0);
      if (growth > bestGrowth) {
        bestGrowth = growth;
        best = i;
      }
    }
    return best;
  }

  meters(): MeterRow[] {
    const learning = this.ctx.learning || !this.ctx.learned;
    const need = Math.max(this.ctx.th.spikeMinHosts, Math.ceil(this.tracked * 0.1));
    const dev = this.spiking >= need ? 5 + this.spiking - need : (this.spiking / need) * 3;
    return [{ name: 'hosts far above their usual volume', unit: 'hosts', current: this.spiking, low: 0, high: need, deviation: dev, level: learning ? 'normal' : levelOf(dev), learning }];
  }

  drivers(metric: string): Driver[] | null {
    if (metric !== 'hosts far above their usual volume' && metric !== 'bits/s' && metric !== 'packets/s') return null;
    const b = this.ctx.book;
    this.settleAll();
    return this.hosts
      .indexes()
      .map((i) => ({ label: b.name(this.hosts.keys[i]!), value: this.bytes.sum(i) }))
      .filter((r) => r.value > 0)
      .sort((x, y) => y.value - x.value)
      .slice(0, 10);
  }

  save(): Record<string, unknown> {
    this.settleAll();
    const rows = this.hosts
      .indexes()
      .filter((i) => this.model[i * M]! >= MIN_SAMPLES)
      .sort((x, y) => this.mean(y) - this.mean(x))
      .slice(0, 512);
    const out: Record<string, EwmaState> = {};
    for (const i of rows) {
      const m = this.model;
      const e = new Ewma(ALPHA);
      e.n = m[i * M]!;
      e.mean = m[i * M + 1]!;
      e.var = m[i * M + 2]!;
      e.peak = m[i * M + 3]!;
      out[this.ctx.book.name(this.hosts.keys[i]!)] = e.toJSON();
    }
    return { bytesPer10sPerHost: out };
  }

  load(s: Record<string, unknown> | undefined): void {
    const m = s?.bytesPer10sPerHost;
    if (!m || typeof m !== 'object') return;
    for (const [addr, st] of Object.entries(m as Record<string, EwmaState>)) {
      const key = hostKey(addr);
      if (key < 0) continue;
      const i = this.hosts.upsert(key, 0);
      this.settle(i);
      const e = new Ewma(ALPHA).load(st);
      this.model[i * M] = e.n;
      this.model[i * M + 1] = e.mean;
      this.model[i * M + 2] = e.var;
      this.model[i * M + 3] = e.peak;
      this.raiseScore(i);
    }
  }
}

function hostKey(text: string): number {
  if (text.includes(':')) {
    const w = parseV6(text);
    return w ? v6Key(w[0]!, w[1]!, w[2]!, w[3]!) : -1;
  }
  return parseV4(text);
}
