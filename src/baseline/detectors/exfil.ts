import { L3, type DecodedPacket } from '../../decode/packet.js';
import { BoundedTable, type TableEntry } from '../model/bounded-table.js';
import { Ewma } from '../model/ewma.js';
import { WindowedSum, hash32 } from '../model/distinct.js';
import { levelOf, ratioDeviation } from '../model/levels.js';
import { fmtBytes, type Ctx, type Driver, type MeterRow } from '../context.js';

const B = 6;
const BS = 10;

class PairEntry implements TableEntry {
  key = 0;
  score = 0;
  lastSec = 0;
  src = 0;
  dst = 0;
  readonly bytes = new WindowedSum(B, BS);
}

function resetPair(e: PairEntry, key: number): void {
  e.key = key;
  e.score = 0;
  e.src = 0;
  e.dst = 0;
  e.bytes.clear();
}

/**
 * Exfiltration: bytes sent by one internal host to one external host in 60 s,
 * against the largest such amount seen while learning. Waits for learning.
 */
export class ExfilDetector {
  readonly pairs: BoundedTable<PairEntry>;
  readonly model = new Ewma(0.05);
  private windowMax = 0;
  private cur = 0;
  private lastSampleSec = -1;

  constructor(private readonly ctx: Ctx) {
    this.pairs = new BoundedTable(ctx.limits.pairs, () => new PairEntry(), resetPair, B * BS);
  }

  onPacket(p: DecodedPacket, src: number, dst: number, sec: number): void {
    if (src < 0 || dst < 0 || p.l3 === L3.Arp) return;
    if (!this.ctx.isInternal(src) || !this.ctx.isExternal(dst)) return;
    const key = (hash32(src) & 0x1fffff) * 4294967296 + hash32(dst + 0x5bd1e995);
    const e = this.pairs.upsert(key, sec);
    if (e.score === 0) {
      e.src = src;
      e.dst = dst;
    }
    e.lastSec = sec;
    e.score += p.origLen;
    e.bytes.advance(sec);
    e.bytes.add(p.origLen);
  }

  threshold(): number {
    const floor = this.ctx.th.exfilFloorBytes;
    return this.model.n > 0 ? Math.max(floor, Math.ceil(this.model.peak * this.ctx.th.learnedFactor)) : floor;
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const th = this.threshold();
    const canAlert = !ctx.learning && ctx.learned;
    let max = 0;
    this.pairs.forEach((e) => {
      if (sec - e.lastSec > B * BS) return;
      e.bytes.advance(sec);
      const bytes = e.bytes.sum();
      if (bytes > max) max = bytes;
      if (!canAlert || bytes < th) return;
      const b = ctx.book;
      const expected = Math.ceil(this.model.peak);
      const msg = `${b.name(e.src)} sent ${fmtBytes(bytes)} to ${b.name(e.dst)} in 60 s; normal for this network is under ${fmtBytes(Math.max(1, expected))}`;
      ctx.alerts.report('exfil', b.name(e.src), sec, bytes, expected, levelOf(ratioDeviation(bytes, th)), msg);
    });
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
    return this.pairs
      .values()
      .map((e) => ({ label: `${b.name(e.src)} -> ${b.name(e.dst)}`, value: e.bytes.sum() }))
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
