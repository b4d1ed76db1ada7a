import type { DecodedPacket } from '../../decode/packet.js';
import { BoundedTable, type TableEntry } from '../model/bounded-table.js';
import { hash32 } from '../model/distinct.js';
import { levelOf } from '../model/levels.js';
import { fmtInt, type Ctx, type Driver, type MeterRow } from '../context.js';

/** Connection start times kept per pair. */
const RING = 16;
/** A UDP or ICMP exchange counts as a new "connection" after this much silence. */
const UDP_IDLE_SEC = 1;

class PairEntry implements TableEntry {
  key = 0;
  score = 0;
  lastSec = 0;
  src = 0;
  dst = 0;
  lastPacket = -1;
  starts = 0;
  readonly times = new Float64Array(RING);
  dirty = false;
  /** Destination port of the first start, and how many starts went to it (a beacon keeps its port; a slow scan does not). */
  port = -1;
  samePort = 0;
  /** Last evaluation: median interval and jitter (MAD / median). */
  interval = 0;
  jitter = 1;
}

function resetPair(e: PairEntry, key: number): void {
  e.key = key;
  e.score = 0;
  e.src = 0;
  e.dst = 0;
  e.lastPacket = -1;
  e.starts = 0;
  e.dirty = false;
  e.port = -1;
  e.samePort = 0;
  e.interval = 0;
  e.jitter = 1;
}

/**
 * Beaconing: an internal host that starts connections to the same peer at a
 * near-constant interval. Per (src, dst) pair, the last 16 start times; the
 * jitter is the 75th percentile of the intervals' absolute deviation from
 * their median, over the median (three intervals in four within it).
 * Pairs that were already regular while learning (NTP, update checks) are
 * remembered in the baseline and not reported. Waits for learning.
 */
export class BeaconDetector {
  readonly pairs: BoundedTable<PairEntry>;
  /** Pairs ("src>dst") that beaconed while learning. */
  readonly known = new Set<string>();
  private readonly scratch = new Float64Array(RING);
  private regularNow = 0;

  constructor(private readonly ctx: Ctx) {
    this.pairs = new BoundedTable(ctx.limits.pairs, () => new PairEntry(), resetPair, 3600);
  }

  onPacket(p: DecodedPacket, src: number, dst: number, t: number): void {
    if (src < 0 || dst < 0 || !this.ctx.isInternal(src)) return;
    let start = false;
    const key = (hash32(src) & 0x1fffff) * 4294967296 + hash32(dst + 0x27d4eb2f);
    if (p.ipProto === 6) {
      if ((p.tcpFlags & 0x12) !== 0x02) return;
      start = true;
    } else if (p.ipProto === 17) {
      if (p.srcPort <= p.dstPort) return;
    } else if (p.ipProto === 1 || p.ipProto === 58) {
      if (p.icmpType !== (p.ipProto === 1 ? 8 : 128)) return;
    } else return;
    const sec = Math.floor(t);
    const e = this.pairs.upsert(key, sec);
    if (e.starts === 0 && e.lastPacket < 0) {
      e.src = src;
      e.dst = dst;
    }
    if (!start) start = e.lastPacket < 0 || t - e.lastPacket > UDP_IDLE_SEC;
    e.lastPacket = t;
    e.lastSec = sec;
    if (!start) return;
    // Parallel connections opened together are one start.
    const prev = e.starts > 0 ? e.times[(e.starts - 1) % RING]! : -Infinity;
    if (t - prev < 0.5) return;
    if (e.port < 0) e.port = p.dstPort;
    if (p.dstPort === e.port) e.samePort++;
    e.times[e.starts % RING] = t;
    e.starts++;
    e.score++;
    e.dirty = true;
  }

  /** Median interval and jitter of a pair's recent starts, or null when too few. */
  evaluate(e: PairEntry): { interval: number; jitter: number } | null {
    const n = Math.min(e.starts, RING);
    if (n - 1 < this.ctx.th.beaconMinCount) return null;
    const first = e.starts - n;
    const iv = this.scratch;
    for (let i = 1; i < n; i++) iv[i - 1] = e.times[(first + i) % RING]! - e.times[(first + i - 1) % RING]!;
    const m = n - 1;
    const sorted = Array.from(iv.subarray(0, m)).sort((a, b) => a - b);
    const med = sorted[m >> 1]!;
    const dev = sorted.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
    // The 75th percentile, not the median: with the median half the intervals could be anything.
    const spread = dev[Math.floor(m * 0.75)]!;
    return { interval: med, jitter: med > 0 ? spread / med : 1 };
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const th = ctx.th;
    const canAlert = !ctx.learning && ctx.learned;
    let regular = 0;
    this.pairs.forEach((e) => {
      if (e.dirty) {
        e.dirty = false;
        const r = this.evaluate(e);
        if (r) {
          e.interval = r.interval;
          e.jitter = r.jitter;
        }
      }
      const isRegular =
        e.starts > th.beaconMinCount && e.interval >= th.beaconMinIntervalSec && e.jitter <= th.beaconMaxJitter && e.samePort * 4 >= e.starts * 3;
      if (!isRegular) return;
      // Stale: no start for three intervals.
      const last = e.times[(e.starts - 1) % RING]!;
      if (sec - last > 3 * e.interval + 1) return;
      regular++;
      const b = ctx.book;
      const id = `${b.name(e.src)}>${b.name(e.dst)}`;
      if (ctx.learning || !ctx.learned) {
        if (this.known.size < 4096) this.known.add(id);
        return;
      }
      if (!canAlert || this.known.has(id)) return;
      const msg =
        `${b.name(e.src)} connected to ${b.name(e.dst)} ${fmtInt(e.starts)} times at a steady ${e.interval.toFixed(1)} s interval ` +
        `(jitter ${(e.jitter * 100).toFixed(1)}%); normal for this network is no regular connections to this host`;
      const level = e.jitter <= th.beaconMaxJitter / 4 ? 'critical' : 'high';
      ctx.alerts.report('beacon', b.name(e.src), sec, e.starts, 0, level, msg);
    });
    this.regularNow = regular;
    if (sec % 60 === 0) this.pairs.prune(sec, 3600);
  }

  meters(): MeterRow[] {
    const learning = this.ctx.learning || !this.ctx.learned;
    return [
      {
        name: 'regular connection pairs',
        unit: 'pairs',
        current: this.regularNow,
        low: 0,
        high: this.known.size,
        deviation: 0,
        level: 'normal',
        learning,
      },
    ];
  }

  drivers(metric: string): Driver[] | null {
    if (metric !== 'regular connection pairs') return null;
    const b = this.ctx.book;
    return this.pairs
      .values()
      .filter((e) => e.starts > this.ctx.th.beaconMinCount && e.jitter <= this.ctx.th.beaconMaxJitter)
      .map((e) => ({ label: `${b.name(e.src)} -> ${b.name(e.dst)} every ${e.interval.toFixed(1)} s`, value: e.starts }))
      .sort((x, y) => y.value - x.value)
      .slice(0, 10);
  }

  save(): Record<string, unknown> {
    return { knownPairs: [...this.known].sort() };
  }

  load(s: Record<string, unknown> | undefined): void {
    const k = s?.knownPairs;
    if (Array.isArray(k)) for (const x of k) if (typeof x === 'string') this.known.add(x);
  }
}
