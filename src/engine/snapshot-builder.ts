import { ipProtoName } from '../decode/protocols.js';
import { portKeyPort, portKeyProto } from '../flows/port-table.js';
import type { RatePool } from '../flows/rate-pool.js';
import { tcpStateText } from '../flows/tcp-state.js';
import { escapeForTerminal } from '../util/escape.js';
import { addrText } from './addr-text.js';
import type { Engine } from './engine.js';
import { focusInfo } from './focus-ring.js';
import { flowService, portService } from './service-label.js';
import type {
  AlertSnapshotRow, BaselineStatusInfo, ConversationRow, DeviationLevel, FocusDetail, HostRow, MeterSnapshotRow,
  PortRow, ProtocolRow, RateTriple, Snapshot, SourceInfo,
} from './snapshot.js';
import { heapScratch, rank } from './rank-top.js';

/**
 * What a snapshot reads from a baseline monitor (BaselineMonitor fits; the
 * engine does not depend on the baseline module).
 */
export interface SnapshotMonitor {
  meters(): readonly {
    name: string; unit: string; current: number; low: number; high: number; deviation: number; level: DeviationLevel; learning: boolean;
  }[];
  alerts(): readonly {
    kind: string; subject: string; severity: DeviationLevel; firstSeen: number; lastSeen: number;
    observed: number; expected: number; message: string; count: number; active: boolean;
  }[];
  status(): { learning: boolean; learned: boolean; learnedFrom: 'file' | 'online' | null; learningLeftSec: number; note: string };
}

export interface SnapshotOptions {
  /** Rows per table (hosts, conversations, ports); default 500. */
  top?: number;
  /** Seconds of history per series; default 300. */
  historySeconds?: number;
  /** Adds `meters`, `alerts` and `baselineStatus` to the snapshot. */
  monitor?: SnapshotMonitor | null;
}

/** The monitor's rows as plain frozen copies (it updates its records in place). */
export function monitorFields(m: SnapshotMonitor): {
  meters: readonly MeterSnapshotRow[]; alerts: readonly AlertSnapshotRow[]; baselineStatus: BaselineStatusInfo;
} {
  const meters = m.meters().map((r): MeterSnapshotRow => Object.freeze({
    name: r.name, unit: r.unit, current: r.current, low: r.low, high: r.high, deviation: r.deviation, level: r.level, learning: r.learning,
  }));
  let raised = 0;
  const alerts = m.alerts().map((a): AlertSnapshotRow => {
    raised += a.count;
    return Object.freeze({
      time: a.firstSeen,
      kind: a.kind,
      subject: escapeForTerminal(a.subject),
      severity: a.severity,
      firstSeen: a.firstSeen,
      lastSeen: a.lastSeen,
      observed: a.observed,
      expected: a.expected,
      message: escapeForTerminal(a.message),
      count: a.count,
      active: a.active,
    });
  });
  const st = m.status();
  const baselineStatus: BaselineStatusInfo = Object.freeze({
    learning: st.learning,
    learned: st.learned,
    learnedFrom: st.learnedFrom,
    learningLeftSec: st.learningLeftSec,
    note: escapeForTerminal(st.note),
    alertsRaised: raised,
  });
  return { meters: Object.freeze(meters), alerts: Object.freeze(alerts), baselineStatus };
}

/** Divides window sums: the window, shortened while the capture is younger than it. */
class Windows {
  readonly nowSec: number;
  readonly d2: number;
  readonly d10: number;
  readonly d40: number;
  readonly raw2: number;
  constructor(e: Engine) {
    // Windows end before the second in progress; once the source has ended no second is in
    // progress, and the capture's last (partial) second counts like the others.
    this.nowSec = Math.floor(e.clock) + (e.source.ended ? 1 : 0);
    const start = Math.floor(e.displaySince ?? e.firstRead ?? e.clock);
    const age = Math.max(1, this.nowSec - start);
    this.d2 = Math.min(2, age);
    this.d10 = Math.min(10, age);
    this.d40 = Math.min(40, age);
    this.raw2 = Math.min(2, Math.max(1, this.nowSec - Math.floor(e.firstRead ?? e.clock)));
  }

  /** The ring summed last and its sums (RatePool.sums3): a row asks for series 0, then 1, of one ring. */
  private sumsPool: RatePool | null = null;
  private sumsRing = -1;
  private readonly sums = new Float64Array(6);

