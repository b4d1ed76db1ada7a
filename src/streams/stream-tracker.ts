import type { DecodedPacket } from '../decode/packet.js';
import { ByteBudget } from './byte-budget.js';
import { TcpStream, UdpStream, type ChunkListener } from './streams.js';
import { TupleIndex } from './tuple-index.js';

export interface StreamTrackerOptions {
  /** Bytes held per direction of a stream (`--stream-bytes`; each chunk also counts 64); the oldest are dropped past it. Default 1 MiB. */
  streamBytes?: number;
  /** Bytes held over all streams; the oldest anywhere are dropped past it. Default 64 MiB. */
  totalBytes?: number;
  /** Out-of-order bytes one direction may hold before its lowest hole is declared missing. Default streamBytes. */
  maxOooBytes?: number;
  /** Out-of-order fragments one direction may hold. Default 4096. */
  maxOooFragments?: number;
  /** Stream objects retained; older ones are forgotten (their numbers stay taken). Default 200000. */
  maxStreams?: number;
  /** Which streams keep data (others are only numbered and counted). Default: all. */
  keep?: (proto: 'tcp' | 'udp', index: number) => boolean;
  /** Called with every chunk of a kept stream as it is delivered. */
  onChunk?: ChunkListener;
  /** Store chunks (default true); false with onChunk streams data through without holding it. */
  storeData?: boolean;
}

