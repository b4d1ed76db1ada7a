import { ChunkKind, EMPTY_BYTES, SlabChunk, copyBytes, type StreamChunk } from './chunk.js';

const FIRST_SLAB = 2048;
/**
 * What a chunk costs beyond its bytes (object, queue entry): caps count it, so
 * a flood of 1-byte segments hits the caps as surely as bulk data does.
 */
export const CHUNK_OVERHEAD = 64;
const MAX_SLAB = 256 * 1024;

/**
 * Stored chunks of one direction of one stream, oldest first. A per-direction
 * cap drops the oldest chunks; what was dropped is counted so views can mark it.
 */
export class HalfStore {
  readonly chunks: StreamChunk[] = [];
  head = 0;
  /** Bytes currently held (data only). */
  storedBytes = 0;
  /** storedBytes plus CHUNK_OVERHEAD per held chunk: what the caps count. */
  cost = 0;
  /** Data bytes dropped from the front by a cap. */
  droppedBytes = 0;
  /** Chunks ever added (a chunk's index in this store is its serial). */
  added = 0;

  constructor(
    readonly budget: ByteBudget | null,
    readonly cap: number,
    /** Called with every chunk as it is delivered (follow streams output this way). */
    private readonly listener: ((c: StreamChunk) => void) | null = null,
    /** Keep chunks (false: only hand them to the listener). */
    private readonly storing = true,
  ) {}

  /** Chunks delivered, including any not stored. */
  delivered = 0;

  private slab: Uint8Array | null = null;
  private slabUsed = 0;
  private nextSlab = FIRST_SLAB;

  /**
   * Store src[off..off+len) as a data chunk. Stored bytes are copied into
   * slabs that grow with the direction (2 KiB doubling to 256 KiB), so a
   * segment costs a copy and a small chunk object, not an ArrayBuffer; a slab
   * is freed when the last chunk in it is dropped. In listener-only mode the
   * chunk gets its own copy (the listener may keep it, e.g. a pending write).
   */
  addData(dir: 0 | 1, src: Uint8Array, off: number, len: number, frame: number, order: number, tsSec: number, tsNsec: number): void {
    if (!this.storing) {
      this.add({ kind: ChunkKind.Data, dir, data: copyBytes(src, off, off + len), length: len, missing: 0, frame, order, tsSec, tsNsec });
      return;
    }
    let slab = this.slab;
    if (slab === null || this.slabUsed + len > slab.length) {
      slab = new Uint8Array(Math.max(len, this.nextSlab));
      this.slab = slab;
      this.slabUsed = 0;
      if (this.nextSlab < MAX_SLAB) this.nextSlab *= 2;
    }
    const at = this.slabUsed;
    if (len <= 64) for (let i = 0; i < len; i++) slab[at + i] = src[off + i]!;
    else slab.set(Uint8Array.prototype.subarray.call(src, off, off + len), at);
    this.slabUsed = at + len;
    this.add(new SlabChunk(ChunkKind.Data, dir, slab, at, len, 0, frame, order, tsSec, tsNsec));
  }

  addGap(dir: 0 | 1, missing: number, frame: number, order: number, tsSec: number, tsNsec: number): void {
    this.add({ kind: ChunkKind.Gap, dir, data: EMPTY_BYTES, length: 0, missing, frame, order, tsSec, tsNsec });
  }

  add(c: StreamChunk): void {
    this.delivered++;
    if (this.listener) this.listener(c);
    if (!this.storing) return;
    this.chunks.push(c);
    this.added++;
    const n = c.length;
    this.storedBytes += n;
    this.cost += n + CHUNK_OVERHEAD;
    if (this.budget) this.budget.charge(this, this.added - 1, n + CHUNK_OVERHEAD);
    while (this.cost > this.cap && this.head < this.chunks.length) this.dropHead();
  }

  /** Drop the oldest stored chunk. */
  dropHead(): void {
    const c = this.chunks[this.head]!;
    this.chunks[this.head] = DROPPED;
    this.head++;
    this.storedBytes -= c.length;
    this.droppedBytes += c.length;
    this.cost -= c.length + CHUNK_OVERHEAD;
    if (this.budget) this.budget.used -= c.length + CHUNK_OVERHEAD;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks.splice(0, this.head);
      this.headBase += this.head;
      this.head = 0;
    }
  }

  /** Serial of chunks[0] (chunks before it were compacted away). */
  headBase = 0;

  /** Serial of the oldest chunk still held. */
  get firstSerial(): number {
    return this.headBase + this.head;
  }

  /** Stored chunks, oldest first. */
  live(): StreamChunk[] {
    return this.chunks.slice(this.head);
  }
}

const DROPPED: StreamChunk = {
  kind: 0, dir: 0, data: new Uint8Array(0), length: 0, missing: 0, frame: 0, order: -1, tsSec: 0, tsNsec: 0,
};

/**
 * One byte budget shared by every stream: when the total held exceeds `cap`,
 * the oldest chunks anywhere are dropped (FIFO over all streams). The queue
 * holds (store, serial) pairs in charge order; an entry whose chunk a
 * per-direction cap already dropped is skipped.
 */
export class ByteBudget {
  used = 0;
  private stores: (HalfStore | null)[] = [];
  private serials: number[] = [];
  private qHead = 0;

  constructor(readonly cap: number) {}

  charge(store: HalfStore, serial: number, n: number): void {
    this.used += n;
    this.stores.push(store);
    this.serials.push(serial);
    while (this.used > this.cap && this.qHead < this.stores.length) {
      const s = this.stores[this.qHead]!;
      const ser = this.serials[this.qHead]!;
      this.stores[this.qHead] = null;
      this.qHead++;
      // Chunks of one store are charged in order: drop up to and including this one (gap markers before it go too).
      while (s.firstSerial <= ser && s.head < s.chunks.length) s.dropHead();
    }
    if (this.qHead > 4096 && this.qHead * 2 > this.stores.length) {
      this.stores.splice(0, this.qHead);
      this.serials.splice(0, this.qHead);
      this.qHead = 0;
    }
  }
}
