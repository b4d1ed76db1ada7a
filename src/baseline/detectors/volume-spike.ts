import { BoundedTable, type TableEntry } from '../model/bounded-table.js';
import { Ewma, type EwmaState } from '../model/ewma.js';
import { WindowedSum } from '../model/distinct.js';
import { levelOf } from '../model/levels.js';
import { v6Key } from '../addr-key.js';
import { parseV4, parseV6 } from '../home-net.js';
import { fmtBytes, fmtInt, type Ctx, type Driver, type MeterRow } from '../context.js';

const WINDOW = 10;
/** Windows a host needs in its own model before its growth counts. */
const MIN_SAMPLES = 6;
/** A spike that stops for longer than this is a new episode (with a new subject). */
const EPISODE_GAP_SEC = 120;

class HostEntry implements TableEntry {
  key = 0;
  score = 0;
  lastSec = 0;
  readonly bytes = new WindowedSum(WINDOW, 1);
  readonly model = new Ewma(0.02);
  spiking = false;
}

function resetHost(e: HostEntry, key: number): void {
  e.key = key;
  e.score = 0;
  e.bytes.clear();
  e.spiking = false;
  e.model.n = 0;
  e.model.mean = 0;
  e.model.var = 0;
  e.model.peak = 0;
}

/**
 * Volume spikes: many internal hosts whose bytes in the last 10 s jump far
 * above their own learned level at the same time. The subject is the host
 * that grew the most since the spike began, chosen once the spike has held
 * for spikeHoldSec and kept for the episode. Waits for learning.
 */
export class VolumeSpikeDetector {
  readonly hosts: BoundedTable<HostEntry>;
  private lastSampleSec = -1;
  private spiking = 0;
  private tracked = 0;
  /** The current spike episode: when it began, what hosts moved then, and the subject once chosen. */
  private episodeStart = -1;
  private lastSpikeSec = -1;
  private readonly atStart = new Map<number, number>();
  private subject: HostEntry | null = null;

  constructor(private readonly ctx: Ctx) {
    this.hosts = new BoundedTable(ctx.limits.hosts, () => new HostEntry(), resetHost, 600);
  }

  /** Count bytes for an internal host (called for the source and the destination). */
  add(host: number, bytes: number, sec: number): void {
    if (host < 0 || !this.ctx.isInternal(host)) return;
    const e = this.hosts.upsert(host, sec);
    e.lastSec = sec;
    e.score = Math.max(e.score, e.model.mean) + 1;
    e.bytes.advance(sec);
    e.bytes.add(bytes);
  }

  private limit(e: HostEntry): number {
    return Math.max(this.ctx.th.spikeFloorBytes, this.ctx.th.spikeFactor * (e.model.mean + 2 * e.model.sd));
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const sample = this.lastSampleSec < 0 || sec - this.lastSampleSec >= WINDOW;
    if (sample) this.lastSampleSec = sec;
    let spiking = 0;
    let tracked = 0;
    const warm = ctx.learning || !ctx.learned;
    this.hosts.forEach((e) => {
      e.bytes.advance(sec);
      const x = e.bytes.sum();
      const ready = e.model.n >= MIN_SAMPLES;
      const spike = ready && x >= this.limit(e);
      e.spiking = spike;
      if (ready) tracked++;
      if (spike) spiking++;
      if (sample && (warm || !spike)) e.model.add(x);
    });
    this.spiking = spiking;
    this.tracked = tracked;
    const need = Math.max(ctx.th.spikeMinHosts, Math.ceil(tracked * 0.1));
    if (warm || spiking < need) return;
    if (this.episodeStart < 0 || sec - this.lastSpikeSec > EPISODE_GAP_SEC) this.startEpisode(sec);
    this.lastSpikeSec = sec;
    if (sec - this.episodeStart < ctx.th.spikeHoldSec) return;
    if (this.subject === null) this.subject = this.pickSubject();
    const t = this.subject;
    if (t === null) return;
    const b = ctx.book;
    const msg =
      `${fmtInt(spiking)} hosts sent or received far more than usual in the last 10 s at the same time; ` +
      `the one that grew most, ${b.name(t.key)}, moved ${fmtBytes(t.bytes.sum())} where ${fmtBytes(Math.max(1, t.model.mean))} is normal for it`;
    const level = spiking >= 2 * need ? 'critical' : 'high';
    ctx.alerts.report('volume-spike', b.name(t.key), sec, spiking, need, level, msg);
  }

  /** Remember what every host was moving when the spike began, to measure growth from there. */
  private startEpisode(sec: number): void {
    this.episodeStart = sec;
    this.subject = null;
    this.atStart.clear();
    this.hosts.forEach((e) => this.atStart.set(e.key, e.bytes.sum()));
  }

  /**
   * The host whose 10 s volume grew most since the spike began (or above its
   * normal): the busiest contributor, even if its own limit is higher than
   * what it moved (a host that often downloads a lot has a high limit).
   */
  private pickSubject(): HostEntry | null {
    let best: HostEntry | null = null;
    let bestGrowth = -Infinity;
    this.hosts.forEach((e) => {
      if (e.model.n < MIN_SAMPLES) return;
      const growth = e.bytes.sum() - Math.max(e.model.mean, this.atStart.get(e.key) ?? 0);
      if (growth > bestGrowth) {
        bestGrowth = growth;
        best = e;
      }
    });
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
    return this.hosts
      .values()
      .map((e) => ({ label: b.name(e.key), value: e.bytes.sum() }))
      .filter((r) => r.value > 0)
      .sort((x, y) => y.value - x.value)
      .slice(0, 10);
  }

  save(): Record<string, unknown> {
    const rows = this.hosts
      .values()
      .filter((e) => e.model.n >= MIN_SAMPLES)
      .sort((x, y) => y.model.mean - x.model.mean)
      .slice(0, 512);
    const out: Record<string, EwmaState> = {};
    for (const e of rows) out[this.ctx.book.name(e.key)] = e.model.toJSON();
    return { bytesPer10sPerHost: out };
  }

  load(s: Record<string, unknown> | undefined): void {
    const m = s?.bytesPer10sPerHost;
    if (!m || typeof m !== 'object') return;
    for (const [addr, st] of Object.entries(m as Record<string, EwmaState>)) {
      const key = hostKey(addr);
      if (key < 0) continue;
      const e = this.hosts.upsert(key, 0);
      e.model.load(st);
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
