import type { PacketRing, RingMeta } from '../../capture/packet-ring.js';
import { PacketRecord } from '../../capture/record.js';
import { Decoder } from '../../decode/decoder.js';
import { DecodedPacket } from '../../decode/packet.js';
import type { StreamChunk } from '../../streams/chunk.js';
import type { Endpoints } from '../../streams/endpoints.js';
import { TcpEntry, type UdpEntry } from '../../streams/stream-entries.js';
import { StreamTracker } from '../../streams/stream-tracker.js';
import type { TcpStream, UdpStream } from '../../streams/streams.js';

/** Where the dashboard's kept packets are, to reassemble a stream from them when it is viewed. */
export interface RingStreams {
  readonly ring: PacketRing;
  /** Frame number of the packet being counted (Runtime.frame): the ring's tag of it. */
  readonly frame: () => number;
  /** Caps of the reassembly (StreamTrackerOptions). */
  readonly streamBytes?: number;
  readonly totalBytes?: number;
}

export interface RebuiltStream {
  /** Chunks in delivery order, sides as the index numbers them (client = first sender seen). */
  readonly chunks: readonly StreamChunk[];
  /** Per direction: bytes the index counted that the rebuilt chunks do not hold. */
  readonly dropped: [number, number];
  /** Of those, bytes that were before the ring's oldest packet (the rest: over the byte cap). */
  readonly beforeRing: [number, number];
}

/** Whether a kept packet is of the conversation (either direction; both ports may be equal). Words compare as int32, as Endpoints keeps them. */
function sameTuple(m: RingMeta, e: Endpoints): boolean {
  if (m.ipVersion !== (e.v6 ? 6 : 4)) return false;
  const s = m.src;
  const d = m.dst;
  if (m.srcPort === e.aPort && m.dstPort === e.bPort && (s[0]! | 0) === e.a0 && (d[0]! | 0) === e.b0
    && (!e.v6 || ((s[1]! | 0) === e.a1 && (s[2]! | 0) === e.a2 && (s[3]! | 0) === e.a3 && (d[1]! | 0) === e.b1 && (d[2]! | 0) === e.b2 && (d[3]! | 0) === e.b3))) return true;
  return m.srcPort === e.bPort && m.dstPort === e.aPort && (s[0]! | 0) === e.b0 && (d[0]! | 0) === e.a0
    && (!e.v6 || ((s[1]! | 0) === e.b1 && (s[2]! | 0) === e.b2 && (s[3]! | 0) === e.b3 && (d[1]! | 0) === e.a1 && (d[2]! | 0) === e.a2 && (d[3]! | 0) === e.a3));
}

/** Side a of both is the same endpoint. */
function sameSides(x: Endpoints, y: Endpoints): boolean {
  return x.aPort === y.aPort && x.a0 === y.a0 && x.a1 === y.a1 && x.a2 === y.a2 && x.a3 === y.a3;
}

/**
 * One stream of the index (TcpEntry/UdpEntry) reassembled from the packet ring: its packets
 * (the ring's packets of its 4-tuple from its first tag to its end tag, if it has one) go through a StreamTracker
 * in store mode. Kept while the stream is viewed, fed only the packets that arrived since, so
 * its chunks stay the same objects (the view caches their escaping) and follow mode is cheap.
 */
export class RingRebuild {
  private readonly tracker: StreamTracker;
  private fed = 0;
  private readonly decoder = new Decoder();
  private readonly pkt = new DecodedPacket();
  private readonly record = new PacketRecord();
  /** Chunks with their side flipped, by original (the first ring packet may be the server's). */
  private readonly flipped = new WeakMap<StreamChunk, StreamChunk>();

  constructor(readonly of: TcpEntry | UdpEntry, private readonly o: RingStreams) {
    this.tracker = new StreamTracker({ streamBytes: o.streamBytes, totalBytes: o.totalBytes });
  }

  /** Feed what arrived since the last call and return the stream as the index numbers it. */
  update(): RebuiltStream {
    this.feed();
    const e = this.of;
    const isTcp = e instanceof TcpEntry;
    let best: TcpStream | UdpStream | null = null;
    for (const s of isTcp ? this.tracker.tcp : this.tracker.udp) if (s && (!best || s.packets >= best.packets)) best = s;
    const total = [isTcp ? e.expected(0) : e.bytes0, isTcp ? e.expected(1) : e.bytes1];
    if (best === null) return { chunks: [], dropped: [total[0]!, total[1]!], beforeRing: [total[0]!, total[1]!] };
    const flip = !sameSides(best, e);
    const dropped: [number, number] = [0, 0];
    const beforeRing: [number, number] = [0, 0];
    for (const d of [0, 1] as const) {
      const r = flip ? 1 - d : d;
      const [held, capped] = heldAndCapped(best, r);
      beforeRing[d] = Math.max(0, total[d]! - held);
      dropped[d] = beforeRing[d] + capped;
    }
    const chunks = best.chunks();
    return { chunks: flip ? chunks.map((c) => this.flip(c)) : chunks, dropped, beforeRing };
  }

  private feed(): void {
    const e = this.of;
    const first = e.firstTag;
    const last = e.endTag > 0 ? e.endTag : Number.MAX_SAFE_INTEGER;
    const fed = this.fed;
    let seen = fed;
    const proto = e instanceof TcpEntry ? 6 : 17;
    const t = this.tracker;
    this.o.ring.scan((m, data) => {
      const tag = m.tag;
      if (tag > last) return false;
      seen = tag;
      if (tag <= fed || tag < first || m.proto !== proto || !sameTuple(m, e)) return;
      this.decoder.decode(m.toRecord(data, this.record), this.pkt);
      // Chunks carry the capture's frame numbers (the tags), as the packet view shows them.
      t.frame = tag - 1;
      t.onPacket(this.pkt);
    });
    this.fed = seen;
  }

  private flip(c: StreamChunk): StreamChunk {
    let f = this.flipped.get(c);
    if (!f) {
      f = { ...c, dir: c.dir === 0 ? 1 : 0 };
      this.flipped.set(c, f);
    }
    return f;
  }
}

/** Bytes a rebuilt direction accounts for (delivered, declared missing, waiting out of order) and bytes its cap dropped. */
function heldAndCapped(s: TcpStream | UdpStream, r: number): [number, number] {
  if ('halves' in s) {
    const h = s.halves[r]!;
    return [h.bytesWritten + h.missingBytes + h.fragmentBytes, h.store.droppedBytes];
  }
  return [s.bytes[r]!, s.stores[r]!.droppedBytes];
}
