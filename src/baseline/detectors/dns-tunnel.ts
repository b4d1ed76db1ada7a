import type { DecodedPacket } from '../../decode/packet.js';
import { BoundedTable } from '../model/bounded-table.js';
import { Ewma } from '../model/ewma.js';
import { WindowedDistinct, WindowedSum } from '../model/distinct.js';
import { levelOf, ratioDeviation } from '../model/levels.js';
import { fmtApprox, fmtInt, popThreshold, type Ctx, type Driver, type MeterRow } from '../context.js';
import { DnsNameReader } from './dns-name.js';

/** 60 s windows in six 10 s buckets. */
const B = 6;
const BS = 10;

class ClientEntry {
  readonly queries = new WindowedSum(B, BS);
  readonly names = new WindowedDistinct(B, BS);
}

class DomainEntry {
  name = '';
  readonly queries = new WindowedSum(B, BS);
  readonly names = new WindowedDistinct(B, BS);
}

class PairEntry {
  client = 0;
  domain = '';
  readonly names = new WindowedDistinct(B, BS);
  readonly suspicious = new WindowedSum(B, BS);
  readonly labelSum = new WindowedSum(B, BS);
  readonly entropySum = new WindowedSum(B, BS);
}

function resetClient(e: ClientEntry): void {
  e.queries.clear();
  e.names.clear();
}
function resetDomain(e: DomainEntry): void {
  e.name = '';
  e.queries.clear();
  e.names.clear();
}
function resetPair(e: PairEntry): void {
  e.client = 0;
  e.domain = '';
  e.names.clear();
  e.suspicious.clear();
  e.labelSum.clear();
  e.entropySum.clear();
}

/**
 * DNS tunnelling: per client and registered domain, how many distinct, long,
 * random-looking names were asked for in 60 s. Also per-client query rates and
 * distinct names, and distinct names per registered domain, for the meters.
 */
export class DnsTunnelDetector {
  readonly reader = new DnsNameReader();
  readonly clients: BoundedTable<ClientEntry>;
  readonly domains: BoundedTable<DomainEntry>;
  readonly pairs: BoundedTable<PairEntry>;
  readonly suspiciousModel = new Ewma(0.05);
  readonly clientQueriesModel = new Ewma(0.05);
  readonly clientNamesModel = new Ewma(0.05);
  readonly domainNamesModel = new Ewma(0.05);
  queriesThisSec = 0;
  private win = { susp: 0, q: 0, cn: 0, dn: 0 };
  private cur = { susp: 0, q: 0, cn: 0, dn: 0, label: 0, entropy: 0 };
  private lastSampleSec = -1;

  constructor(private readonly ctx: Ctx) {
    this.clients = new BoundedTable(ctx.limits.sources, () => new ClientEntry(), resetClient, 120);
    this.domains = new BoundedTable(ctx.limits.domains, () => new DomainEntry(), resetDomain, 120);
    this.pairs = new BoundedTable(ctx.limits.domains, () => new PairEntry(), resetPair, 120);
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
    const c = ct.item(ci);
    ct.meta[2 * ci + 1] = sec;
    ct.meta[2 * ci]!++;
    c.queries.advance(sec);
    c.queries.add(1);
    c.names.advance(sec);
    c.names.addHash(r.nameHash);
    const dt = this.domains;
    dt.q[0] = r.domainHash;
    dt.q[1] = sec;
    const di = dt.upsertQ();
    const d = dt.item(di);
    if (d.name === '') d.name = r.domainText();
    dt.meta[2 * di + 1] = sec;
    dt.meta[2 * di]!++;
    d.queries.advance(sec);
    d.queries.add(1);
    d.names.advance(sec);
    d.names.addHash(r.nameHash);
    const pt = this.pairs;
    pt.q[0] = (pk.srcHash & 0x1fffff) * 4294967296 + r.domainHash;
    pt.q[1] = sec;
    const pi = pt.upsertQ();
    const e = pt.item(pi);
    if (e.domain === '') {
      e.domain = d.name;
      e.client = src;
    }
    pt.meta[2 * pi + 1] = sec;
    e.names.advance(sec);
    e.names.addHash(r.nameHash);
    if (DnsTunnelDetector.isSuspicious(r)) {
      pt.meta[2 * pi]!++;
      e.suspicious.advance(sec);
      e.suspicious.add(1);
      e.labelSum.advance(sec);
      e.labelSum.add(r.longestLabel);
      e.entropySum.advance(sec);
      e.entropySum.add(r.entropy);
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
    pt.forEach((e, i) => {
      if (sec - pt.meta[2 * i + 1]! > B * BS) return;
      e.suspicious.advance(sec);
      e.names.advance(sec);
      e.labelSum.advance(sec);
      e.entropySum.advance(sec);
      const susp = e.suspicious.sum();
      if (susp > maxSusp) maxSusp = susp;
      if (ctx.learning || susp < th) return;
      const names = e.names.estimate();
      if (names < ctx.th.dnsDistinctNames) return;
      const b = ctx.book;
      const avgLabel = e.labelSum.sum() / susp;
      const avgEnt = e.entropySum.sum() / susp;
      const learned = this.suspiciousModel.n > 0 && ctx.hasBaseline;
      const expected = learned ? Math.ceil(this.suspiciousModel.peak) : th;
      const normal = learned ? `normal for this network is under ${fmtInt(Math.max(1, expected))}` : `the built-in limit is ${fmtInt(th)}`;
      const msg =
        `${b.name(e.client)} asked for ${fmtApprox(names)} distinct names under ${e.domain} in 60 s, ${fmtInt(susp)} of them long and ` +
        `random-looking (longest label ${Math.round(avgLabel)} chars, entropy ${avgEnt.toFixed(1)} bits/char on average); ${normal}`;
      ctx.alerts.report('dns-tunnel', b.name(e.client), sec, susp, expected, levelOf(ratioDeviation(susp, th)), msg);
    });
    let maxQ = 0;
    let maxCn = 0;
    const ct = this.clients;
    ct.forEach((c, i) => {
      if (sec - ct.meta[2 * i + 1]! > 1) return;
      c.queries.advance(sec);
      c.names.advance(sec);
      maxQ = Math.max(maxQ, c.queries.sum());
      maxCn = Math.max(maxCn, c.names.estimate());
    });
    let maxDn = 0;
    const dt = this.domains;
    dt.forEach((d, i) => {
      if (sec - dt.meta[2 * i + 1]! > 1) return;
      d.names.advance(sec);
      maxDn = Math.max(maxDn, d.names.estimate());
    });
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
    let rows: Driver[];
    if (metric === 'random-looking DNS names per client and domain') {
      const t = this.pairs;
      rows = t.indexes().map((i) => ({ label: `${b.name(t.item(i).client)} ${t.item(i).domain}`, value: t.item(i).suspicious.sum() }));
    } else if (metric === 'DNS queries per client') {
      const t = this.clients;
      rows = t.indexes().map((i) => ({ label: b.name(t.keys[i]!), value: t.item(i).queries.sum() }));
    } else if (metric === 'distinct DNS names per client') {
      const t = this.clients;
      rows = t.indexes().map((i) => ({ label: b.name(t.keys[i]!), value: t.item(i).names.estimate() }));
    } else if (metric === 'distinct DNS names per domain' || metric === 'DNS queries/s') {
      const t = this.domains;
      rows = t.indexes().map((i) => ({ label: t.item(i).name, value: t.item(i).names.estimate() }));
    } else return null;
    return rows.filter((r) => r.value > 0).sort((a, b2) => b2.value - a.value).slice(0, 10);
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
