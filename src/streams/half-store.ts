import { CHUNK_OVERHEAD, type ByteBudget, type RingOwner } from './byte-budget.js';
import { ChunkKind, EMPTY_BYTES, copyBytes, type StreamChunk } from './chunk.js';

/** Stores whose chunk objects are kept between live() calls (the streams being viewed). */
const VIEWED = 4;
/** Shared and never written: a store gets its own arrays when live() first makes chunks. */
const NO_CHUNKS: StreamChunk[] = [];
const NO_POS: number[] = [];

/**
 * Stored chunks of one direction of one stream, oldest first. They live in the
 * shared ring (ByteBudget) as a linked list from `first` to `last`; a
 * per-direction cap drops the oldest, and the ring drops them when it
 * overwrites them. What was dropped is counted so views can mark it.
 * Storing a segment allocates nothing: chunk objects are made by live(), for
 * the streams someone looks at, and kept there so the same chunk stays the
 * same object (the stream view caches its escaping by chunk).
 */
export class HalfStore implements RingOwner {
  /** Bytes currently held (data only). */
  storedBytes = 0;
  /** storedBytes plus CHUNK_OVERHEAD per held chunk: what the caps count. */
  cost = 0;
  /** Data bytes dropped from the front by a cap (per direction or global). */
  droppedBytes = 0;
  /** Chunks delivered, including any not stored. */
  delivered = 0;
  /** Chunks held now. */
  held = 0;
  private id = -1;
  /** Ring positions of the oldest and newest held chunks (-1: none). */
  private first = -1;
  private last = -1;
  /** Chunk objects made by live(), oldest first, with their ring positions. */
  private made = NO_CHUNKS;
  private madePos = NO_POS;

  constructor(
    readonly budget: ByteBudget,
    readonly cap: number,
    /** Called with every chunk as it is delivered (follow streams output this way). */
    private readonly listener: ((c: StreamChunk) => void) | null = null,
    /** Keep chunks (false: only hand them to the listener). */
    private readonly storing = true,
  ) {}

  /** Store src[off..off+len) as a data chunk (copied into the ring). */
  addData(dir: 0 | 1, src: Uint8Array, off: number, len: number, frame: number, order: number, tsSec: number, tsNsec: number): void {
    this.delivered++;
    // The listener may keep its chunk (e.g. a pending write): it gets a private copy.
    if (this.listener) this.listener({ kind: ChunkKind.Data, dir, data: copyBytes(src, off, off + len), length: len, missing: 0, frame, order, tsSec, tsNsec });
    if (this.storing) this.store(ChunkKind.Data, dir, src, off, len, 0, frame, order, tsSec, tsNsec);
  }

  addGap(dir: 0 | 1, missing: number, frame: number, order: number, tsSec: number, tsNsec: number): void {
    this.delivered++;
    if (this.listener) this.listener({ kind: ChunkKind.Gap, dir, data: EMPTY_BYTES, length: 0, missing, frame, order, tsSec, tsNsec });
    if (this.storing) this.store(ChunkKind.Gap, dir, null, 0, 0, missing, frame, order, tsSec, tsNsec);
  }

  private store(kind: ChunkKind, dir: 0 | 1, src: Uint8Array | null, off: number, len: number, missing: number,
    frame: number, order: number, tsSec: number, tsNsec: number): void {
    const b = this.budget;
    const cost = len + CHUNK_OVERHEAD;
    if (cost > this.cap || !b.fits(len)) {
      // Larger than either cap: it would be dropped at once.
      this.dropAll();
      this.droppedBytes += len;
      return;
    }
    // Make room under the per-direction cap first, so the ring never reports a chunk about to go anyway.
    while (this.held > 0 && this.cost + cost > this.cap) this.dropHead();
    if (this.id < 0) this.id = b.register(this);
    const pos = b.append(this.id, kind, dir, src, off, len, missing, frame, order, tsSec, tsNsec);
    if (this.held > 0) b.setNext(this.last, pos);
    else this.first = pos;
    this.last = pos;
    this.held++;
    this.storedBytes += len;
    this.cost += cost;
    b.used += cost;
  }

  /** The ring overwrites the chunk at `pos`: drop it if it is still held (it is then the oldest). */
  evicted(pos: number): void {
    if (this.held > 0 && pos === this.first) this.dropHead();
  }

  /** Drop the oldest stored chunk. */
  dropHead(): void {
    if (this.held === 0) return;
    const b = this.budget;
    const pos = this.first;
    const len = b.length(pos);
    this.held--;
    this.first = this.held > 0 ? b.next(pos) : -1;
    if (this.held === 0) this.last = -1;
    this.storedBytes -= len;
    this.droppedBytes += len;
    this.cost -= len + CHUNK_OVERHEAD;
    b.used -= len + CHUNK_OVERHEAD;
  }

  /** Drop everything held (a forgotten stream) and give the ring id back. */
  dropAll(): void {
    while (this.held > 0) this.dropHead();
    this.forgetMade();
  }

  /** Forget this store for good: nothing held, and the ring may give its id to another store. */
  dispose(): void {
    this.dropAll();
    if (this.id >= 0) this.budget.release(this.id);
    this.id = -1;
  }

  /**
   * Stored chunks, oldest first: a new array each call, with the same chunk
   * objects for the chunks an earlier call returned (each holds a private copy
   * of its bytes, so it stays valid when the ring overwrites them).
   */
  live(): StreamChunk[] {
    if (this.held === 0) {
      this.forgetMade();
      return [];
    }
    if (this.made === NO_CHUNKS) {
      this.made = [];
      this.madePos = [];
    }
    const b = this.budget;
    // Chunks made before that are no longer held go; the rest are still a prefix of what is held.
    let k = 0;
    while (k < this.madePos.length && this.madePos[k]! < this.first) k++;
    if (k > 0) {
      this.made.splice(0, k);
      this.madePos.splice(0, k);
    }
    let pos = this.madePos.length > 0 ? b.next(this.madePos[this.madePos.length - 1]!) : this.first;
    if (this.madePos.length > 0 && this.madePos[this.madePos.length - 1] === this.last) pos = -1;
    while (pos >= 0) {
      this.made.push({
        kind: b.kind(pos), dir: b.dir(pos), data: b.kind(pos) === ChunkKind.Data ? b.copyData(pos) : EMPTY_BYTES, length: b.length(pos),
        missing: b.missing(pos), frame: b.frame(pos), order: b.order(pos), tsSec: b.tsSec(pos), tsNsec: b.tsNsec(pos),
      });
      this.madePos.push(pos);
      pos = pos === this.last ? -1 : b.next(pos);
    }
    b.viewed(this, VIEWED);
    return this.made.slice();
  }

  /** Let go of the chunk objects live() made (the ring keeps the bytes). */
  forgetMade(): void {
    this.made = NO_CHUNKS;
    this.madePos = NO_POS;
  }
}
