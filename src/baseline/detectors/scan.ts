import { L3, type DecodedPacket } from '../../decode/packet.js';
import { BoundedTable } from '../model/bounded-table.js';
import { Ewma } from '../model/ewma.js';
import { WindowedDistinct, WindowedSum, hash32 } from '../model/distinct.js';
import { levelOf, ratioDeviation } from '../model/levels.js';
import { INTERNAL } from '../addr-key.js';
import { fmtApprox, fmtInt, popThreshold, type Ctx, type Driver, type MeterRow } from '../context.js';

const BUCKETS = 5;
const DOOR_SLOTS = 1 << 16;

class SourceEntry {
  firstProbeSec = 0;
  readonly ports: WindowedDistinct;
  readonly hosts: WindowedDistinct;
  readonly internalHosts: WindowedDistinct;
  readonly unanswered: WindowedSum;
  /** Majority vote (Boyer-Moore) over probed targets: the main target. */
  target = -1;
  targetVotes = 0;
  arp = false;
  constructor(bucketSec: number) {
    this.ports = new WindowedDistinct(BUCKETS, bucketSec);
    this.hosts = new WindowedDistinct(BUCKETS, bucketSec);
    this.internalHosts = new WindowedDistinct(BUCKETS, bucketSec);
    this.unanswered = new WindowedSum(BUCKETS, bucketSec);
  }
}

function resetEntry(e: SourceEntry): void {
  e.firstProbeSec = -1;
  e.ports.clear();
  e.hosts.clear();
  e.internalHosts.clear();
  e.unanswered.clear();
  e.target = -1;
  e.targetVotes = 0;
  e.arp = false;
}

/**
 * Port scans and host sweeps: per source, distinct destination ports and
 * hosts among connection attempts (TCP SYN, UDP to a lower port, ICMP echo,
 * ARP who-has) over a sliding window, plus the RSTs and unreachables that
 * came back to it.
 */
export class ScanDetector {
  readonly table: BoundedTable<SourceEntry>;
  private readonly door = new Uint32Array(DOOR_SLOTS);
  private readonly doorDst = new Float64Array(DOOR_SLOTS);
  private readonly doorPort = new Int32Array(DOOR_SLOTS);
  /** First probes of sources not tracked yet (they get an entry on their second). */
  doorRejected = 0;
  readonly portsModel = new Ewma(0.05);
  readonly hostsModel = new Ewma(0.05);
  readonly internalHostsModel = new Ewma(0.05);
  private windowMaxPorts = 0;
  private windowMaxHosts = 0;
  private windowMaxInternal = 0;
  private lastSampleSec = -1;
  private curPorts = 0;
  private curHosts = 0;
  private curInternal = 0;

  constructor(private readonly ctx: Ctx) {
    const bucketSec = Math.max(1, Math.round(ctx.th.scanWindowSec / BUCKETS));
    this.table = new BoundedTable(ctx.limits.sources, () => new SourceEntry(bucketSec), resetEntry, ctx.th.scanWindowSec);
  }

  onPacket(p: DecodedPacket): void {
    let port = -1;
    let hostProbe = false;
    if (p.l3 === L3.Arp) {
      if (p.arpOp !== 1 || p.arpSpa === p.arpTpa || p.arpSpa === 0) return;
      hostProbe = true;
    } else if (p.ipProto === 6) {
      if ((p.tcpFlags & 0x12) === 0x02) {
        port = p.dstPort;
        hostProbe = true;
      } else if ((p.tcpFlags & 0x04) !== 0) {
        this.answered();
        return;
      } else return;
    } else if (p.ipProto === 17) {
      if (p.srcPort < 1024 || p.dstPort < 0 || p.dstPort >= p.srcPort) return;
      port = p.dstPort;
      hostProbe = true;
    } else if (p.ipProto === 1 || p.ipProto === 58) {
      const echo = p.ipProto === 1 ? 8 : 128;
      const unreach = p.ipProto === 1 ? 3 : 1;
      if (p.icmpType === unreach) {
        this.answered();
        return;
      }
      if (p.icmpType !== echo) return;
      hostProbe = true;
    } else return;
    const pk = this.ctx.pk;
    const src = pk.src;
    const dst = pk.dst;
    if (!hostProbe || src < 0 || dst < 0) return;
    const t = this.table;
    const sec = pk.sec;
    t.q[0] = src;
    let i = t.findQ();
    if (i < 0) {
      // Doorkeeper: a source gets a full entry on its second probe, so a flood
      // of one-packet spoofed sources only churns these arrays. The first
      // probe is remembered here and counted when the entry is made.
      const h = pk.srcHash | 1;
      const slot = h & (DOOR_SLOTS - 1);
      if (this.door[slot] !== h >>> 0) {
        this.door[slot] = h >>> 0;
        this.doorDst[slot] = dst;
        this.doorPort[slot] = port;
        this.doorRejected++;
        return;
      }
      i = t.upsert(src, sec);
      const first = this.doorDst[slot]!;
      this.count(i, first, hash32(first), this.ctx.isInternal(first), this.doorPort[slot]!, sec);
    }
    this.count(i, dst, pk.dstHash, (pk.dstCls & INTERNAL) !== 0, port, sec);
    if (p.l3 === L3.Arp) t.item(i).arp = true;
  }

