import { L3 } from '../../decode/packet.js';
import type { PacketFields } from '../packet-log.js';
import { BoundedTable } from '../model/bounded-table.js';
import { Ewma } from '../model/ewma.js';
import { WindowedSumRows } from '../model/window-sum.js';
import { levelOf, ratioDeviation } from '../model/levels.js';
import { EXTERNAL, INTERNAL } from '../addr-key.js';
import { DOUBLE, fmtBytes, type Ctx, type Driver, type MeterRow } from '../context.js';

const B = 6;
const BS = 10;
/** Numbers per table slot in `meta`: score (bytes so far), last seen, bytes this second. */
const S = 3;

/**
 * Exfiltration: bytes sent by one internal host to one external host in 60 s,
 * against the largest such amount seen while learning. Waits for learning.
 */
export class ExfilDetector {
  /** Per pair: the addresses and a 60 s byte window, in rows indexed like the table (no object per pair). */
  readonly pairs: BoundedTable<null>;
  private readonly src: Float64Array;
  private readonly dst: Float64Array;
  private readonly bytes: WindowedSumRows;
  readonly model = new Ewma(0.05);
  /** Byte counts: double fields from the start (see DOUBLE). */
  private windowMax = DOUBLE;
  private cur = DOUBLE;
  private lastSampleSec = -1;

  constructor(private readonly ctx: Ctx) {
    this.windowMax = this.cur = 0;
    // One extra number per slot: the bytes of the current second, folded into the window by tick().
    this.pairs = new BoundedTable<null>(ctx.limits.pairs, () => null, (_, i) => this.resetRow(i), B * BS, 1);
    const slots = this.pairs.slots;
    this.src = new Float64Array(slots);
    this.dst = new Float64Array(slots);
    this.bytes = new WindowedSumRows(slots, B, BS);
    this.pairs.onMove = (from, to) => {
      this.src[to] = this.src[from]!;
      this.dst[to] = this.dst[from]!;
      this.bytes.move(from, to);
    };
  }

  private resetRow(i: number): void {
    this.src[i] = 0;
    this.dst[i] = 0;
    this.bytes.clear(i);
  }

  onPacket(p: PacketFields): void {
    const pk = this.ctx.pk;
    if ((pk.srcCls & INTERNAL) === 0 || (pk.dstCls & EXTERNAL) === 0 || p.l3 === L3.Arp) return;
    const src = pk.src;
    const dst = pk.dst;
    if (src < 0 || dst < 0) return;
    const sec = pk.sec;
    const t = this.pairs;
    // pk.exfilDstHash = hash32(dst + 0x5bd1e995), from the monitor.
    t.q[0] = (pk.srcHash & 0x1fffff) * 4294967296 + pk.exfilDstHash;
    t.q[1] = sec;
    const i = t.upsertQ();
    const m = S * i;
    const meta = t.meta;
    if (meta[m] === 0) {
      this.src[i] = src;
      this.dst[i] = dst;
    }
    meta[m + 1] = sec;
    meta[m]! += p.origLen;
    meta[m + 2]! += p.origLen;
  }

  threshold(): number {
    const floor = this.ctx.th.exfilFloorBytes;
    return this.model.n > 0 ? Math.max(floor, Math.ceil(this.model.peak * this.ctx.th.learnedFactor)) : floor;
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const max = this.sweep(sec, this.threshold(), !ctx.learning && ctx.learned);
    this.cur = max;
    this.windowMax = Math.max(this.windowMax, max);
    if (this.lastSampleSec < 0) this.lastSampleSec = sec;
    if (sec - this.lastSampleSec >= 60) {
      if (ctx.learning || !ctx.learned) this.model.add(this.windowMax);
      this.windowMax = 0;
      this.lastSampleSec = sec;
    }
    if (sec % 60 === 0) this.pairs.prune(sec, 300);
  }

  /**
   * Fold this second into every recent pair's window, report the pairs over
   * the threshold, and return the largest window. A method of its own so the
   * loop is compiled with the rest of its code seen (inside tick() the
   * compiled loop deoptimized at the code after it, once a second).
   */
  private sweep(sec: number, th: number, canAlert: boolean): number {
    const ctx = this.ctx;
    let max = 0;
    const t = this.pairs;
    const w = this.bytes;
    const meta = t.meta;
    for (let i = 0; i < t.slots; i++) {
      if (!t.has(i) || sec - meta[S * i + 1]! > B * BS) continue;
      w.advanceRow(i, sec);
      const acc = meta[S * i + 2]!;
      if (acc !== 0) {
        w.add(i, acc);
        meta[S * i + 2] = 0;
      }
      const bytes = w.sum(i);
      if (bytes > max) max = bytes;
      if (!canAlert || bytes < th) continue;
      const b = ctx.book;
      const expected = Math.ceil(this.model.peak);
      const from = b.name(this.src[i]!);
      const msg = `${from} sent ${fmtBytes(bytes)} to ${b.name(this.dst[i]!)} in 60 s; normal for this network is under ${fmtBytes(Math.max(1, expected))}`;
      ctx.alerts.report('exfil', from, sec, bytes, expected, levelOf(ratioDeviation(bytes, th)), msg);
    }
    return max;
  }

  meters(): MeterRow[] {
    const th = this.threshold();
    const dev = ratioDeviation(this.cur, th);
    const learning = this.ctx.learning || !this.ctx.learned;
    return [
      { name: 'outbound bytes per host and destination', unit: 'bytes per 60 s', current: this.cur, low: 0, high: th, deviation: dev, level: learning ? 'normal' : levelOf(dev), learning },
    ];
  }

  drivers(metric: string): Driver[] | null {
    if (metric !== 'outbound bytes per host and destination') return null;
    const b = this.ctx.book;
    const t = this.pairs;
    return t
      .indexes()
      .map((i) => ({ label: `${b.name(this.src[i]!)} -> ${b.name(this.dst[i]!)}`, value: this.bytes.sum(i) }))
      .filter((r) => r.value > 0)
      .sort((x, y) => y.value - x.value)
      .slice(0, 10);
  }

  save(): Record<string, unknown> {
    return { outboundPerPair: this.model.toJSON() };
  }

  load(s: Record<string, unknown> | undefined): void {
    if (s) this.model.load(s.outboundPerPair as never);
  }
}
