import type { PacketFields } from '../packet-log.js';
import type { BoundedTable } from '../model/bounded-table.js';
import { rowTable } from '../model/row-table.js';
import { Ewma } from '../model/ewma.js';
import { WindowedDistinctRows, hash32 } from '../model/distinct.js';
import { WindowedSumRows } from '../model/window-sum.js';
import { levelOf, ratioDeviation } from '../model/levels.js';
import { DOUBLE, fmtApprox, fmtInt, popThreshold, topDrivers, type Ctx, type Driver, type MeterRow } from '../context.js';

const WINDOW = 10;

/** Per-target state in rows indexed like the table's slots (no object per target). */
class TargetRows {
  readonly syns: WindowedSumRows;
  readonly completed: WindowedSumRows;
  readonly sources: WindowedDistinctRows;
  readonly ports: WindowedDistinctRows;

  constructor(n: number) {
    this.syns = new WindowedSumRows(n, WINDOW, 1);
    this.completed = new WindowedSumRows(n, WINDOW, 1);
    this.sources = new WindowedDistinctRows(n, 2, WINDOW / 2);
    this.ports = new WindowedDistinctRows(n, 2, WINDOW / 2);
  }

  reset(i: number): void {
    this.syns.clear(i);
    this.completed.clear(i);
    this.sources.clear(i);
    this.ports.clear(i);
  }

  move(from: number, to: number): void {
    this.syns.move(from, to);
    this.completed.move(from, to);
    this.sources.move(from, to);
    this.ports.move(from, to);
  }
}

/** Direct-mapped handshake table size (power of two). */
const HS_SLOTS = 1 << 16;

/**
 * SYN floods: per target, SYNs in the last 10 s and how many of them
 * completed a handshake (SYN, SYN/ACK, ACK tracked in a direct-mapped table
 * of tuple hashes, so memory is fixed whatever arrives).
 */
export class SynFloodDetector {
  readonly table: BoundedTable<null>;
  private readonly rows: TargetRows;
  readonly model = new Ewma(0.05);
  /** Per slot: the tuple hash, then the handshake state (1 SYN seen, 2 SYN/ACK, 3 completed), side by side. */
  private readonly hs = new Uint32Array(HS_SLOTS * 2);
  /**
   * Bit s is set exactly while slot s is in state 2 (SYN/ACK seen): most
   * packets are bare ACKs, and only one whose slot waits for its ACK needs
   * the large table; this 8 KiB bitmap stays in cache.
   */
  private readonly waiting = new Int32Array(HS_SLOTS >>> 5);
  /** SYNs and completions in the current second (for the half-open rate meter). */
  synsThisSec = 0;
  completedThisSec = 0;
  /** SYN counts read from a Float64Array: double fields from the start (see DOUBLE). */
  private windowMax = DOUBLE;
  private lastSampleSec = -1;
  private cur = DOUBLE;

  constructor(private readonly ctx: Ctx) {
    this.windowMax = this.cur = 0;
    ({ table: this.table, rows: this.rows } = rowTable(ctx.limits.targets, 30, (n) => new TargetRows(n)));
  }

