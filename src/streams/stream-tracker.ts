import type { DecodedPacket } from '../decode/packet.js';
import { ByteBudget } from './byte-budget.js';
import { TcpEntry, UdpEntry } from './stream-entries.js';
import { TcpStream, UdpStream, type ChunkListener, type Conversation } from './streams.js';
import { SlotStreams, type SlotFlows } from './slot-streams.js';
import { DEFAULT_STREAM_BYTES, DEFAULT_TOTAL_BYTES, type StreamTrackerOptions } from './stream-tracker-options.js';
import { indexAll, TupleIndex } from './tuple-index.js';

export type { StreamTrackerOptions } from './stream-tracker-options.js';

type AnyTcp = TcpStream | TcpEntry;
type AnyUdp = UdpStream | UdpEntry;

export type { SlotFlows } from './slot-streams.js';

export { DEFAULT_STREAM_BYTES, DEFAULT_TOTAL_BYTES };

const SYN = 2;
const ACK = 16;

/**
 * Numbers TCP streams and UDP conversations in first-seen order, as tshark's
 * tcp.stream and udp.stream do (a pure SYN with a new initial sequence number
 * on a known 4-tuple starts a new TCP stream), and reassembles their data.
 *
 * It is an engine observer (`onPacket(p, flowSlot)`) and also runs offline
 * (call onPacket for every decoded packet of a file). Per packet it allocates
 * nothing (a new stream allocates its objects; the engine's flow slot, when
 * given, skips the tuple lookup); payload bytes new to a stream are copied
 * into the shared ring (ByteBudget).
 */
export class StreamTracker {
  /** Reassembled streams by number (store mode; empty in index mode). */
  readonly tcp: (TcpStream | null)[];
  readonly udp: (UdpStream | null)[];
  /** Counted streams by number (index mode; empty in store mode). */
  readonly tcpEntries: readonly (TcpEntry | null)[];
  readonly udpEntries: readonly (UdpEntry | null)[];
  /** The stream of the last packet (null if none): a TcpStream/UdpStream, or an entry in index mode. */
  last: Conversation | null = null;
  /** See StreamTrackerOptions.store. */
  readonly store: boolean;
  // Both lists hold one mode's objects only: `tcp`/`udp` or the entries are these same arrays.
  private readonly tcpAll: (AnyTcp | null)[] = [];
  private readonly udpAll: (AnyUdp | null)[] = [];
  /** Frames seen (onPacket calls); chunk frame numbers are 1-based indexes of these. */
  frame = 0;
  /** Stream of the last packet (tcp.stream or udp.stream per lastProto), or -1. */
  lastStream = -1;
  /** 6 (TCP), 17 (UDP) or 0 for the last packet. */
  lastProto = 0;
  /** Direction of the last packet: 0 client to server, 1 server to client. */
  lastDir = 0;
  /**
   * The last packet went through the stream lookup (false: the per-slot fast path of index mode,
   * where `last` is null and nothing changed: same slot, same stream as its flow's previous packet).
   */
  lastSlow = true;
  /** The stream the last packet replaced on its 4-tuple (a new TCP connection), else null. */
  replaced: Conversation | null = null;
  /** See StreamTrackerOptions.flows (null in store mode). */
  readonly flows: SlotFlows | null;
  /** Index mode's per-flow-slot fast path (with flows). */
  private readonly slots: SlotStreams | null;
  readonly budget: ByteBudget;
  private readonly tcpIndex = new TupleIndex();
  private readonly udpIndex = new TupleIndex();
  /**
   * Are the tuple indexes kept? With the engine's flows (index mode) they start unkept: while no
   * flow has left the table and no packet had a VLAN tag, a packet of a new flow cannot be on a
   * stream seen before (its 4-tuple would have found that flow), and any other packet finds its
   * stream by slot. The first flow removal, reset or VLAN tag fills them from the streams (once).
   */
  private indexed: boolean;
  private slotTcp = new Int32Array(0);
  private slotUdp = new Int32Array(0);
  private readonly cap: number;
  private readonly limits: { maxOooBytes: number; maxOooFragments: number };
  private readonly maxStreams: number;
  private readonly keep: ((proto: 'tcp' | 'udp', index: number) => boolean) | undefined;
  private readonly onChunk: ChunkListener | null;
  private readonly storeData: boolean;
  private evictTcp = 0;
  private evictUdp = 0;
  private liveTcp = 0;
  private liveUdp = 0;

