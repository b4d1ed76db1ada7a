import type { StreamChunk } from './chunk.js';
import type { ByteBudget } from './byte-budget.js';
import { HalfStore } from './half-store.js';
import type { DecodedPacket } from '../decode/packet.js';
import { Endpoints } from './endpoints.js';
import { TcpHalf, type HalfLimits, type HalfSink } from './tcp-half.js';

export type ChunkListener = (proto: 'tcp' | 'udp', index: number, c: StreamChunk) => void;

export interface StreamMeta {
  /** Stream number in first-seen order (tcp.stream / udp.stream). */
  readonly index: number;
  readonly ends: Endpoints;
  firstFrame: number;
  lastFrame: number;
  firstTsSec: number;
  firstTsNsec: number;
  lastTsSec: number;
  lastTsNsec: number;
  packets: number;
}

/**
 * A stream is its own Endpoints (side a = the sender of its first packet): the per-packet tuple
 * check reads the stream object it already has, not one more object.
 */
export abstract class Conversation extends Endpoints implements StreamMeta {
  firstFrame = 0;
  lastFrame = 0;
  firstTsSec = 0;
  firstTsNsec = 0;
  lastTsSec = 0;
  lastTsNsec = 0;
  packets = 0;

  constructor(readonly index: number, first: DecodedPacket) {
    super();
    this.setFrom(first);
  }

  get ends(): Endpoints {
    return this;
  }

  /** Release what the stream holds (the tracker forgets it). */
  abstract dispose(): void;
}

/** One TCP connection: two reassembled halves; half 0 is the client (first sender seen). */
export class TcpStream extends Conversation implements HalfSink {
  private order = 0;
  /** Segments waiting out of order in either half (acknowledgements matter only then). */
  waiting = 0;
  readonly halves: [TcpHalf, TcpHalf];
  /** halves[0] and halves[1] without the array (per packet, one object fewer to reach). */
  readonly h0: TcpHalf;
  readonly h1: TcpHalf;

  constructor(index: number, first: DecodedPacket, budget: ByteBudget, cap: number, limits: HalfLimits,
    listener: ChunkListener | null = null, storing = true) {
    super(index, first);
    const l = listener ? (c: StreamChunk) => listener('tcp', index, c) : null;
    this.h0 = new TcpHalf(0, new HalfStore(budget, cap, l, storing), this, limits);
    this.h1 = new TcpHalf(1, new HalfStore(budget, cap, l, storing), this, limits);
    this.halves = [this.h0, this.h1];
  }

  nextOrder(): number {
    return this.order++;
  }

  /** tshark's base_seq of direction `d`, or -1 before its first segment (stream numbering reads it). */
  baseOf(d: number): number {
    const h = d === 0 ? this.h0 : this.h1;
    return h.baseSet ? h.base : -1;
  }

  dispose(): void {
    this.h0.store.dispose();
    this.h1.store.dispose();
  }

  /** Both sides sent FIN, or either sent RST. */
  get closed(): boolean {
    const [c, s] = this.halves;
    return c.sawRst || s.sawRst || (c.sawFin && s.sawFin);
  }

  /** Stored chunks of both directions (or one), in delivery order. */
  chunks(direction: 'both' | 'client' | 'server' = 'both'): StreamChunk[] {
    return mergeChunks(this.halves[0].store, this.halves[1].store, direction);
  }
}

/** One UDP conversation: its datagrams as chunks, in capture order. */
export class UdpStream extends Conversation {
  private order = 0;
  readonly stores: [HalfStore, HalfStore];
  readonly bytes = [0, 0];

  constructor(index: number, first: DecodedPacket, budget: ByteBudget, cap: number,
    listener: ChunkListener | null = null, storing = true) {
    super(index, first);
    const l = listener ? (c: StreamChunk) => listener('udp', index, c) : null;
    this.stores = [new HalfStore(budget, cap, l, storing), new HalfStore(budget, cap, l, storing)];
  }

  nextOrder(): number {
    return this.order++;
  }

  dispose(): void {
    for (const st of this.stores) st.dispose();
  }

  datagram(dir: 0 | 1, buf: Uint8Array, off: number, len: number, frame: number, tsSec: number, tsNsec: number, keep: boolean): void {
    this.bytes[dir]! += len;
    if (!keep || len <= 0) return;
    this.stores[dir].addData(dir, buf, off, len, frame, this.nextOrder(), tsSec, tsNsec);
  }

  chunks(direction: 'both' | 'client' | 'server' = 'both'): StreamChunk[] {
    return mergeChunks(this.stores[0], this.stores[1], direction);
  }
}

function mergeChunks(a: HalfStore, b: HalfStore, direction: 'both' | 'client' | 'server'): StreamChunk[] {
  if (direction === 'client') return a.live();
  if (direction === 'server') return b.live();
  const x = a.live();
  const y = b.live();
  const out: StreamChunk[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (j >= y.length || (i < x.length && x[i]!.order < y[j]!.order)) out.push(x[i++]!);
    else out.push(y[j++]!);
  }
  return out;
}