  triple(pool: RatePool | null, ring: number, series: number): RateTriple {
    if (pool === null || ring < 0) return ZERO;
    if (pool !== this.sumsPool || ring !== this.sumsRing) {
      pool.sums3(ring, this.nowSec, 2, 10, 40, this.sums);
      this.sumsPool = pool;
      this.sumsRing = ring;
    }
    const k = series * 3;
    return { r2: this.sums[k]! / this.d2, r10: this.sums[k + 1]! / this.d10, r40: this.sums[k + 2]! / this.d40 };
  }
}

const ZERO: RateTriple = Object.freeze({ r2: 0, r10: 0, r40: 0 });

const WORDS = new Uint32Array(4);

export function flowAddr(e: Engine, slot: number, side: number): string {
  return addrText(e.flows.fam(slot), e.flows.addr(slot, side, WORDS), 0);
}

export function conversationRow(e: Engine, slot: number, win: Windows): ConversationRow {
  const f = e.flows;
  const proto = f.proto(slot);
  const aPort = f.aPort(slot);
  const bPort = f.bPort(slot);
  const ring = f.ring(slot);
  const pk = f.portKey(slot);
  const vlan = f.vlan(slot);
  return {
    id: `${slot}:${f.gen[slot]}`,
    proto: ipProtoName(proto),
    a: flowAddr(e, slot, 0),
    aPort: aPort < 0 ? null : aPort,
    b: flowAddr(e, slot, 1),
    bPort: bPort < 0 ? null : bPort,
    vlan: vlan < 0 ? null : vlan,
    service: escapeForTerminal(flowService(f.appProto(slot), proto, pk >= 0 ? portKeyPort(pk) : -1)),
    aToB: win.triple(f.rates, ring, 0),
    bToA: win.triple(f.rates, ring, 1),
    aToBBytes: f.bytes(slot, 0),
    bToABytes: f.bytes(slot, 1),
    aToBPackets: f.packets(slot, 0),
    bToAPackets: f.packets(slot, 1),
    tcpState: proto === 6 ? tcpStateText(f.tcp(slot)) : '',
    firstSeen: f.first(slot),
    lastSeen: f.last(slot),
  };
}

function conversations(e: Engine, top: number, win: Windows): ConversationRow[] {
  const ids = rank(e.flows, top, win.nowSec);
  return ids.map((s) => conversationRow(e, s, win));
}

function hosts(e: Engine, top: number, win: Windows): HostRow[] {
  const h = e.hosts;
  const pool = h.rates;
  const ids = rank(h, top, win.nowSec);
  return ids.map((s) => ({
    addr: addrText(h.fam(s), h.addr(s, WORDS), 0),
    tx: win.triple(pool, h.ring(s), 0),
    rx: win.triple(pool, h.ring(s), 1),
    txBytes: h.bytes(s, 0),
    rxBytes: h.bytes(s, 1),
    txPackets: h.packets(s, 0),
    rxPackets: h.packets(s, 1),
    firstSeen: h.first(s),
    lastSeen: h.last(s),
  }));
}

function ports(e: Engine, top: number, win: Windows): PortRow[] {
  const t = e.ports;
  const pool = t.rates;
  // Only keys that have packets (a few hundred), not all 196,864: this runs 4 times a second.
  const keys = t.usedKeys;
  const n = t.usedCount;
  const heap = heapScratch.reset(top > 0 ? top : Math.max(1, n));
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const r = t.ring[k]!;
    heap.push(k, pool !== null && r >= 0 ? pool.sum(r, 0, win.nowSec, 10) : 0, t.bytes[k]!);
  }
  const ids = heap.result();
  return ids.map((k) => {
    const proto = portKeyProto(k);
    const port = portKeyPort(k);
    const name = ipProtoName(proto);
    return {
      key: port < 0 ? name : `${name}/${port}`,
      proto: name,
      port: port < 0 ? null : port,
      service: portService(proto, port),
      rate: win.triple(pool, t.ring[k]!, 0),
      bytes: t.bytes[k]!,
      packets: t.packets[k]!,
      flows: t.flows[k]!,
    };
  });
}

