import { ChunkKind } from './chunk.js';

/**
 * What a chunk costs beyond its bytes: the caps count it, so a flood of 1-byte
 * segments hits them as surely as bulk data does. It is also the size of a
 * chunk's header in the ring below (its metadata lives there, not in an object).
 */
export const CHUNK_OVERHEAD = 64;

/** Header kind of the filler that pads the ring's end when the next chunk does not fit there. */
const KIND_SKIP = 2;
const FIRST_SIZE = 256 * 1024;
/** Largest ring allocated, whatever `--stream-total-bytes` says. */
const MAX_SIZE = 2 ** 31;

/** What the ring tells a store whose chunk it overwrites. */
export interface RingOwner {
  /** Apply the store's own cap now (it is applied lazily). */
  trim(): void;
  /** The chunk at `pos` is being overwritten (the store drops it if it still holds it). */
  evicted(pos: number): void;
  /** Let go of chunk objects made for a view (another store is viewed now). */
  forgetMade(): void;
}

/**
 * One byte budget shared by every stream, and the memory itself: a ring of
 * `cap` bytes holding every stored chunk in arrival order as a 64-byte header
 * (owner, length, kind, frame, delivery order, time, next chunk of the same
 * direction) followed by its data. When the ring is full the oldest chunks
 * anywhere are overwritten (FIFO over all streams), and their owners drop them.
 *
 * Per segment that is one copy into memory allocated once (grown by 4
 * until it reaches `cap`, so small captures use little) and O(1) bookkeeping:
 * no chunk object, no slab, no queue entry. A chunk is addressed by its
 * absolute position (bytes written before it, including padding); the bytes
 * live at position mod size.
 *
 * `used` counts what the stores hold (bytes + CHUNK_OVERHEAD per chunk): a
 * per-direction cap can drop a chunk before the ring overwrites it, so `used`
 * is at most the ring's size, never more.
 */
export class ByteBudget {
  /** Held bytes + CHUNK_OVERHEAD per held chunk over all stores, before their lazily applied caps. */
  untrimmed = 0;

  /** Held bytes + CHUNK_OVERHEAD per held chunk, over all stores (applies their caps: O(stores)). */
  get used(): number {
    for (const o of this.owners) o?.trim();
    return this.untrimmed;
  }
  private buf = new Uint8Array(0);
  private i32 = new Int32Array(0);
  private f64 = new Float64Array(0);
  /** Ring size: grows up to `max`, then wraps. */
  private size = 0;
  private readonly max: number;
  /** Absolute position of the next chunk, and of the oldest one still in the ring. */
  private head = 0;
  private tail = 0;
  /** head and tail mod size, kept alongside (a double modulo is a library call). */
  private headAt = 0;
  private tailAt = 0;
  private readonly owners: (RingOwner | null)[] = [];
  private readonly freeIds: number[] = [];
  /** Stores that made chunk objects for a view, most recent last. */
  private readonly viewedOwners: RingOwner[] = [];

  constructor(readonly cap: number) {
    this.max = Math.floor(Math.min(Math.max(cap, 0), MAX_SIZE) / 8) * 8;
  }

  /** An id for a store's chunk headers; give it back with release() when the store is forgotten. */
  register(o: RingOwner): number {
    const id = this.freeIds.pop();
    if (id !== undefined) {
      this.owners[id] = o;
      return id;
    }
    this.owners.push(o);
    return this.owners.length - 1;
  }

  release(id: number): void {
    const o = this.owners[id];
    const v = o ? this.viewedOwners.indexOf(o) : -1;
    if (v >= 0) this.viewedOwners.splice(v, 1);
    this.owners[id] = null;
    this.freeIds.push(id);
  }

  /** `o` made chunk objects for a view: keep those of the last `keep` such stores only. */
  viewed(o: RingOwner, keep: number): void {
    const i = this.viewedOwners.indexOf(o);
    if (i >= 0) this.viewedOwners.splice(i, 1);
    this.viewedOwners.push(o);
    while (this.viewedOwners.length > keep) this.viewedOwners.shift()!.forgetMade();
  }

  /** Can a chunk of `len` data bytes be held at all? */
  fits(len: number): boolean {
    return recordSize(len) <= this.max;
  }

