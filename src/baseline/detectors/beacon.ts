import type { PacketFields } from '../packet-log.js';
import type { BoundedTable } from '../model/bounded-table.js';
import { rowTable } from '../model/row-table.js';
import { BeaconRows, RING } from './beacon-rows.js';
import { INTERNAL } from '../addr-key.js';
import { fmtInt, topDrivers, type Ctx, type Driver, type MeterRow } from '../context.js';

/** A UDP or ICMP exchange counts as a new "connection" after this much silence. */
const UDP_IDLE_SEC = 1;

/**
 * Beaconing: an internal host that starts connections to the same peer at a
 * near-constant interval. Per (src, dst) pair, the last 16 start times; the
 * jitter is the 75th percentile of the intervals' absolute deviation from
 * their median, over the median (three intervals in four within it).
 * Pairs that were already regular while learning (NTP, update checks) are
 * remembered in the baseline and not reported. Waits for learning.
 */
export class BeaconDetector {
  readonly pairs: BoundedTable<null>;
  private readonly rows: BeaconRows;
  /** Pairs ("src>dst") that beaconed while learning. */
  readonly known = new Set<string>();
  private regularNow = 0;

  constructor(private readonly ctx: Ctx) {
    ({ table: this.pairs, rows: this.rows } = rowTable(ctx.limits.pairs, 3600, (n) => new BeaconRows(n)));
  }

  onPacket(p: PacketFields): void {
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
    const r = this.rows;
    const last = r.lastPacket[i]!;
    if (r.starts[i] === 0 && last < 0) {
      r.src[i] = src;
      r.dst[i] = dst;
    }
    if (!start) start = last < 0 || t - last > UDP_IDLE_SEC;
    r.lastPacket[i] = t;
    table.meta[2 * i + 1] = sec;
    if (!start) return;
    const n = r.starts[i]!;
    // Parallel connections opened together are one start.
    const prev = n > 0 ? r.recent(i, 1) : -Infinity;
    if (t - prev < 0.5) return;
    if (r.port[i]! < 0) r.port[i] = p.dstPort;
    if (p.dstPort === r.port[i]) r.samePort[i]!++;
    r.times[i * RING + (n % RING)] = t;
    r.starts[i] = n + 1;
    table.meta[2 * i]!++;
    r.dirty[i] = 1;
  }

  /** Median interval and jitter of slot i's recent starts, or null when too few. */
  evaluate(i: number): { interval: number; jitter: number } | null {
    const r = this.rows;
    return r.measure(i, this.ctx.th.beaconMinCount) ? { interval: r.lastInterval, jitter: r.lastJitter } : null;
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const th = ctx.th;
    const canAlert = !ctx.learning && ctx.learned;
    let regular = 0;
    const t = this.pairs;
    const r = this.rows;
    const starts = r.starts;
    const minCount = th.beaconMinCount;
    for (let i = 0; i < t.slots; i++) {
      // Too few starts: nothing to measure and not regular (a later start marks it dirty again).
      if (starts[i]! <= minCount || !t.has(i)) continue;
      if (r.dirty[i]) {
        r.dirty[i] = 0;
        if (r.measure(i, minCount)) {
          r.interval[i] = r.lastInterval;
          r.jitter[i] = r.lastJitter;
        }
      }
      const n = starts[i]!;
      const interval = r.interval[i]!;
      const jitter = r.jitter[i]!;
      const isRegular = n > minCount && interval >= th.beaconMinIntervalSec && jitter <= th.beaconMaxJitter && r.samePort[i]! * 4 >= n * 3;
      if (!isRegular) continue;
      // Stale: no start for three intervals.
      if (sec - r.recent(i, 1) > 3 * interval + 1) continue;
      regular++;
      const b = ctx.book;
      const id = `${b.name(r.src[i]!)}>${b.name(r.dst[i]!)}`;
      if (ctx.learning || !ctx.learned) {
        if (this.known.size < 4096) this.known.add(id);
        continue;
      }
      if (!canAlert || this.known.has(id)) continue;
      const msg =
        `${b.name(r.src[i]!)} connected to ${b.name(r.dst[i]!)} ${fmtInt(n)} times at a steady ${interval.toFixed(1)} s interval ` +
        `(jitter ${(jitter * 100).toFixed(1)}%); normal for this network is no regular connections to this host`;
      const level = jitter <= th.beaconMaxJitter / 4 ? 'critical' : 'high';
      ctx.alerts.report('beacon', b.name(r.src[i]!), sec, n, 0, level, msg);
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
    const r = this.rows;
    const th = this.ctx.th;
    return topDrivers(
      t
        .indexes()
        .filter((i) => r.starts[i]! > th.beaconMinCount && r.jitter[i]! <= th.beaconMaxJitter)
        .map((i) => ({ label: `${b.name(r.src[i]!)} -> ${b.name(r.dst[i]!)} every ${r.interval[i]!.toFixed(1)} s`, value: r.starts[i]! })),
    );
  }

  save(): Record<string, unknown> {
    return { knownPairs: [...this.known].sort() };
  }

  load(s: Record<string, unknown> | undefined): void {
    const k = s?.knownPairs;
    if (Array.isArray(k)) for (const x of k) if (typeof x === 'string') this.known.add(x);
  }
}
