import type { DecodedPacket } from '../../decode/packet.js';
import { BoundedTable } from '../model/bounded-table.js';
import { Ewma } from '../model/ewma.js';
import { rowTable } from '../model/row-table.js';
import { B, BS, CountRows, PairRows } from './dns-rows.js';
import { levelOf, ratioDeviation } from '../model/levels.js';
import { DOUBLE, fmtApprox, fmtInt, popThreshold, topDrivers, type Ctx, type Driver, type MeterRow } from '../context.js';
import { DnsNameReader } from './dns-name.js';


/**
 * DNS tunnelling: per client and registered domain, how many distinct, long,
 * random-looking names were asked for in 60 s. Also per-client query rates and
 * distinct names, and distinct names per registered domain, for the meters.
 */
export class DnsTunnelDetector {
  readonly reader = new DnsNameReader();
  readonly clients: BoundedTable<null>;
  readonly domains: BoundedTable<null>;
  readonly pairs: BoundedTable<null>;
  private readonly clientRows: CountRows;
  private readonly domainRows: CountRows;
  private readonly pairRows: PairRows;
  readonly suspiciousModel = new Ewma(0.05);
  readonly clientQueriesModel = new Ewma(0.05);
  readonly clientNamesModel = new Ewma(0.05);
  readonly domainNamesModel = new Ewma(0.05);
  queriesThisSec = 0;
  private win = { susp: 0, q: 0, cn: 0, dn: 0 };
  // entropy is a fraction from the start (see DOUBLE); it is reset to 0 with the others.
  private cur = { susp: 0, q: 0, cn: 0, dn: 0, label: 0, entropy: DOUBLE };
  private lastSampleSec = -1;

  constructor(private readonly ctx: Ctx) {
    this.cur.entropy = 0;
    ({ table: this.clients, rows: this.clientRows } = rowTable(ctx.limits.sources, 120, (n) => new CountRows(n)));
    ({ table: this.domains, rows: this.domainRows } = rowTable(ctx.limits.domains, 120, (n) => new CountRows(n)));
    ({ table: this.pairs, rows: this.pairRows } = rowTable(ctx.limits.domains, 120, (n) => new PairRows(n)));
  }

  static isSuspicious(r: DnsNameReader): boolean {
    return r.longestLabel >= 40 || (r.subLen >= 24 && r.entropy >= 3.5);
  }

  onPacket(p: DecodedPacket): void {
    if (p.ipProto !== 17 || p.dstPort !== 53 || p.payloadOff < 0) return;
    const pk = this.ctx.pk;
    const src = pk.src;
    if (src < 0) return;
    const r = this.reader;
    if (!r.read(p.buf, p.payloadOff, p.payloadLen)) return;
    const sec = pk.sec;
    this.queriesThisSec++;
    const ct = this.clients;
    ct.q[0] = src;
    ct.q[1] = sec;
    const ci = ct.upsertQ();
    ct.meta[2 * ci + 1] = sec;
    ct.meta[2 * ci]!++;
    this.clientRows.count(ci, sec, r.nameHash);
    const dt = this.domains;
    dt.q[0] = r.domainHash;
    dt.q[1] = sec;
    const di = dt.upsertQ();
    const dr = this.domainRows;
    if (dr.text[di] === '') dr.text[di] = r.domainText();
    dt.meta[2 * di + 1] = sec;
    dt.meta[2 * di]!++;
    dr.count(di, sec, r.nameHash);
    const pt = this.pairs;
    pt.q[0] = (pk.srcHash & 0x1fffff) * 4294967296 + r.domainHash;
    pt.q[1] = sec;
    const pi = pt.upsertQ();
    const e = this.pairRows;
    if (e.domain[pi] === '') {
      e.domain[pi] = dr.text[di]!;
      e.client[pi] = src;
    }
    pt.meta[2 * pi + 1] = sec;
    e.names.advance(pi, sec);
    e.names.addHash(pi, r.nameHash);
    if (DnsTunnelDetector.isSuspicious(r)) {
      pt.meta[2 * pi]!++;
      e.suspicious.advanceRow(pi, sec);
      e.suspicious.add(pi, 1);
      e.labelSum.advanceRow(pi, sec);
      e.labelSum.add(pi, r.longestLabel);
      e.entropySum.advanceRow(pi, sec);
      e.entropySum.add(pi, r.entropy);
    }
    if (r.longestLabel > this.cur.label) this.cur.label = r.longestLabel;
    if (r.entropy > this.cur.entropy) this.cur.entropy = r.entropy;
  }

