import { L3 } from '../../decode/packet.js';
import type { PacketFields } from '../packet-log.js';
import type { BoundedTable } from '../model/bounded-table.js';
import { rowTable } from '../model/row-table.js';
import { Ewma } from '../model/ewma.js';
import { hash32 } from '../model/distinct.js';
import { BUCKETS, SourceRows } from './scan-rows.js';
import { levelOf, ratioDeviation } from '../model/levels.js';
import { INTERNAL } from '../addr-key.js';
import { fmtApprox, fmtInt, popThreshold, topDrivers, type Ctx, type Driver, type MeterRow } from '../context.js';

const DOOR_SLOTS = 1 << 16;

/**
 * Port scans and host sweeps: per source, distinct destination ports and
 * hosts among connection attempts (TCP SYN, UDP to a lower port, ICMP echo,
 * ARP who-has) over a sliding window, plus the RSTs and unreachables that
 * came back to it.
 */
export class ScanDetector {
  readonly table: BoundedTable<null>;
  private readonly rows: SourceRows;
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
    ({ table: this.table, rows: this.rows } = rowTable(ctx.limits.sources, ctx.th.scanWindowSec, (n) => new SourceRows(n, bucketSec)));
  }

  onPacket(p: PacketFields): void {
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
    if (p.l3 === L3.Arp) this.rows.arp[i] = 1;
  }

  private count(i: number, dst: number, dstHash: number, dstInternal: boolean, port: number, sec: number): void {
    const t = this.table;
    const r = this.rows;
    if (r.firstProbeSec[i]! < 0 || sec - t.meta[2 * i + 1]! > this.ctx.th.scanWindowSec) r.firstProbeSec[i] = sec;
    t.meta[2 * i + 1] = sec;
    t.meta[2 * i]!++;
    // Resolvers and time clients talk to many servers on 53 and 123: not a sweep.
    const service = port === 53 || port === 123;
    if (!service) {
      r.hosts.advance(i, sec);
      r.hosts.addHash(i, dstHash);
    }
    if (!service && dstInternal) {
      r.internalHosts.advance(i, sec);
      r.internalHosts.addHash(i, dstHash);
    }
    if (port >= 0) {
      r.ports.advance(i, sec);
      r.ports.addHash(i, hash32(port + 0x10000));
    }
    if (r.target[i] === dst) r.targetVotes[i]!++;
    else if (r.targetVotes[i] === 0) {
      r.target[i] = dst;
      r.targetVotes[i] = 1;
    } else r.targetVotes[i]!--;
  }

  /** A RST or unreachable went back to the packet's destination (the scanner). */
  private answered(): void {
    const pk = this.ctx.pk;
    if (pk.dst < 0) return;
    const t = this.table;
    t.q[0] = pk.dst;
    const i = t.findQ();
    if (i < 0) return;
    this.rows.unanswered.advanceRow(i, pk.sec);
    this.rows.unanswered.add(i, 1);
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
    const meta = t.meta;
    for (let i = 0; i < t.slots; i++) {
      // Only sources that probed in the last second can have grown (an empty slot's NaN fails this too).
      if (!(sec - meta[2 * i + 1]! <= 1) || !t.has(i)) continue;
      const r = this.rows;
      r.ports.advance(i, sec);
      r.hosts.advance(i, sec);
      r.internalHosts.advance(i, sec);
      const ports = r.ports.estimate(i);
      const hosts = r.hosts.estimate(i);
      const internal = r.internalHosts.estimate(i);
      if (ports > maxPorts) maxPorts = ports;
      if (hosts > maxHosts) maxHosts = hosts;
      if (internal > maxInternal) maxInternal = internal;
      if (ctx.learning) continue;
      const span = Math.min(ctx.th.scanWindowSec, Math.max(1, t.meta[2 * i + 1]! - r.firstProbeSec[i]! + 1));
      if (ports >= th.ports) this.raisePortScan(i, t.keys[i]!, ports, span, sec, th.ports);
      if (internal >= th.internal || hosts >= th.hosts) {
        const useInternal = internal / th.internal >= hosts / th.hosts;
        this.raiseSweep(i, t.keys[i]!, useInternal ? internal : hosts, span, sec, useInternal ? th.internal : th.hosts, useInternal);
      }
    }
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

  private raisePortScan(i: number, key: number, ports: number, span: number, sec: number, threshold: number): void {
    const b = this.ctx.book;
    const hosts = this.rows.hosts.estimate(i);
    const target = this.rows.target[i]!;
    const on = hosts <= 1 && target >= 0 ? b.name(target) : `${fmtApprox(hosts)} hosts${target >= 0 ? ` (mostly ${b.name(target)})` : ''}`;
    const expected = this.portsModel.n > 0 && this.ctx.hasBaseline ? Math.ceil(this.portsModel.peak) : threshold;
    const msg = `${b.name(key)} tried ${fmtApprox(ports)} distinct ports on ${on} in ${fmtInt(span)} s; ${this.normalText(this.portsModel, threshold)}`;
    this.ctx.alerts.report('port-scan', b.name(key), sec, ports, expected, levelOf(ratioDeviation(ports, threshold)), msg);
  }

  private raiseSweep(i: number, key: number, hosts: number, span: number, sec: number, threshold: number, internal: boolean): void {
    const b = this.ctx.book;
    const model = internal ? this.internalHostsModel : this.hostsModel;
    const expected = model.n > 0 && this.ctx.hasBaseline ? Math.ceil(model.peak) : threshold;
    const how = this.rows.arp[i] ? ' with ARP requests' : '';
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
    const r = this.rows;
    const which =
      metric === 'distinct ports per source' ? r.ports
      : metric === 'distinct hosts per source' ? r.hosts
      : metric === 'distinct internal hosts per source' ? r.internalHosts
      : null;
    if (!which) return null;
    const t = this.table;
    return topDrivers(t.indexes().map((i) => ({ label: this.ctx.book.name(t.keys[i]!), value: which.estimate(i) })));
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