  onPacket(p: PacketFields): void {
    if (p.ipProto !== 6) return;
    const f = p.tcpFlags & 0x17;
    // Only SYN, SYN/ACK and a bare ACK matter; most packets leave here.
    if (f !== 0x02 && f !== 0x12 && f !== 0x10) return;
    const pk = this.ctx.pk;
    if (pk.src < 0 || pk.dst < 0) return;
    if (f === 0x02) {
      const h = tupleHash(pk.srcHash, pk.dstHash, p.srcPort, p.dstPort);
      const s = h & (HS_SLOTS - 1);
      const slot = s * 2;
      this.hs[slot] = h;
      this.hs[slot + 1] = 1;
      this.waiting[s >>> 5]! &= ~(1 << (s & 31));
      const sec = pk.sec;
      const t = this.table;
      t.q[0] = pk.dst;
      t.q[1] = sec;
      const i = t.upsertQ();
      const r = this.rows;
      t.meta[2 * i + 1] = sec;
      t.meta[2 * i]!++;
      r.syns.advanceRow(i, sec);
      r.syns.add(i, 1);
      r.sources.advance(i, sec);
      r.sources.addHash(i, pk.srcHash);
      r.ports.advance(i, sec);
      r.ports.addHash(i, hash32(p.dstPort + 0x10000));
      this.synsThisSec++;
    } else if (f === 0x12) {
      const h = tupleHash(pk.dstHash, pk.srcHash, p.dstPort, p.srcPort);
      const s = h & (HS_SLOTS - 1);
      const slot = s * 2;
      if (this.hs[slot] === h && this.hs[slot + 1] === 1) {
        this.hs[slot + 1] = 2;
        this.waiting[s >>> 5]! |= 1 << (s & 31);
      }
    } else {
      const h = tupleHash(pk.srcHash, pk.dstHash, p.srcPort, p.dstPort);
      const s = h & (HS_SLOTS - 1);
      if ((this.waiting[s >>> 5]! & (1 << (s & 31))) === 0) return;
      const slot = s * 2;
      if (this.hs[slot] !== h || this.hs[slot + 1] !== 2) return;
      this.hs[slot + 1] = 3;
      this.waiting[s >>> 5]! &= ~(1 << (s & 31));
      this.completedThisSec++;
      const t = this.table;
      t.q[0] = pk.dst;
      const i = t.findQ();
      if (i < 0) return;
      this.rows.completed.advanceRow(i, pk.sec);
      this.rows.completed.add(i, 1);
    }
  }

  threshold(): number {
    return popThreshold(this.ctx.th.synFlood, this.model.peak, this.model.n, this.ctx, 200);
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const th = this.threshold();
    let max = 0;
    const t = this.table;
    const meta = t.meta;
    for (let i = 0; i < t.slots; i++) {
      if (!(sec - meta[2 * i + 1]! <= WINDOW) || !t.has(i)) continue;
      const r = this.rows;
      r.syns.advanceRow(i, sec);
      const syns = r.syns.sum(i);
      if (syns > max) max = syns;
      if (ctx.learning || syns < th) continue;
      r.completed.advanceRow(i, sec);
      r.sources.advance(i, sec);
      r.ports.advance(i, sec);
      const done = Math.min(syns, r.completed.sum(i));
      if (done / syns >= ctx.th.synFloodCompleted) continue;
      const sources = r.sources.estimate(i);
      // Many ports from one or two sources is a port scan, reported as such.
      if (sources <= 2 && r.ports.estimate(i) >= 50) continue;
      const b = ctx.book;
      const expected = this.model.n > 0 && ctx.hasBaseline ? Math.ceil(this.model.peak) : th;
      const normal = this.model.n > 0 && ctx.hasBaseline ? `normal for this network is under ${fmtInt(Math.max(1, expected))}` : `the built-in limit is ${fmtInt(th)}`;
      const pct = Math.round((100 * done) / syns);
      const name = b.name(t.keys[i]!);
      const msg = `${name} received ${fmtInt(syns)} SYNs in ${WINDOW} s from ${fmtApprox(sources)} sources; ${pct}% completed a handshake; ${normal}`;
      ctx.alerts.report('syn-flood', name, sec, syns, expected, levelOf(ratioDeviation(syns, th)), msg);
    }
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
    const t = this.table;
    return topDrivers(t.indexes().map((i) => ({ label: this.ctx.book.name(t.keys[i]!), value: this.rows.syns.sum(i) })));
  }

  save(): Record<string, unknown> {
    return { synsPerTarget: this.model.toJSON() };
  }

  load(s: Record<string, unknown> | undefined): void {
    if (s) this.model.load(s.synsPerTarget as never);
  }
}

/** Hash of a TCP connection from the hash32 of its client and server addresses and the ports. */
function tupleHash(clientHash: number, serverHash: number, cport: number, sport: number): number {
  return hash32(clientHash ^ Math.imul(serverHash, 31) ^ ((cport << 16) | (sport & 0xffff)));
}