  threshold(): number {
    return popThreshold(this.ctx.th.dnsSuspicious, this.suspiciousModel.peak, this.suspiciousModel.n, this.ctx, this.ctx.th.dnsSuspicious);
  }

  tick(sec: number): void {
    const ctx = this.ctx;
    const th = this.threshold();
    let maxSusp = 0;
    const pt = this.pairs;
    const pm = pt.meta;
    for (let i = 0; i < pt.slots; i++) {
      // The score counts suspicious names: a pair without any has nothing to report (nor an empty slot).
      if (!(pm[2 * i]! > 0) || sec - pm[2 * i + 1]! > B * BS || !pt.has(i)) continue;
      const e = this.pairRows;
      e.suspicious.advanceRow(i, sec);
      const susp = e.suspicious.sum(i);
      if (susp > maxSusp) maxSusp = susp;
      if (ctx.learning || susp < th) continue;
      e.names.advance(i, sec);
      const names = e.names.estimate(i);
      if (names < ctx.th.dnsDistinctNames) continue;
      e.labelSum.advanceRow(i, sec);
      e.entropySum.advanceRow(i, sec);
      const b = ctx.book;
      const avgLabel = e.labelSum.sum(i) / susp;
      const avgEnt = e.entropySum.sum(i) / susp;
      const learned = this.suspiciousModel.n > 0 && ctx.hasBaseline;
      const expected = learned ? Math.ceil(this.suspiciousModel.peak) : th;
      const normal = learned ? `normal for this network is under ${fmtInt(Math.max(1, expected))}` : `the built-in limit is ${fmtInt(th)}`;
      const msg =
        `${b.name(e.client[i]!)} asked for ${fmtApprox(names)} distinct names under ${e.domain[i]} in 60 s, ${fmtInt(susp)} of them long and ` +
        `random-looking (longest label ${Math.round(avgLabel)} chars, entropy ${avgEnt.toFixed(1)} bits/char on average); ${normal}`;
      ctx.alerts.report('dns-tunnel', b.name(e.client[i]!), sec, susp, expected, levelOf(ratioDeviation(susp, th)), msg);
    }
    let maxQ = 0;
    let maxCn = 0;
    const ct = this.clients;
    for (let i = 0; i < ct.slots; i++) {
      if (!(sec - ct.meta[2 * i + 1]! <= 1) || !ct.has(i)) continue;
      const c = this.clientRows;
      c.queries.advanceRow(i, sec);
      c.names.advance(i, sec);
      maxQ = Math.max(maxQ, c.queries.sum(i));
      maxCn = Math.max(maxCn, c.names.estimate(i));
    }
    let maxDn = 0;
    const dt = this.domains;
    for (let i = 0; i < dt.slots; i++) {
      if (!(sec - dt.meta[2 * i + 1]! <= 1) || !dt.has(i)) continue;
      this.domainRows.names.advance(i, sec);
      maxDn = Math.max(maxDn, this.domainRows.names.estimate(i));
    }
    this.cur.susp = maxSusp;
    this.cur.q = maxQ;
    this.cur.cn = maxCn;
    this.cur.dn = maxDn;
    const w = this.win;
    w.susp = Math.max(w.susp, maxSusp);
    w.q = Math.max(w.q, maxQ);
    w.cn = Math.max(w.cn, maxCn);
    w.dn = Math.max(w.dn, maxDn);
    if (this.lastSampleSec < 0) this.lastSampleSec = sec;
    if (sec - this.lastSampleSec >= 60) {
      if (ctx.learning) {
        this.suspiciousModel.add(w.susp);
        this.clientQueriesModel.add(w.q);
        this.clientNamesModel.add(w.cn);
        this.domainNamesModel.add(w.dn);
      }
      w.susp = w.q = w.cn = w.dn = 0;
      this.cur.label = 0;
      this.cur.entropy = 0;
      this.lastSampleSec = sec;
    }
    if (sec % 60 === 0) {
      this.clients.prune(sec, 300);
      this.domains.prune(sec, 300);
      this.pairs.prune(sec, 300);
    }
    this.queriesThisSec = 0;
  }