  private count(i: number, dst: number, dstHash: number, dstInternal: boolean, port: number, sec: number): void {
    const t = this.table;
    const e = t.item(i);
    if (e.firstProbeSec < 0 || sec - t.meta[2 * i + 1]! > this.ctx.th.scanWindowSec) e.firstProbeSec = sec;
    t.meta[2 * i + 1] = sec;
    t.meta[2 * i]!++;
    // Resolvers and time clients talk to many servers on 53 and 123: not a sweep.
    const service = port === 53 || port === 123;
    if (!service) {
      e.hosts.advance(sec);
      e.hosts.addHash(dstHash);
    }
    if (!service && dstInternal) {
      e.internalHosts.advance(sec);
      e.internalHosts.addHash(dstHash);
    }
    if (port >= 0) {
      e.ports.advance(sec);
      e.ports.addHash(hash32(port + 0x10000));
    }
    if (e.target === dst) e.targetVotes++;
    else if (e.targetVotes === 0) {
      e.target = dst;
      e.targetVotes = 1;
    } else e.targetVotes--;
  }

  /** A RST or unreachable went back to the packet's destination (the scanner). */
  private answered(): void {
    const pk = this.ctx.pk;
    if (pk.dst < 0) return;
    const t = this.table;
    t.q[0] = pk.dst;
    const i = t.findQ();
    if (i < 0) return;
    const e = t.item(i);
    e.unanswered.advance(pk.sec);
    e.unanswered.add(1);
  }

  thresholds(): { ports: number; hosts: number; internal: number } {
    const c = this.ctx;
    return {
      ports: popThreshold(c.th.scanPorts, this.portsModel.peak, this.portsModel.n, c, 16),
      hosts: popThreshold(c.th.sweepHosts, this.hostsModel.peak, this.hostsModel.n, c, 64),
      internal: popThreshold(c.th.sweepInternalHosts, this.internalHostsModel.peak, this.internalHostsModel.n, c, 16),
    };
  }

  tick(sec: number): void {
    const th = this.thresholds();
    let maxPorts = 0;
    let maxHosts = 0;
    let maxInternal = 0;
    const ctx = this.ctx;
    const t = this.table;
    t.forEach((e, i) => {
      // Only sources that probed in the last second can have grown.
      if (sec - t.meta[2 * i + 1]! > 1) return;
      e.ports.advance(sec);
      e.hosts.advance(sec);
      e.internalHosts.advance(sec);
      const ports = e.ports.estimate();
      const hosts = e.hosts.estimate();
      const internal = e.internalHosts.estimate();
      if (ports > maxPorts) maxPorts = ports;
      if (hosts > maxHosts) maxHosts = hosts;
      if (internal > maxInternal) maxInternal = internal;
      if (ctx.learning) return;
      const span = Math.min(ctx.th.scanWindowSec, Math.max(1, t.meta[2 * i + 1]! - e.firstProbeSec + 1));
      if (ports >= th.ports) this.raisePortScan(e, t.keys[i]!, ports, span, sec, th.ports);
      if (internal >= th.internal || hosts >= th.hosts) {
        const useInternal = internal / th.internal >= hosts / th.hosts;
        this.raiseSweep(e, t.keys[i]!, useInternal ? internal : hosts, span, sec, useInternal ? th.internal : th.hosts, useInternal);
      }
    });
    this.curPorts = maxPorts;
    this.curHosts = maxHosts;
    this.curInternal = maxInternal;
    this.windowMaxPorts = Math.max(this.windowMaxPorts, maxPorts);
    this.windowMaxHosts = Math.max(this.windowMaxHosts, maxHosts);
    this.windowMaxInternal = Math.max(this.windowMaxInternal, maxInternal);
    if (this.lastSampleSec < 0) this.lastSampleSec = sec;
    if (sec - this.lastSampleSec >= 60) {
      if (ctx.learning) {
        this.portsModel.add(this.windowMaxPorts);
        this.hostsModel.add(this.windowMaxHosts);
        this.internalHostsModel.add(this.windowMaxInternal);
      }
      this.windowMaxPorts = this.windowMaxHosts = this.windowMaxInternal = 0;
      this.lastSampleSec = sec;
    }
    if (sec % 60 === 0) this.table.prune(sec, ctx.th.scanWindowSec * 2);
  }

