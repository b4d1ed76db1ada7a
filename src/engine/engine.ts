import type { PacketRecord } from '../capture/record.js';
import { Decoder } from '../decode/decoder.js';
import { DecodedPacket, MALFORMED_REASONS } from '../decode/packet.js';
import { ProtoPaths } from '../decode/proto-paths.js';
import { FlowTable, RemoveReason } from '../flows/flow-table.js';
import { HostTable } from '../flows/host-table.js';
import { PortTable, portKeyOf } from '../flows/port-table.js';
import { SecondRings } from '../flows/second-rings.js';
import { TcpNumbers } from '../flows/tcp-numbers.js';
import type { ReportV1 } from '../report/report-types.js';
import { buildReport, type ReportOptions } from '../report/build-report.js';
import type { ClassifyHook, DecoderLike, EngineObserver, EngineOptions, EngineSourceInfo, PacketPredicate } from './engine-types.js';
import { FlowFolder } from './flow-fold.js';
import { ConversationFocus } from './conversation-focus.js';
import { attach } from './observer-list.js';
import { RecentPackets } from './focus-ring.js';
import { ProtoCounters } from './proto-counters.js';
import { pickServicePort } from './service-label.js';
import type { FocusGone, Snapshot } from './snapshot.js';
import { buildSnapshot, focusDetail, type SnapshotOptions } from './snapshot-builder.js';

export type { ClassifyHook, DecoderLike, EngineObserver, EngineOptions, EngineSourceInfo, PacketPredicate } from './engine-types.js';

/**
 * The aggregation engine: decode -> capture predicate -> raw totals ->
 * display predicate -> protocols, flows, hosts, ports -> observers.
 * Everything per packet works on typed arrays; strings are made only in
 * snapshot() and report().
 */
export class Engine {
  readonly paths: ProtoPaths;
  readonly decoder: DecoderLike;
  readonly packet = new DecodedPacket();
  readonly flows: FlowTable;
  readonly hosts: HostTable;
  readonly ports: PortTable;
  readonly protos: ProtoCounters;
  readonly idleTimeoutSec: number;
  readonly openTcpTimeoutSec: number;
  private readonly withRates: boolean;
  /** Raw (before display filter) and filtered packet/byte rates: series 0 packets, 1 bytes. */
  readonly rawRate = new SecondRings(2, 40);
  readonly rate = new SecondRings(2, 40);
  readonly malformedByReason = new Float64Array(Math.max(64, MALFORMED_REASONS.length));

  packetsRead = 0;
  bytesRead = 0;
  packets = 0;
  bytes = 0;
  malformed = 0;
  /** Packet clock: the latest packet time seen (or wall time pushed by advanceClock). */
  clock = 0;
  private clockSec = -1;
  /** The packet being counted's time in float seconds (computed once; a double field is stored unboxed). */
  private pktTime = 0;
  /** The last second replayDisplayed expired flows at (since the last display filter change). */
  private replaySec = -1;
  /** The second hosts, ports and rate rings are counting in: the packet clock's, or the replayed one's. */
  private countSec = 0;
  /** Time of the first packet read, and first/last counted (after the display filter). */
  // NaN rather than null while unknown: a field that holds null and numbers
  // boxes every double stored into it, which was one allocation per packet.
  private tFirstRead = NaN;
  private tFirstSeen = NaN;
  private tLastSeen = NaN;
  get firstRead(): number | null {
    return Number.isNaN(this.tFirstRead) ? null : this.tFirstRead;
  }
  get firstSeen(): number | null {
    return Number.isNaN(this.tFirstSeen) ? null : this.tFirstSeen;
  }
  get lastSeen(): number | null {
    return Number.isNaN(this.tLastSeen) ? null : this.tLastSeen;
  }
  /** Capture time when the current display filter took effect. */
  displaySince: number | null = null;