  meters(): MeterRow[] {
    const ctx = this.ctx;
    const learning = ctx.learning;
    const learnedRow = (name: string, unit: string, cur: number, m: Ewma, builtin: number): MeterRow => {
      const t = popThreshold(builtin, m.peak, m.n, ctx, builtin / 4);
      const dev = ratioDeviation(cur, t);
      return { name, unit, current: cur, low: 0, high: t, deviation: dev, level: learning ? 'normal' : levelOf(dev), learning };
    };
    const th = this.threshold();
    const dev = ratioDeviation(this.cur.susp, th);
    return [
      { name: 'random-looking DNS names per client and domain', unit: 'per 60 s', current: this.cur.susp, low: 0, high: th, deviation: dev, level: learning ? 'normal' : levelOf(dev), learning },
      learnedRow('DNS queries per client', 'per 60 s', this.cur.q, this.clientQueriesModel, 600),
      learnedRow('distinct DNS names per client', 'per 60 s', this.cur.cn, this.clientNamesModel, 300),
      learnedRow('distinct DNS names per domain', 'per 60 s', this.cur.dn, this.domainNamesModel, 300),
      { name: 'longest DNS label', unit: 'chars', current: this.cur.label, low: 0, high: 40, deviation: ratioDeviation(this.cur.label, 40), level: 'normal', learning },
      { name: 'DNS name entropy', unit: 'bits/char', current: this.cur.entropy, low: 0, high: 4, deviation: ratioDeviation(this.cur.entropy, 4), level: 'normal', learning },
    ];
  }

  drivers(metric: string): Driver[] | null {
    const b = this.ctx.book;
    const p = this.pairRows;
    const c = this.clientRows;
    const d = this.domainRows;
    let t: BoundedTable<null>;
    let row: (i: number) => Driver;
    if (metric === 'random-looking DNS names per client and domain') {
      t = this.pairs;
      row = (i) => ({ label: `${b.name(p.client[i]!)} ${p.domain[i]}`, value: p.suspicious.sum(i) });
    } else if (metric === 'DNS queries per client') {
      t = this.clients;
      row = (i) => ({ label: b.name(t.keys[i]!), value: c.queries.sum(i) });
    } else if (metric === 'distinct DNS names per client') {
      t = this.clients;
      row = (i) => ({ label: b.name(t.keys[i]!), value: c.names.estimate(i) });
    } else if (metric === 'distinct DNS names per domain' || metric === 'DNS queries/s') {
      t = this.domains;
      row = (i) => ({ label: d.text[i]!, value: d.names.estimate(i) });
    } else return null;
    return topDrivers(t.indexes().map(row));
  }

  save(): Record<string, unknown> {
    return {
      suspiciousPerClientDomain: this.suspiciousModel.toJSON(),
      queriesPerClient: this.clientQueriesModel.toJSON(),
      namesPerClient: this.clientNamesModel.toJSON(),
      namesPerDomain: this.domainNamesModel.toJSON(),
    };
  }

  load(s: Record<string, unknown> | undefined): void {
    if (!s) return;
    this.suspiciousModel.load(s.suspiciousPerClientDomain as never);
    this.clientQueriesModel.load(s.queriesPerClient as never);
    this.clientNamesModel.load(s.namesPerClient as never);
    this.domainNamesModel.load(s.namesPerDomain as never);
  }
}
