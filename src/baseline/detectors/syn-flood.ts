import type { DecodedPacket } from '../../decode/packet.js';
import { BoundedTable, type TableEntry } from '../model/bounded-table.js';
import { Ewma } from '../model/ewma.js';
import { WindowedDistinct, WindowedSum, hash32 } from '../model/distinct.js';
import { levelOf, ratioDeviation } from '../model/levels.js';
import { fmtApprox, fmtInt, popThreshold, type Ctx, type Driver, type MeterRow } from '../context.js';

const WINDOW = 10;

class TargetEntry implements TableEntry {
  key = 0;
  score = 0;
  lastSec = 0;
  readonly syns = new WindowedSum(WINDOW, 1);
  readonly completed = new WindowedSum(WINDOW, 1);
  readonly sources = new WindowedDistinct(2, WINDOW / 2);
  readonly ports = new WindowedDistinct(2, WINDOW / 2);
}

function resetEntry(e: TargetEntry, key: number): void {
  e.key = key;
  e.score = 0;
  e.syns.clear();
  e.completed.clear();
  e.sources.clear();
  e.ports.clear();
}

/** Direct-mapped handshake table size (power of two). */
const HS_SLOTS = 1 << 16;

/**
 * SYN floods: per target, SYNs in the last 10 s and how many of them
 * completed a handshake (SYN, SYN/ACK, ACK tracked in a direct-mapped table
 * of tuple hashes, so memory is fixed whatever arrives).
 */
export class SynFloodDetector {
  readonly table: BoundedTable<TargetEntry>;
  readonly model = new Ewma(0.05);
  private readonly tags = new Uint32Array(HS_SLOTS);
  private readonly state = new Uint8Array(HS_SLOTS);
  /** SYNs and completions in the current second (for the half-open rate meter). */
  synsThisSec = 0;
  completedThisSec = 0;
  private windowMax = 0;
  private lastSampleSec = -1;
  private cur = 0;

  constructor(private readonly ctx: Ctx) {
    this.table = new BoundedTable(ctx.limits.targets, () => new TargetEntry(), resetEntry, 30);
  }

  onPacket(p: DecodedPacket, src: number, dst: number, sec: number): void {
    if (p.ipProto !== 6 || src < 0 || dst < 0) return;
    const f = p.tcpFlags & 0x17;
    if (f === 0x02) {
      const h = tupleHash(src, dst, p.srcPort, p.dstPort);
      const slot = h & (HS_SLOTS - 1);
      this.tags[slot] = h;
      this.state[slot] = 1;
      const e = this.table.upsert(dst, sec);
      e.lastSec = sec;
      e.score++;
      e.syns.advance(sec);
      e.syns.add(1);
      e.sources.advance(sec);
      e.sources.addHash(hash32(src));
      e.ports.advance(sec);
      e.ports.addHash(hash32(p.dstPort + 0x10000));
      this.synsThisSec++;
    } else if (f === 0x12) {
      const h = tupleHash(dst, src, p.dstPort, p.srcPort);
      const slot = h & (HS_SLOTS - 1);
      if (this.tags[slot] === h && this.state[slot] === 1) this.state[slot] = 2;
    } else if (f === 0x10) {
      const h = tupleHash(src, dst, p.srcPort, p.dstPort);
      const slot = h & (HS_SLOTS - 1);
      if (this.tags[slot] !== h || this.state[slot] !== 2) return;
      this.state[slot] = 3;
      this.completedThisSec++;
      const e = this.table.get(dst);
      if (!e) return;
      e.completed.advance(sec);
      e.completed.add(1);
    }
  }

  threshold(): number {
    return popThreshold(this.ctx.th.synFlood, this.model.peak, this.model.n, this.ctx, 200);
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const th = this.threshold();
    let max = 0;
    this.table.forEach((e) => {
      if (sec - e.lastSec > WINDOW) return;
      e.syns.advance(sec);
      e.completed.advance(sec);
      e.sources.advance(sec);
      e.ports.advance(sec);
      const syns = e.syns.sum();
      if (syns > max) max = syns;
      if (ctx.learning || syns < th) return;
      const done = Math.min(syns, e.completed.sum());
      if (done / syns >= ctx.th.synFloodCompleted) return;
      const sources = e.sources.estimate();
      // Many ports from one or two sources is a port scan, reported as such.
      if (sources <= 2 && e.ports.estimate() >= 50) return;
      const b = ctx.book;
      const expected = this.model.n > 0 && ctx.hasBaseline ? Math.ceil(this.model.peak) : th;
      const normal = this.model.n > 0 && ctx.hasBaseline ? `normal for this network is under ${fmtInt(Math.max(1, expected))}` : `the built-in limit is ${fmtInt(th)}`;
      const pct = Math.round((100 * done) / syns);
      const msg = `${b.name(e.key)} received ${fmtInt(syns)} SYNs in ${WINDOW} s from ${fmtApprox(sources)} sources; ${pct}% completed a handshake; ${normal}`;
      ctx.alerts.report('syn-flood', b.name(e.key), sec, syns, expected, levelOf(ratioDeviation(syns, th)), msg);
    });
    this.cur = max;
    this.windowMax = Math.max(this.windowMax, max);
    if (this.lastSampleSec < 0) this.lastSampleSec = sec;
    if (sec - this.lastSampleSec >= 60) {
      if (ctx.learning) this.model.add(this.windowMax);
      this.windowMax = 0;
      this.lastSampleSec = sec;
    }
    if (sec % 60 === 0) this.table.prune(sec, 120);
    this.synsThisSec = 0;
    this.completedThisSec = 0;
  }

  meters(): MeterRow[] {
    const th = this.threshold();
    const dev = ratioDeviation(this.cur, th);
    const learning = this.ctx.learning;
    return [{ name: 'SYNs per target', unit: 'per 10 s', current: this.cur, low: 0, high: th, deviation: dev, level: learning ? 'normal' : levelOf(dev), learning }];
  }

  drivers(metric: string): Driver[] | null {
    if (metric !== 'SYNs per target') return null;
    return this.table
      .values()
      .map((e) => ({ label: this.ctx.book.name(e.key), value: e.syns.sum() }))
      .filter((r) => r.value > 0)
      .sort((a, b) => b.value - a.value)
      .slice(0, 10);
  }

  save(): Record<string, unknown> {
    return { synsPerTarget: this.model.toJSON() };
  }

  load(s: Record<string, unknown> | undefined): void {
    if (s) this.model.load(s.synsPerTarget as never);
  }
}

function tupleHash(client: number, server: number, cport: number, sport: number): number {
  return hash32(hash32(client) ^ Math.imul(hash32(server), 31) ^ ((cport << 16) | (sport & 0xffff)));
}
