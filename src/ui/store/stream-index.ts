import { ip4ToString, ip6ToString } from '../../decode/addr.js';
import type { DecodedPacket } from '../../decode/packet.js';
import type { EngineObserver } from '../../engine/engine.js';
import type { Endpoints } from '../../streams/endpoints.js';
import type { TcpEntry, UdpEntry } from '../../streams/stream-entries.js';
import type { StreamTracker } from '../../streams/stream-tracker.js';
import type { TcpStream, UdpStream } from '../../streams/streams.js';
import type { StreamViewSource } from '../stream/stream-data.js';
import { RingRebuild, type RingStreams } from './stream-rebuild.js';

function endpointText(e: Endpoints, side: 'a' | 'b'): string {
  const port = side === 'a' ? e.aPort : e.bPort;
  const addr = e.v6 ? ip6ToString(e[side]) : ip4ToString(e[side][0]!);
  if (port < 0) return addr;
  return e.v6 ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function dropped(s: TcpStream | UdpStream): [number, number] {
  if ('halves' in s) return [s.halves[0].store.droppedBytes, s.halves[1].store.droppedBytes];
  return [s.stores[0].droppedBytes, s.stores[1].droppedBytes];
}

/** The marker's reason when part of what was not held was before the ring's oldest packet. */
function whyNotHeld(beforeRing: readonly number[], dropped: readonly number[]): string {
  const capped = dropped[0]! - beforeRing[0]! + dropped[1]! - beforeRing[1]!;
  if (beforeRing[0]! + beforeRing[1]! === 0) return 'over the stream byte limit (--stream-bytes)';
  return capped > 0 ? 'older than the packet ring or over the stream byte limit' : 'older than the packet ring (--ring-mb)';
}

/**
 * Which stream each engine flow is, so a conversation (ConversationRow.id, the engine's
 * `slot:generation`) can open its stream. An engine observer added right after the tracker: it
 * reads the tracker's verdict on the same packet. Per looked-up packet it stores three numbers
 * (none on the tracker's fast path: the slot's stream did not change).
 *
 * With `ring` the tracker runs in index mode (numbers, no data): each entry also gets the frame
 * numbers (ring tags) of its first packet and, once a new connection replaced it, its last one,
 * and a viewed stream is reassembled from the ring's packets (RingRebuild), again only when its
 * flow got new packets.
 */
export class StreamIndex implements EngineObserver {
  private proto = new Uint8Array(0);
  private stream = new Int32Array(0);
  private gen = new Uint32Array(0);
  private cached: { readonly of: TcpStream | UdpStream | TcpEntry | UdpEntry; readonly packets: number; readonly source: StreamViewSource } | null = null;
  private rebuild: RingRebuild | null = null;

  constructor(
    private tracker: StreamTracker,
    /** The engine's current generation of a flow slot (slots are reused). */
    private readonly flowGen: (slot: number) => number,
    /** The packet ring, with a tracker in index mode (`store: false`); null: the tracker reassembles. */
    private readonly ring: RingStreams | null = null,
  ) {}

  onPacket(_p: DecodedPacket, slot: number): void {
    const t = this.tracker;
    // The tracker's fast path: same flow, same stream as before, nothing to record.
    if (!t.lastSlow) return;
    if (this.ring !== null && !t.store) {
      const e = t.last as TcpEntry | UdpEntry | null;
      const tag = this.ring.frame();
      if (e !== null && e.firstTag === 0) e.firstTag = tag;
      const old = t.replaced as TcpEntry | null;
      if (old !== null) old.endTag = tag - 1;
    }
    if (slot < 0 || t.lastStream < 0) return;
    if (slot >= this.proto.length) this.grow(slot);
    this.proto[slot] = t.lastProto;
    this.stream[slot] = t.lastStream;
    this.gen[slot] = this.flowGen(slot);
  }

  onFlowRemoved(slot: number): void {
    if (slot < this.proto.length) this.proto[slot] = 0;
  }

  onReset(): void {
    this.proto.fill(0);
  }

  /**
   * Read another tracker from now on (dissection rebuilt for a replay of the kept packets); the
   * index starts empty. Re-add this observer after the new tracker.
   */
  follow(tracker: StreamTracker): void {
    this.tracker = tracker;
    this.proto.fill(0);
    this.cached = null;
    this.rebuild = null;
  }

  /** The stream of a conversation, or null; the same object while nothing new arrived. */
  source(conversationId: string): StreamViewSource | null {
    const m = /^(\d+):(\d+)$/.exec(conversationId);
    if (!m) return null;
    const slot = Number(m[1]);
    if (slot >= this.proto.length || this.proto[slot] === 0 || this.gen[slot] !== Number(m[2])) return null;
    const isTcp = this.proto[slot] === 6;
    const t = this.tracker;
    const n = this.stream[slot]!;
    const s = t.store ? (isTcp ? t.tcp : t.udp)[n] ?? null : (isTcp ? t.tcpEntries : t.udpEntries)[n] ?? null;
    if (s === null) return null;
    t.syncSlot(slot);
    const c = this.cached;
    // Index mode's fast path counts a flow's packets in the flow, not the entry.
    const packets = s.packets + (t.flows?.totalPackets(slot) ?? 0);
    if (c !== null && c.of === s && c.packets === packets) return c.source;
    const source = t.store ? this.stored(s as TcpStream | UdpStream) : this.fromRing(s as TcpEntry | UdpEntry);
    this.cached = { of: s, packets, source };
    return source;
  }

  /** An index entry's stream reassembled from the ring (the same RingRebuild while it is viewed). */
  private fromRing(e: TcpEntry | UdpEntry): StreamViewSource {
    if (this.rebuild?.of !== e) this.rebuild = this.ring === null ? null : new RingRebuild(e, this.ring);
    const r = this.rebuild?.update() ?? { chunks: [], dropped: [0, 0] as [number, number], beforeRing: [0, 0] as [number, number] };
    return {
      proto: e.proto, index: e.index, client: endpointText(e.ends, 'a'), server: endpointText(e.ends, 'b'),
      chunks: r.chunks, dropped: r.dropped, droppedWhy: whyNotHeld(r.beforeRing, r.dropped),
    };
  }

  private stored(s: TcpStream | UdpStream): StreamViewSource {
    const isTcp = 'halves' in s;
    return {
      proto: isTcp ? 'tcp' : 'udp',
      index: s.index,
      client: endpointText(s.ends, 'a'),
      server: endpointText(s.ends, 'b'),
      chunks: s.chunks(),
      dropped: dropped(s),
    };
  }

  private grow(slot: number): void {
    const n = Math.max(slot + 1, this.proto.length * 2, 1024);
    const proto = new Uint8Array(n);
    const stream = new Int32Array(n);
    const gen = new Uint32Array(n);
    proto.set(this.proto);
    stream.set(this.stream);
    gen.set(this.gen);
    this.proto = proto;
    this.stream = stream;
    this.gen = gen;
  }
}

/**
 * The dashboard's wiring: one StreamIndex for the session, made from the first tracker and then
 * following each tracker a rebuilt dissection makes. Pass `after` to setupDissection, which calls
 * the index right after its tracker on every packet.
 */
export function sessionStreamIndex(flowGen: (slot: number) => number, ring: RingStreams | null): {
  readonly after: (tracker: StreamTracker) => StreamIndex;
  /** The index (null until setupDissection made the first tracker). */
  readonly index: () => StreamIndex | null;
} {
  let index: StreamIndex | null = null;
  return {
    after: (tracker) => {
      if (index === null) index = new StreamIndex(tracker, flowGen, ring);
      else index.follow(tracker);
      return index;
    },
    index: () => index,
  };
}