  private normalText(model: Ewma, threshold: number): string {
    return model.n > 0 && this.ctx.hasBaseline
      ? `normal for this network is under ${fmtInt(Math.max(1, Math.ceil(model.peak)))}`
      : `the built-in limit is ${fmtInt(threshold)}`;
  }

  private raisePortScan(e: SourceEntry, key: number, ports: number, span: number, sec: number, threshold: number): void {
    const b = this.ctx.book;
    const hosts = e.hosts.estimate();
    const on = hosts <= 1 && e.target >= 0 ? b.name(e.target) : `${fmtApprox(hosts)} hosts${e.target >= 0 ? ` (mostly ${b.name(e.target)})` : ''}`;
    const expected = this.portsModel.n > 0 && this.ctx.hasBaseline ? Math.ceil(this.portsModel.peak) : threshold;
    const msg = `${b.name(key)} tried ${fmtApprox(ports)} distinct ports on ${on} in ${fmtInt(span)} s; ${this.normalText(this.portsModel, threshold)}`;
    this.ctx.alerts.report('port-scan', b.name(key), sec, ports, expected, levelOf(ratioDeviation(ports, threshold)), msg);
  }

  private raiseSweep(e: SourceEntry, key: number, hosts: number, span: number, sec: number, threshold: number, internal: boolean): void {
    const b = this.ctx.book;
    const model = internal ? this.internalHostsModel : this.hostsModel;
    const expected = model.n > 0 && this.ctx.hasBaseline ? Math.ceil(model.peak) : threshold;
    const how = e.arp ? ' with ARP requests' : '';
    const which = internal ? 'internal hosts' : 'hosts';
    const msg = `${b.name(key)} probed ${fmtApprox(hosts)} distinct ${which}${how} in ${fmtInt(span)} s; ${this.normalText(model, threshold)}`;
    this.ctx.alerts.report('host-sweep', b.name(key), sec, hosts, expected, levelOf(ratioDeviation(hosts, threshold)), msg);
  }

  meters(): MeterRow[] {
    const th = this.thresholds();
    const learning = this.ctx.learning;
    const row = (name: string, cur: number, t: number): MeterRow => {
      const dev = ratioDeviation(cur, t);
      return { name, unit: 'count', current: cur, low: 0, high: t, deviation: dev, level: learning ? 'normal' : levelOf(dev), learning };
    };
    return [
      row('distinct ports per source', this.curPorts, th.ports),
      row('distinct hosts per source', this.curHosts, th.hosts),
      row('distinct internal hosts per source', this.curInternal, th.internal),
    ];
  }

  drivers(metric: string): Driver[] | null {
    const pick =
      metric === 'distinct ports per source'
        ? (e: SourceEntry) => e.ports.estimate()
        : metric === 'distinct hosts per source'
          ? (e: SourceEntry) => e.hosts.estimate()
          : metric === 'distinct internal hosts per source'
            ? (e: SourceEntry) => e.internalHosts.estimate()
            : null;
    if (!pick) return null;
    const t = this.table;
    const rows = t.indexes().map((i) => ({ label: this.ctx.book.name(t.keys[i]!), value: pick(t.item(i)) }));
    return rows.filter((r) => r.value > 0).sort((a, b) => b.value - a.value).slice(0, 10);
  }

  save(): Record<string, unknown> {
    return { ports: this.portsModel.toJSON(), hosts: this.hostsModel.toJSON(), internalHosts: this.internalHostsModel.toJSON() };
  }

  load(s: Record<string, unknown> | undefined): void {
    if (!s) return;
    this.portsModel.load(s.ports as never);
    this.hostsModel.load(s.hosts as never);
    this.internalHostsModel.load(s.internalHosts as never);
  }
}