  capturePredicate: PacketPredicate | null;
  captureFilterText: string | null;
  displayPredicate: PacketPredicate | null;
  classify: ClassifyHook | null;
  displayFilterText: string | null;
  source: EngineSourceInfo = {
    kind: 'file', name: '', linkTypes: [], packetsRead: 0, bytesRead: 0, truncated: false,
    warnings: [], ended: false, dropped: null, dropNote: null,
  };
  paused = false;
  private seq = 0;
  private readonly observers: EngineObserver[] = [];
  private readonly preFilter: EngineObserver[] = [];
  /** The pre-filter observers that asked for onTick. */
  private readonly preFilterTicks: EngineObserver[] = [];
  private readonly conv = new ConversationFocus();
  /** The focused conversation's packets (see setFocus). */
  readonly focus = this.conv.ring;
  /** The last few thousand packets of all flows (see EngineOptions.recentPackets). */
  readonly recent: RecentPackets;
  private readonly recordRecent: boolean;
  private readonly folder: FlowFolder;
  /**
   * The numbers tshark shows for the packet being counted (relative seq/ack, window scale), from
   * every captured packet before the display filter; null when not followed (EngineOptions.tcpNumbers).
   * A replayed packet's come from where they were kept (Runtime: the ring), via `tcp.assign`.
   */
  readonly tcp: TcpNumbers | null;

  constructor(opts: EngineOptions = {}) {
    this.decoder = opts.decoder ?? new Decoder();
    this.paths = this.decoder.paths;
    const rates = opts.rates !== false;
    this.flows = new FlowTable({
      maxFlows: opts.maxFlows,
      rates,
      onRemove: (slot, reason) => this.flowRemoved(slot, reason),
      // without idle expiry the activity order is needed only once the table is full
      lazyOrder: (opts.idleTimeoutSec ?? 300) <= 0,
    });
    this.hosts = new HostTable({ maxHosts: opts.maxHosts ?? opts.maxFlows, rates });
    this.ports = new PortTable(rates);
    this.protos = new ProtoCounters(this.paths, rates);
    this.withRates = rates;
    this.recent = new RecentPackets(Math.max(1, opts.recentPackets ?? 4096));
    this.recordRecent = opts.recentPackets !== 0;
    this.tcp = (opts.tcpNumbers ?? this.recordRecent) ? new TcpNumbers() : null;
    this.folder = new FlowFolder(this.flows, this.hosts, this.ports);
    this.idleTimeoutSec = opts.idleTimeoutSec ?? 300;
    this.openTcpTimeoutSec = Math.max(opts.openTcpTimeoutSec ?? 3600, this.idleTimeoutSec);
    this.capturePredicate = opts.capturePredicate ?? null;
    this.captureFilterText = opts.captureFilterText ?? null;
    this.displayPredicate = opts.displayPredicate ?? null;
    this.classify = opts.classify ?? null;
    this.displayFilterText = opts.displayFilterText ?? null;
  }

  /** Observers after the display filter: they see the packets counted, with their flow slot. */
  addObserver(o: EngineObserver): () => void {
    return attach(o, this.observers);
  }

  /**
   * Observers that must see packets before the display filter: a dissector
   * filling application fields that the filter reads, or the baseline monitor
   * (baselines describe the network, not the filtered view). They get every
   * packet that passed the capture predicate, with flowSlot -1 (the flow is
   * not looked up yet). They never get onFlowRemoved/onReset; they get
   * onTick only with `{ ticks: true }`.
   */
  addPreFilterObserver(o: EngineObserver, opts: { ticks?: boolean } = {}): () => void {
    return opts.ticks === true ? attach(o, this.preFilter, this.preFilterTicks) : attach(o, this.preFilter);
  }

  /** Is this observer attached (before or after the display filter)? */
  hasObserver(o: EngineObserver): boolean {
    return this.observers.includes(o) || this.preFilter.includes(o);
  }

  /** Decode and count one record. */
  ingest(r: PacketRecord): void {
    this.decoder.decode(r, this.packet);
    this.ingestDecoded(this.packet);
  }