  /**
   * Append a chunk (data: src[off..off+len); a gap: len 0) and return its position. Chunks it
   * overwrites are reported to their owners first. The caller checked fits(len).
   */
  append(owner: number, kind: number, dir: number, src: Uint8Array | null, off: number, len: number, missing: number,
    frame: number, order: number, tsSec: number, tsNsec: number): number {
    const rec = recordSize(len);
    if (this.head + rec > this.size && this.size < this.max) this.grow(this.head + rec);
    let at = this.headAt;
    if (at + rec > this.size) {
      // Does not fit before the end: pad to the end (a skip header when there is room for one) and wrap.
      const pad = this.size - at;
      this.evictBefore(this.head + pad);
      if (pad >= CHUNK_OVERHEAD) this.i32[(at >> 2) + 2] = KIND_SKIP;
      this.head += pad;
      at = 0;
    }
    this.evictBefore(this.head + rec);
    const pos = this.head;
    const w = at >> 2;
    const d = at >> 3;
    this.i32[w] = owner;
    this.i32[w + 1] = len;
    this.i32[w + 2] = kind | (dir << 4);
    this.i32[w + 3] = tsNsec;
    this.f64[d + 2] = missing;
    this.f64[d + 3] = frame;
    this.f64[d + 4] = order;
    this.f64[d + 5] = tsSec;
    this.f64[d + 6] = -1;
    if (len > 0) {
      const to = at + CHUNK_OVERHEAD;
      const b = this.buf;
      if (len <= 64) for (let i = 0; i < len; i++) b[to + i] = src![off + i]!;
      // A plain view (not src.subarray: on a Buffer that goes through Buffer's species constructor).
      else b.set(new Uint8Array(src!.buffer, src!.byteOffset + off, len), to);
    }
    this.head += rec;
    this.headAt = at + rec;
    return pos;
  }

  /** Link the chunk at `pos` to the next chunk of its store. */
  setNext(pos: number, next: number): void {
    this.f64[((pos % this.size) >> 3) + 6] = next;
  }

  next(pos: number): number {
    return this.f64[((pos % this.size) >> 3) + 6]!;
  }

  length(pos: number): number {
    return this.i32[((pos % this.size) >> 2) + 1]!;
  }

  kind(pos: number): ChunkKind {
    return (this.i32[((pos % this.size) >> 2) + 2]! & 15) as ChunkKind;
  }

  dir(pos: number): 0 | 1 {
    return (this.i32[((pos % this.size) >> 2) + 2]! >> 4) as 0 | 1;
  }

  tsNsec(pos: number): number {
    return this.i32[((pos % this.size) >> 2) + 3]!;
  }

  missing(pos: number): number {
    return this.f64[((pos % this.size) >> 3) + 2]!;
  }

  frame(pos: number): number {
    return this.f64[((pos % this.size) >> 3) + 3]!;
  }

  order(pos: number): number {
    return this.f64[((pos % this.size) >> 3) + 4]!;
  }

  tsSec(pos: number): number {
    return this.f64[((pos % this.size) >> 3) + 5]!;
  }

  /** A private copy of the data of the chunk at `pos`. */
  copyData(pos: number): Uint8Array {
    const at = (pos % this.size) + CHUNK_OVERHEAD;
    return this.buf.slice(at, at + this.length(pos));
  }

  /** Overwrite (report to their owners) every chunk that starts before `end - size`. */
  private evictBefore(end: number): void {
    const limit = end - this.size;
    while (this.tail < limit && this.tail < this.head) {
      const at = this.tailAt;
      const room = this.size - at;
      if (room < CHUNK_OVERHEAD || this.i32[(at >> 2) + 2] === KIND_SKIP) {
        this.tail += room;
        this.tailAt = 0;
        continue;
      }
      this.owners[this.i32[at >> 2]!]?.evicted(this.tail);
      const rec = recordSize(this.i32[(at >> 2) + 1]!);
      this.tail += rec;
      this.tailAt = at + rec === this.size ? 0 : at + rec;
    }
  }

  /** Before the first wrap positions equal offsets, so growing is a copy (by 4: few copies, few fresh pages). */
  private grow(need: number): void {
    let n = Math.max(this.size * 4, FIRST_SIZE);
    while (n < need) n *= 4;
    n = Math.min(n, this.max);
    const b = new Uint8Array(n);
    b.set(this.buf.subarray(0, this.head));
    this.buf = b;
    this.i32 = new Int32Array(b.buffer);
    this.f64 = new Float64Array(b.buffer);
    this.size = n;
  }
}

/** Header plus data rounded up to 8 bytes (headers are read as Float64). */
function recordSize(len: number): number {
  return CHUNK_OVERHEAD + ((len + 7) & ~7);
}
