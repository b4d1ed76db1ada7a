import { ip4ToString, ip6ToString } from '../../decode/addr.js';
import type { DecodedPacket } from '../../decode/packet.js';
import type { EngineObserver } from '../../engine/engine.js';
import type { Endpoints } from '../../streams/endpoints.js';
import type { StreamTracker } from '../../streams/stream-tracker.js';
import type { TcpStream, UdpStream } from '../../streams/streams.js';
import type { StreamViewSource } from '../stream/stream-data.js';

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

/**
 * Which reassembled stream each engine flow is, so a conversation (ConversationRow.id, the engine's
 * `slot:generation`) can open its stream. An engine observer added right after the tracker: it
 * reads the tracker's verdict on the same packet. Per packet it stores three numbers.
 */
export class StreamIndex implements EngineObserver {
  private proto = new Uint8Array(0);
  private stream = new Int32Array(0);
  private gen = new Uint32Array(0);
  private cached: { readonly of: TcpStream | UdpStream; readonly packets: number; readonly source: StreamViewSource } | null = null;

  constructor(
    private tracker: StreamTracker,
    /** The engine's current generation of a flow slot (slots are reused). */
    private readonly flowGen: (slot: number) => number,
  ) {}

  onPacket(_p: DecodedPacket, slot: number): void {
    const t = this.tracker;
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
  }

  /** The stream of a conversation, or null; the same object while nothing new arrived. */
  source(conversationId: string): StreamViewSource | null {
    const m = /^(\d+):(\d+)$/.exec(conversationId);
    if (!m) return null;
    const slot = Number(m[1]);
    if (slot >= this.proto.length || this.proto[slot] === 0 || this.gen[slot] !== Number(m[2])) return null;
    const isTcp = this.proto[slot] === 6;
    const s = (isTcp ? this.tracker.tcp : this.tracker.udp)[this.stream[slot]!] ?? null;
    if (s === null) return null;
    const c = this.cached;
    if (c !== null && c.of === s && c.packets === s.packets) return c.source;
    const source: StreamViewSource = {
      proto: isTcp ? 'tcp' : 'udp',
      index: s.index,
      client: endpointText(s.ends, 'a'),
      server: endpointText(s.ends, 'b'),
      chunks: s.chunks(),
      dropped: dropped(s),
    };
    this.cached = { of: s, packets: s.packets, source };
    return source;
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