  /** Count an already decoded packet (tests and benchmarks call this directly). */
  ingestDecoded(p: DecodedPacket): void {
    if (this.capturePredicate !== null && !this.capturePredicate(p)) {
      // not captured: no numbers for it (tshark -f never sees it either)
      if (this.tcp !== null) this.tcp.tcpSeq = -1;
      return;
    }
    const t = p.tsSec + p.tsNsec / 1e9;
    this.pktTime = t;
    const len = p.origLen;
    const sec = p.tsSec;
    this.packetsRead++;
    this.bytesRead += len;
    if (this.packetsRead === 1) this.tFirstRead = t;
    if (t > this.clock) {
      this.clock = t;
      if (sec > this.clockSec) this.newSecond(sec);
    }
    if (this.withRates) this.rawRate.add2(0, sec, 1, len);
    if (p.malformed !== 0) {
      this.malformed++;
      this.malformedByReason[p.malformed < this.malformedByReason.length ? p.malformed : 0]! += 1;
    }
    if (this.tcp !== null) this.tcp.observe(p);
    if (this.classify !== null) this.classify(p, this.flows.find(p), this.flows.dir);
    const pre = this.preFilter;
    for (let i = 0; i < pre.length; i++) pre[i]!.onPacket(p, -1);
    if (this.displayPredicate !== null && !this.displayPredicate(p)) {
      this.flows.dropFind();
      return;
    }
    this.countDisplayed(p);
  }

  /**
   * Count a kept packet again after the display filter changed (Runtime replays its ring of raw
   * packets through this): decode, capture predicate, classify hook, display predicate, then the
   * filtered counting and the observers after the filter, as ingest does. The raw totals, the
   * malformed counts, the packet clock and the observers before the filter (the baseline monitor)
   * are left alone: they saw this packet when it was read. Flows idle past the timeouts are
   * expired per replayed second, as the clock did the first time.
   */
  replayDisplayed(r: PacketRecord): void {
    const p = this.packet;
    this.decoder.decode(r, p);
    if (this.capturePredicate !== null && !this.capturePredicate(p)) return;
    const sec = p.tsSec;
    this.pktTime = sec + p.tsNsec / 1e9;
    if (sec > this.replaySec) {
      if (this.withRates && this.replaySec >= 0) this.folder.foldAll(this.countSec);
      this.replaySec = this.countSec = sec;
      if (this.idleTimeoutSec > 0) this.flows.expireBefore(sec - this.idleTimeoutSec, sec - this.openTcpTimeoutSec);
    }
    if (this.classify !== null) this.classify(p, this.flows.find(p), this.flows.dir);
    if (this.displayPredicate !== null && !this.displayPredicate(p)) {
      this.flows.dropFind();
      return;
    }
    this.countDisplayed(p);
  }

  /** The part of ingest after the display filter: filtered totals, protocols, flows, hosts, ports, observers. */
  private countDisplayed(p: DecodedPacket): void {
    const t = this.pktTime;
    const len = p.origLen;
    const sec = p.tsSec;
    this.packets++;
    this.bytes += len;
    if (!(t >= this.tFirstSeen)) this.tFirstSeen = t;
    if (!(t <= this.tLastSeen)) this.tLastSeen = t;
    if (this.withRates) this.rate.add2(0, sec, 1, len);
    this.protos.add(p.pathId, len, sec);

    const flows = this.flows;
    const slot = flows.track(p);
    if (slot >= 0) {
      const dir = flows.dir;
      if (flows.isNew) {
        const proto = p.ipProto;
        const pk = portKeyOf(proto, pickServicePort(proto, flows.aPort(slot), flows.bPort(slot)));
        flows.setPortKey(slot, pk);
        this.ports.flows[pk]! += 1;
      }
      if (this.recordRecent) this.recent.record(p, dir, slot, flows.gen, this.tcp);
      if (slot === this.focus.slot && flows.gen[slot] === this.focus.gen) this.focus.record(p, dir, this.tcp);
    }
    const obs = this.observers;
    for (let i = 0; i < obs.length; i++) obs[i]!.onPacket(p, slot);
  }

  /** Move the packet clock forward without a packet (idle live capture). */
  advanceClock(t: number): void {
    if (t <= this.clock) return;
    this.clock = t;
    const sec = Math.floor(t);
    if (sec > this.clockSec) this.newSecond(sec);
  }