export const DEFAULT_STREAM_BYTES = 1 << 20;
export const DEFAULT_TOTAL_BYTES = 64 << 20;

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
  readonly tcp: (TcpStream | null)[] = [];
  readonly udp: (UdpStream | null)[] = [];
  /** Frames seen (onPacket calls); chunk frame numbers are 1-based indexes of these. */
  frame = 0;
  /** Stream of the last packet (tcp.stream or udp.stream per lastProto), or -1. */
  lastStream = -1;
  /** 6 (TCP), 17 (UDP) or 0 for the last packet. */
  lastProto = 0;
  /** Direction of the last packet: 0 client to server, 1 server to client. */
  lastDir = 0;
  readonly budget: ByteBudget;
  private readonly tcpIndex = new TupleIndex();
  private readonly udpIndex = new TupleIndex();
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
  }

  get tcpCount(): number {
    return this.tcp.length;
  }

  get udpCount(): number {
    return this.udp.length;
  }

  onPacket(p: DecodedPacket, flowSlot = -1): void {
    this.frame++;
    this.lastStream = -1;
    this.lastProto = 0;
    if (p.isLaterFragment || p.l4Off < 0 || p.srcPort < 0 || p.dstPort < 0) return;
    if (p.ipProto === 6 && p.tcpSeq >= 0) this.onTcp(p, flowSlot);
    else if (p.ipProto === 17) this.onUdp(p, flowSlot);
  }

  /** Engine hook; nothing to do per tick. */
  onTick(_now?: number): void {}

  /** Engine hook: flow slots are about to be renumbered; drop the slot cache (streams stay). */
  onReset(): void {
    this.slotTcp.fill(0);
    this.slotUdp.fill(0);
  }

  /** Stream found by find(): its slot-cache entry (-1 none) and the packet's direction on it. */
  private cached = -1;
  private dir = -1;

  /** The known stream of this packet's conversation: by the engine's flow slot when cached, else by tuple. */
  private find<S extends TcpStream | UdpStream>(list: (S | null)[], cache: Int32Array, index: TupleIndex, p: DecodedPacket, slot: number): S | null {
    const cached = slot >= 0 && slot < cache.length ? cache[slot]! - 1 : -1;
    this.cached = cached;
    let s = cached >= 0 ? list[cached] ?? null : null;
    let d = s ? s.direction(p) : -1;
    if (d < 0) {
      const i = index.get(p);
      s = i >= 0 ? list[i] ?? null : null;
      d = s ? s.direction(p) : -1;
    }
    this.dir = d;
    return s;
  }

  private onTcp(p: DecodedPacket, slot: number): void {
    let s = this.find(this.tcp, this.slotTcp, this.tcpIndex, p, slot);
    let d = this.dir;
    const cached = this.cached;
    const flags = p.tcpFlags;
    const seq = p.tcpSeq >>> 0;
    if (s && (flags & (SYN | ACK)) === SYN) {
      const h = d === 0 ? s.h0 : s.h1;
      if (h.baseSet && h.base !== seq) s = null; // 4-tuple reused by a new connection
    }
    if (!s) {
      s = new TcpStream(this.tcp.length, p, this.budget, this.cap, this.limits, this.onChunk, this.storeData);
      d = 0;
      this.register(s, p);
    }
    if (slot >= 0 && cached !== s.index) this.cacheSlot(slot, s.index, true);
    this.markSeen(s, p, 6, d as 0 | 1);
    const keep = this.keep ? this.keep('tcp', s.index) : true;
    if (keep && s.waiting > 0 && flags & ACK && p.tcpAck >= 0) (d === 0 ? s.h1 : s.h0).acked(p.tcpAck >>> 0, this.frame, p.tsSec, p.tsNsec);
    const half = d === 0 ? s.h0 : s.h1;
    const len = p.payloadOff >= 0 ? p.payloadLen : 0;
    // tcp.len as tshark computes it: an IP total length beyond the frame's wire length is cut to the frame.
    let wire = p.payloadWireLen;
    if (p.payloadOff >= 0) {
      const avail = p.frameOff + p.origLen - p.payloadOff;
      if (avail >= len && avail < wire) wire = avail;
    }
    if (keep) half.segment(seq, flags, p.buf, p.payloadOff, len, wire, this.frame, p.tsSec, p.tsNsec);
    else half.observe(seq, flags, wire);
  }

  /** A new stream (first seen in `p`): numbered, indexed by its tuple; past maxStreams the oldest is forgotten. */
  private register(s: TcpStream | UdpStream, p: DecodedPacket): void {
    s.firstFrame = this.frame;
    s.firstTsSec = p.tsSec;
    s.firstTsNsec = p.tsNsec;
    if (s instanceof TcpStream) {
      this.tcp.push(s);
      this.tcpIndex.set(p, s.index);
      if (++this.liveTcp > this.maxStreams) this.forgetOldestTcp();
    } else {
      this.udp.push(s);
      this.udpIndex.set(p, s.index);
      if (++this.liveUdp > this.maxStreams) this.forgetOldestUdp();
    }
  }

  /** Count a packet on a stream (direction `d`) and remember it as the last one delivered. */
  private markSeen(s: TcpStream | UdpStream, p: DecodedPacket, proto: 6 | 17, d: 0 | 1): void {
    s.packets++;
    s.lastFrame = this.frame;
    s.lastTsSec = p.tsSec;
    s.lastTsNsec = p.tsNsec;
    this.lastStream = s.index;
    this.lastProto = proto;
    this.lastDir = d;
  }

  private onUdp(p: DecodedPacket, slot: number): void {
    let s = this.find(this.udp, this.slotUdp, this.udpIndex, p, slot);
    let d = this.dir;
    const cached = this.cached;
    if (!s) {
      s = new UdpStream(this.udp.length, p, this.budget, this.cap, this.onChunk, this.storeData);
      d = 0;
      this.register(s, p);
    }
    if (slot >= 0 && cached !== s.index) this.cacheSlot(slot, s.index, false);
    this.markSeen(s, p, 17, d as 0 | 1);
    const keep = this.keep ? this.keep('udp', s.index) : true;
    const len = p.payloadOff >= 0 ? p.payloadLen : 0;
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
    while (this.evictTcp < this.tcp.length && !this.tcp[this.evictTcp]) this.evictTcp++;
    const s = this.tcp[this.evictTcp];
    if (!s) return;
    for (const h of s.halves) h.store.dispose();
    this.tcp[this.evictTcp] = null;
    this.liveTcp--;
  }

  private forgetOldestUdp(): void {
    while (this.evictUdp < this.udp.length && !this.udp[this.evictUdp]) this.evictUdp++;
    const s = this.udp[this.evictUdp];
    if (!s) return;
    for (const st of s.stores) st.dispose();
    this.udp[this.evictUdp] = null;
    this.liveUdp--;
  }
}