/** Per-path totals added up the hierarchy (as tshark -z io,phs counts), sorted by path. */
export function protocolTotals(e: Engine, nowSec = -1, w = 2): { path: string; packets: number; bytes: number; pps: number; bps: number }[] {
  const pc = e.protos;
  const n = pc.size;
  const pk = new Float64Array(n);
  const by = new Float64Array(n);
  const rp = new Float64Array(n);
  const rb = new Float64Array(n);
  for (let id = 1; id < n; id++) {
    const p = pc.packets[id]!;
    if (p === 0) continue;
    const b = pc.bytes[id]!;
    const xp = nowSec >= 0 ? pc.rate(id, 0, nowSec, 2) : 0;
    const xb = nowSec >= 0 ? pc.rate(id, 1, nowSec, 2) : 0;
    for (let a = id; a !== 0; a = e.paths.parent(a)) {
      pk[a]! += p;
      by[a]! += b;
      rp[a]! += xp;
      rb[a]! += xb;
    }
  }
  const out: { path: string; packets: number; bytes: number; pps: number; bps: number }[] = [];
  for (let id = 1; id < n; id++) {
    if (pk[id] === 0) continue;
    out.push({ path: e.paths.name(id), packets: pk[id]!, bytes: by[id]!, pps: rp[id]! / w, bps: (rb[id]! * 8) / w });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

function focus(e: Engine, win: Windows): FocusDetail | null {
  const slot = e.focus.slot;
  if (slot < 0 || !e.flows.isLive(slot) || e.flows.gen[slot] !== e.focus.gen) return null;
  const conversation = conversationRow(e, slot, win);
  const ipProto = e.flows.proto(slot);
  const name = ipProtoName(ipProto);
  const recentPackets = e.focus.entries().map((p) => ({
    time: p.time,
    src: p.dir === 0 ? conversation.a : conversation.b,
    dst: p.dir === 0 ? conversation.b : conversation.a,
    len: p.len,
    info: focusInfo(p, ipProto, name),
  }));
  return { conversation, recentPackets };
}

/** The focus detail alone (Engine.refocus: a focus change while paused). */
export function focusDetail(e: Engine): FocusDetail | null {
  return focus(e, new Windows(e));
}

export function sourceInfo(e: Engine): SourceInfo {
  const s = e.source;
  return {
    kind: s.kind,
    name: s.name,
    captureFilter: e.captureFilterText,
    displayFilter: e.displayFilterText,
    linkTypes: [...s.linkTypes],
    ended: s.ended,
    dropped: s.dropped,
    dropNote: s.dropNote,
    warnings: [...s.warnings],
  };
}

export function buildSnapshot(e: Engine, seq: number, opts: SnapshotOptions): Snapshot {
  const top = opts.top ?? 500;
  const win = new Windows(e);
  const d2 = win.d2;
  const rawP = e.rawRate.sum(0, 0, win.nowSec, 2);
  const rawB = e.rawRate.sum(0, 1, win.nowSec, 2);
  const fP = e.rate.sum(0, 0, win.nowSec, 2);
  const fB = e.rate.sum(0, 1, win.nowSec, 2);
  const totalBytes = e.bytes;
  const protocols: ProtocolRow[] = protocolTotals(e, win.nowSec, d2).map((r) => ({
    ...r,
    share: totalBytes > 0 ? r.bytes / totalBytes : 0,
  }));
  const snap: Snapshot = {
    seq,
    time: e.clock,
    firstSeen: e.firstRead,
    source: sourceInfo(e),
    totals: {
      packetsRead: e.packetsRead,
      bytesRead: e.bytesRead,
      packets: e.packets,
      bytes: e.bytes,
      malformed: e.malformed,
      flowsTracked: e.flows.count,
      flowsEvicted: e.flows.evicted,
      flowsExpired: e.flows.expired,
      hostsTracked: e.hosts.count,
      hostsEvicted: e.hosts.evicted,
    },
    pps: fP / d2,
    bps: (fB * 8) / d2,
    // The unfiltered rate never restarts with the display filter: its window is the capture's age.
    rawPps: rawP / win.raw2,
    rawBps: (rawB * 8) / win.raw2,
    hosts: hosts(e, top, win),
    conversations: conversations(e, top, win),
    ports: ports(e, top, win),
    protocols,
    history: e.protos.historyMap(win.nowSec, opts.historySeconds),
    malformedReasons: e.malformedReasons(),
    focus: focus(e, win),
    focusGone: e.focusGone(),
    paused: e.paused,
    displaySince: e.displaySince,
  };
  return Object.freeze(opts.monitor ? { ...snap, ...monitorFields(opts.monitor) } : snap);
}
