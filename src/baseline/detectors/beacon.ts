import type { DecodedPacket } from '../../decode/packet.js';
import { BoundedTable } from '../model/bounded-table.js';
import { pooledF64 } from '../model/distinct.js';
import { levelOf } from '../model/levels.js';
import { INTERNAL } from '../addr-key.js';
import { fmtInt, type Ctx, type Driver, type MeterRow } from '../context.js';

/** Connection start times kept per pair. */
const RING = 16;
/** A UDP or ICMP exchange counts as a new "connection" after this much silence. */
const UDP_IDLE_SEC = 1;

class PairEntry {
  src = 0;
  dst = 0;
  starts = 0;
  readonly times = pooledF64(RING);
  dirty = false;
  /** Destination port of the first start, and how many starts went to it (a beacon keeps its port; a slow scan does not). */
  port = -1;
  samePort = 0;
  /** Last evaluation: median interval and jitter (MAD / median). */
  interval = 0;
  jitter = 1;
}

function resetPair(e: PairEntry): void {
  e.src = 0;
  e.dst = 0;
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
  private readonly scratchDev = new Float64Array(RING);
  private regularNow = 0;
  /** Each entry's `starts`, as a column: a tick skips the many pairs with too few starts without touching them. */
  private readonly starts: Int32Array;
  /** Time of each pair's last packet (-1 before the first), a column too: most packets only touch it. */
  private readonly lastPacket: Float64Array;

  constructor(private readonly ctx: Ctx) {
    this.pairs = new BoundedTable(
      ctx.limits.pairs,
      () => new PairEntry(),
      (e, i) => {
        resetPair(e);
        this.starts[i] = 0;
        this.lastPacket[i] = -1;
      },
      3600,
    );
    this.starts = new Int32Array(this.pairs.slots);
    this.lastPacket = new Float64Array(this.pairs.slots);
    this.pairs.onMove = (from, to) => {
      this.starts[to] = this.starts[from]!;
      this.lastPacket[to] = this.lastPacket[from]!;
    };
  }

  onPacket(p: DecodedPacket): void {
    const pk = this.ctx.pk;
    if ((pk.srcCls & INTERNAL) === 0) return;
    let start = false;
    if (p.ipProto === 6) {
      if ((p.tcpFlags & 0x12) !== 0x02) return;
      start = true;
    } else if (p.ipProto === 17) {
      if (p.srcPort <= p.dstPort) return;
    } else if (p.ipProto === 1 || p.ipProto === 58) {
      if (p.icmpType !== (p.ipProto === 1 ? 8 : 128)) return;
    } else return;
    const src = pk.src;
    const dst = pk.dst;
    if (src < 0 || dst < 0) return;
    const t = pk.t;
    const sec = Math.floor(t);
    const table = this.pairs;
    // pk.beaconDstHash = hash32(dst + 0x27d4eb2f), from the monitor.
    table.q[0] = (pk.srcHash & 0x1fffff) * 4294967296 + pk.beaconDstHash;
    table.q[1] = sec;
    const i = table.upsertQ();
    const last = this.lastPacket[i]!;
    if (this.starts[i] === 0 && last < 0) {
      const e = table.item(i);
      e.src = src;
      e.dst = dst;
    }
    if (!start) start = last < 0 || t - last > UDP_IDLE_SEC;
    this.lastPacket[i] = t;
    table.meta[2 * i + 1] = sec;
    if (!start) return;
    const e = table.item(i);
    // Parallel connections opened together are one start.
    const prev = e.starts > 0 ? e.times[(e.starts - 1) % RING]! : -Infinity;
    if (t - prev < 0.5) return;
    if (e.port < 0) e.port = p.dstPort;
    if (p.dstPort === e.port) e.samePort++;
    e.times[e.starts % RING] = t;
    e.starts++;
    this.starts[i] = e.starts;
    table.meta[2 * i]!++;
    e.dirty = true;
  }

  /** Median interval and jitter of a pair's recent starts, or null when too few. */
  evaluate(e: PairEntry): { interval: number; jitter: number } | null {
    return this.measure(e) ? { interval: this.lastInterval, jitter: this.lastJitter } : null;
  }

  private lastInterval = 0;
  private lastJitter = 1;

  /** evaluate() into lastInterval / lastJitter; false when too few starts. Allocates nothing. */
  private measure(e: PairEntry): boolean {
    const n = Math.min(e.starts, RING);
    if (n - 1 < this.ctx.th.beaconMinCount) return false;
    const first = e.starts - n;
    const iv = this.scratch;
    for (let i = 1; i < n; i++) iv[i - 1] = e.times[(first + i) % RING]! - e.times[(first + i - 1) % RING]!;
    const m = n - 1;
    sortPrefix(iv, m);
    const med = iv[m >> 1]!;
    const dev = this.scratchDev;
    for (let i = 0; i < m; i++) dev[i] = Math.abs(iv[i]! - med);
    sortPrefix(dev, m);
    // The 75th percentile, not the median: with the median half the intervals could be anything.
    const spread = dev[Math.floor(m * 0.75)]!;
    this.lastInterval = med;
    this.lastJitter = med > 0 ? spread / med : 1;
    return true;
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const th = ctx.th;
    const canAlert = !ctx.learning && ctx.learned;
    let regular = 0;
    const t = this.pairs;
    const starts = this.starts;
    const minCount = th.beaconMinCount;
    for (let i = 0; i < t.slots; i++) {
      // Too few starts: nothing to measure and not regular (a later start marks it dirty again).
      if (starts[i]! <= minCount || !t.has(i)) continue;
      const e = t.item(i);
      if (e.dirty) {
        e.dirty = false;
        if (this.measure(e)) {
          e.interval = this.lastInterval;
          e.jitter = this.lastJitter;
        }
      }
      const isRegular =
        e.starts > th.beaconMinCount && e.interval >= th.beaconMinIntervalSec && e.jitter <= th.beaconMaxJitter && e.samePort * 4 >= e.starts * 3;
      if (!isRegular) continue;
      // Stale: no start for three intervals.
      const last = e.times[(e.starts - 1) % RING]!;
      if (sec - last > 3 * e.interval + 1) continue;
      regular++;
      const b = ctx.book;
      const id = `${b.name(e.src)}>${b.name(e.dst)}`;
      if (ctx.learning || !ctx.learned) {
        if (this.known.size < 4096) this.known.add(id);
        continue;
      }
      if (!canAlert || this.known.has(id)) continue;
      const msg =
        `${b.name(e.src)} connected to ${b.name(e.dst)} ${fmtInt(e.starts)} times at a steady ${e.interval.toFixed(1)} s interval ` +
        `(jitter ${(e.jitter * 100).toFixed(1)}%); normal for this network is no regular connections to this host`;
      const level = e.jitter <= th.beaconMaxJitter / 4 ? 'critical' : 'high';
      ctx.alerts.report('beacon', b.name(e.src), sec, e.starts, 0, level, msg);
    }
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
    const t = this.pairs;
    return t
      .indexes()
      .map((i) => t.item(i))
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

/** Sort a[0..n) ascending in place (insertion sort: n is at most 15 here, and nothing is allocated). */
function sortPrefix(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}