  constructor(opts: StreamTrackerOptions = {}) {
    this.cap = opts.streamBytes ?? DEFAULT_STREAM_BYTES;
    this.budget = new ByteBudget(opts.totalBytes ?? DEFAULT_TOTAL_BYTES);
    this.limits = { maxOooBytes: opts.maxOooBytes ?? this.cap, maxOooFragments: opts.maxOooFragments ?? 4096 };
    this.maxStreams = opts.maxStreams ?? 200_000;
    this.keep = opts.keep;
    this.onChunk = opts.onChunk ?? null;
    this.storeData = opts.storeData ?? true;
    this.store = opts.store ?? true;
    this.flows = this.store ? null : opts.flows ?? null;
    this.tcp = this.store ? this.tcpAll as (TcpStream | null)[] : [];
    this.udp = this.store ? this.udpAll as (UdpStream | null)[] : [];
    this.tcpEntries = this.store ? [] : this.tcpAll as (TcpEntry | null)[];
    this.udpEntries = this.store ? [] : this.udpAll as (UdpEntry | null)[];
    this.slots = this.flows === null ? null : new SlotStreams(this.flows, this.tcpEntries, this.udpEntries);
    this.indexed = this.slots === null;
  }

  get tcpCount(): number {
    return this.tcpAll.length;
  }

  get udpCount(): number {
    return this.udpAll.length;
  }

  onPacket(p: DecodedPacket, flowSlot = -1): void {
    this.frame++;
    this.last = null;
    this.replaced = null;
    const k = this.slots;
    if (p.isLaterFragment || p.l4Off < 0 || p.srcPort < 0 || p.dstPort < 0) {
      this.lastStream = -1;
      this.lastProto = 0;
      this.lastSlow = true;
      return;
    }
    if (k !== null && flowSlot >= 0) {
      const n = k.known(p, flowSlot);
      if (n >= 0) {
        this.lastStream = n;
        this.lastProto = k.proto;
        this.lastDir = k.dir;
        this.lastSlow = false;
        return;
      }
    }
    this.lastStream = -1;
    this.lastProto = 0;
    this.lastSlow = true;
    if (p.ipProto === 6 && p.tcpSeq >= 0) this.onTcp(p, flowSlot);
    else if (p.ipProto === 17) this.onUdp(p, flowSlot);
  }

  /** Engine hook; nothing to do per tick. */
  onTick(_now?: number): void {}

  /** Engine hook: a flow left its slot; the next flow there is looked up (it is new anyway: this is a guard). */
  onFlowRemoved(slot: number): void {
    this.slots?.unbind(slot);
    if (!this.indexed) this.fillIndexes();
  }

  /**
   * Index mode with flows: bring the entry of the stream a flow slot is on up to date with what the
   * fast path kept per slot. Call before reading an entry's span(), expected() or UDP bytes.
   */
  syncSlot(slot: number): void {
    this.slots?.sync(slot);
  }

  /** Engine hook: flow slots are about to be renumbered; drop the slot cache (streams stay). */
  onReset(): void {
    this.slotTcp.fill(0);
    this.slotUdp.fill(0);
    this.slots?.reset();
    if (!this.indexed) this.fillIndexes();
  }

  /** Index every stream held by its tuple (the newest stream of a tuple wins, as register() does). */
  private fillIndexes(): void {
    this.indexed = true;
    indexAll(this.tcpAll, this.tcpIndex);
    indexAll(this.udpAll, this.udpIndex);
  }

  /** Stream found by find(): its slot-cache entry (-1 none) and the packet's direction on it. */
  private cached = -1;
  private dir = -1;

  /** The known stream of this packet's conversation: by the engine's flow slot when cached, else by tuple. */
  private find<S extends AnyTcp | AnyUdp>(list: (S | null)[], cache: Int32Array, index: TupleIndex, p: DecodedPacket, slot: number): S | null {
    const cached = slot >= 0 && slot < cache.length ? cache[slot]! - 1 : -1;
    this.cached = cached;
    let s = cached >= 0 ? list[cached] ?? null : null;
    let d = s ? s.direction(p) : -1;
    if (d < 0 && !this.indexed && p.vlanId >= 0) this.fillIndexes();
    if (d < 0 && this.indexed) {
      const i = index.get(p);
      s = i >= 0 ? list[i] ?? null : null;
      d = s ? s.direction(p) : -1;
    }
    this.dir = d;
    return s;
  }

  private onTcp(p: DecodedPacket, slot: number): void {
    let s = this.find(this.tcpAll, this.slotTcp, this.tcpIndex, p, slot);
    let d = this.dir;
    const cached = this.cached;
    const flags = p.tcpFlags;
    const seq = p.tcpSeq >>> 0;
    if (s && (flags & (SYN | ACK)) === SYN) {
      const base = s.baseOf(d);
      if (base >= 0 && base !== seq) {
        this.replaced = s;
        s = null; // 4-tuple reused by a new connection
      }
    }
    if (!s) {
      const n = this.tcpAll.length;
      s = this.store ? new TcpStream(n, p, this.budget, this.cap, this.limits, this.onChunk, this.storeData) : new TcpEntry(n, p);
      d = 0;
      this.register(s, p, 6);
    }
    if (slot >= 0 && cached !== s.index) this.cacheSlot(slot, s.index, true);
    this.markSeen(s, p, 6, d as 0 | 1);
    const len = p.payloadOff >= 0 ? p.payloadLen : 0;
    // tcp.len as tshark computes it: an IP total length beyond the frame's wire length is cut to the frame.
    let wire = p.payloadWireLen;
    if (p.payloadOff >= 0) {
      const avail = p.frameOff + p.origLen - p.payloadOff;
      if (avail >= len && avail < wire) wire = avail;
    }
    if (s instanceof TcpEntry) {
      s.segment(d, seq, flags, wire, len);
      if (this.slots !== null && slot >= 0) this.slots.bind(slot, s, d);
    } else this.reassemble(s, d, p, seq, len, wire);
  }

