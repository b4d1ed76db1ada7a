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
 * per-direction cap drops the oldest (applied when the store is read), and the
 * ring drops them when it overwrites them. What was dropped is counted so views can mark it.
 * Storing a segment allocates nothing: chunk objects are made by live(), for
 * the streams someone looks at, and kept there so the same chunk stays the
 * same object (the stream view caches its escaping by chunk).
 */
export class HalfStore implements RingOwner {
  /** Chunks delivered, including any not stored. */
  delivered = 0;
  // The counters below run ahead of the per-direction cap, which is applied when they are read
  // (trim): dropping per segment would read the header of a chunk a whole cap back in the ring,
  // a cache miss per segment, while most such chunks are overwritten by the ring first anyway.
  private nHeld = 0;
  private nStored = 0;
  private nCost = 0;
  private nDropped = 0;

  /** Chunks held now. */
  get held(): number {
    this.trim();
    return this.nHeld;
  }

  /** Bytes currently held (data only). */
  get storedBytes(): number {
    this.trim();
    return this.nStored;
  }

  /** storedBytes plus CHUNK_OVERHEAD per held chunk: what the caps count. */
  get cost(): number {
    this.trim();
    return this.nCost;
  }

  /** Data bytes dropped from the front by a cap (per direction or global). */
  get droppedBytes(): number {
    this.trim();
    return this.nDropped;
  }

  /** Apply the per-direction cap: drop the oldest chunks while over it. */
  trim(): void {
    while (this.nHeld > 0 && this.nCost > this.cap) this.dropHead();
  }
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
      // Larger than either cap: it would be dropped at once, and everything before it.
      this.dropAll();
      this.nDropped += len;
      return;
    }
    if (this.id < 0) this.id = b.register(this);
    const pos = b.append(this.id, kind, dir, src, off, len, missing, frame, order, tsSec, tsNsec);
    if (this.nHeld > 0) b.setNext(this.last, pos);
    else this.first = pos;
    this.last = pos;
    this.nHeld++;
    this.nStored += len;
    this.nCost += cost;
    b.untrimmed += cost;
  }

  /** The ring overwrites the chunk at `pos`: drop it if it is still held (it is then the oldest). */
  evicted(pos: number): void {
    if (this.nHeld > 0 && pos === this.first) this.dropHead();
  }

  /** Drop the oldest stored chunk. */
  dropHead(): void {
    if (this.nHeld === 0) return;
    const b = this.budget;
    const pos = this.first;
    const len = b.length(pos);
    this.nHeld--;
    this.first = this.nHeld > 0 ? b.next(pos) : -1;
    if (this.nHeld === 0) this.last = -1;
    this.nStored -= len;
    this.nDropped += len;
    this.nCost -= len + CHUNK_OVERHEAD;
    b.untrimmed -= len + CHUNK_OVERHEAD;
  }

  /** Drop everything held. */
  dropAll(): void {
    while (this.nHeld > 0) this.dropHead();
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
    this.trim();
    if (this.nHeld === 0) {
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