  private newSecond(sec: number): void {
    // per-second rate buckets need a fold per second; without rates (report) the
    // snapshot or report at the end folds once, which is cheaper still
    if (this.withRates && this.clockSec >= 0) this.folder.foldAll(this.countSec);
    this.clockSec = this.countSec = sec;
    if (this.idleTimeoutSec > 0) this.flows.expireBefore(sec - this.idleTimeoutSec, sec - this.openTcpTimeoutSec);
    const pre = this.preFilterTicks;
    for (let i = 0; i < pre.length; i++) pre[i]!.onTick?.(sec);
    const obs = this.observers;
    for (let i = 0; i < obs.length; i++) obs[i]!.onTick?.(sec);
  }

  private flowRemoved(slot: number, reason: number): void {
    // what it counted since the last fold still belongs to its hosts and port
    if (reason !== RemoveReason.Cleared) this.folder.fold(slot, this.countSec);
    this.conv.removed(slot, reason);
    const obs = this.observers;
    for (let i = 0; i < obs.length; i++) obs[i]!.onFlowRemoved?.(slot);
  }

  /** Set by the dissection layer when it recognises a flow's application protocol. */
  setAppProto(slot: number, proto: number): void {
    this.flows.setAppProto(slot, proto);
  }

  /**
   * Change the display filter at runtime. The filtered aggregates (flows,
   * hosts, ports, protocols, filtered totals) restart from zero; raw totals go on.
   * A Runtime with a ring then replays the kept packets (replayDisplayed) and sets displaySince.
   */
  setDisplayFilter(pred: PacketPredicate | null, text: string | null): void {
    this.replaySec = -1;
    this.displayPredicate = pred;
    this.displayFilterText = pred === null ? null : text;
    this.resetFiltered();
    this.displaySince = this.firstRead === null ? null : this.clock;
  }

  private resetFiltered(): void {
    this.conv.reset();
    this.recent.clear();
    this.flows.clear();
    this.hosts.clear();
    this.ports.clear();
    this.protos.clear();
    this.rate.clear();
    this.packets = 0;
    this.bytes = 0;
    this.tFirstSeen = this.tLastSeen = NaN;
    for (const o of this.observers) o.onReset?.();
  }

  /**
   * Carry the detail of one conversation (id from ConversationRow.id) in
   * snapshots, with its recent packets: those the recent-packet ring still
   * holds, then each new one. null stops it. Returns false when the id is not
   * a tracked conversation; snapshots then carry `focusGone` saying why (they
   * also do when the conversation goes later, until the next setFocus).
   */
  setFocus(convId: string | null): boolean {
    return this.conv.set(convId, this.flows, this.recent);
  }

  /** Why the focused conversation is not tracked, or null (none focused, or it is). */
  focusGone(): FocusGone | null {
    return this.conv.gone();
  }

  /**
   * `prev` with `focus` and `focusGone` rebuilt from the engine now and a new
   * seq; everything else (the counts) stays as it was. The runtime publishes
   * this for a focus change while paused.
   */
  refocus(prev: Snapshot): Snapshot {
    return Object.freeze({ ...prev, seq: ++this.seq, focus: focusDetail(this), focusGone: this.focusGone() });
  }

  setSource(info: Partial<EngineSourceInfo>): void {
    this.source = { ...this.source, ...info };
  }

  /** Malformed reason counts that are not zero. */
  malformedReasons(): { reason: string; count: number }[] {
    const out: { reason: string; count: number }[] = [];
    for (let i = 1; i < this.malformedByReason.length; i++) {
      const n = this.malformedByReason[i]!;
      if (n > 0) out.push({ reason: MALFORMED_REASONS[i] ?? `reason ${i}`, count: n });
    }
    return out;
  }

  /**
   * Bring hosts, ports and rate rings up to date with the flows (see FlowFolder).
   * snapshot() and report() do it; call it before reading those tables directly.
   */
  fold(): void {
    this.folder.foldAll(this.countSec);
  }

  snapshot(opts: SnapshotOptions = {}): Snapshot {
    this.fold();
    return buildSnapshot(this, ++this.seq, opts);
  }

  report(opts: ReportOptions): ReportV1 {
    // at most two new hosts per flow
    this.hosts.reserve(this.hosts.count + 2 * this.flows.count);
    this.fold();
    return buildReport(this, opts);
  }
}