  private reassemble(s: TcpStream, d: number, p: DecodedPacket, seq: number, len: number, wire: number): void {
    const flags = p.tcpFlags;
    const keep = this.keep ? this.keep('tcp', s.index) : true;
    if (keep && s.waiting > 0 && flags & ACK && p.tcpAck >= 0) (d === 0 ? s.h1 : s.h0).acked(p.tcpAck >>> 0, this.frame, p.tsSec, p.tsNsec);
    const half = d === 0 ? s.h0 : s.h1;
    if (keep) half.segment(seq, flags, p.buf, p.payloadOff, len, wire, this.frame, p.tsSec, p.tsNsec);
    else half.observe(seq, flags, wire);
  }

  /** A new stream (first seen in `p`): numbered, indexed by its tuple; past maxStreams the oldest is forgotten. */
  private register(s: AnyTcp | AnyUdp, p: DecodedPacket, proto: 6 | 17): void {
    s.firstFrame = this.frame;
    s.firstTsSec = p.tsSec;
    s.firstTsNsec = p.tsNsec;
    if (proto === 6) {
      this.tcpAll.push(s as AnyTcp);
      if (this.indexed) this.tcpIndex.set(p, s.index);
      if (++this.liveTcp > this.maxStreams) this.forgetOldestTcp();
    } else {
      this.udpAll.push(s as AnyUdp);
      if (this.indexed) this.udpIndex.set(p, s.index);
      if (++this.liveUdp > this.maxStreams) this.forgetOldestUdp();
    }
  }

  /** Count a packet on a stream (direction `d`) and remember it as the last one delivered. */
  private markSeen(s: AnyTcp | AnyUdp, p: DecodedPacket, proto: 6 | 17, d: 0 | 1): void {
    s.packets++;
    s.lastFrame = this.frame;
    s.lastTsSec = p.tsSec;
    s.lastTsNsec = p.tsNsec;
    this.lastStream = s.index;
    this.lastProto = proto;
    this.lastDir = d;
    this.last = s;
  }

  private onUdp(p: DecodedPacket, slot: number): void {
    let s = this.find(this.udpAll, this.slotUdp, this.udpIndex, p, slot);
    let d = this.dir;
    const cached = this.cached;
    if (!s) {
      const n = this.udpAll.length;
      s = this.store ? new UdpStream(n, p, this.budget, this.cap, this.onChunk, this.storeData) : new UdpEntry(n, p);
      d = 0;
      this.register(s, p, 17);
    }
    if (slot >= 0 && cached !== s.index) this.cacheSlot(slot, s.index, false);
    this.markSeen(s, p, 17, d as 0 | 1);
    const len = p.payloadOff >= 0 ? p.payloadLen : 0;
    if (s instanceof UdpEntry) {
      s.datagram(d, len);
      if (this.slots !== null && slot >= 0) this.slots.bind(slot, s, d);
      return;
    }
    const keep = this.keep ? this.keep('udp', s.index) : true;
    s.datagram(d as 0 | 1, p.buf, p.payloadOff, len, this.frame, p.tsSec, p.tsNsec, keep);
  }

  private cacheSlot(slot: number, index: number, tcp: boolean): void {
    let arr = tcp ? this.slotTcp : this.slotUdp;
    if (slot >= arr.length) {
      const n = new Int32Array(Math.max(slot + 1, arr.length * 2, 1024));
      n.set(arr);
      arr = n;
      if (tcp) this.slotTcp = n;
      else this.slotUdp = n;
    }
    arr[slot] = index + 1;
  }

  private forgetOldestTcp(): void {
    this.evictTcp = this.forgetOldest(this.tcpAll, this.evictTcp);
    if (this.slots !== null) this.slots.forgotTcp = this.evictTcp;
    this.liveTcp--;
  }

  private forgetOldestUdp(): void {
    this.evictUdp = this.forgetOldest(this.udpAll, this.evictUdp);
    if (this.slots !== null) this.slots.forgotUdp = this.evictUdp;
    this.liveUdp--;
  }

  /** Forget the oldest stream still held at or after `from` (there is one); returns its number. */
  private forgetOldest(list: (Conversation | null)[], from: number): number {
    while (from < list.length && !list[from]) from++;
    list[from]?.dispose();
    list[from] = null;
    return from;
  }
}
