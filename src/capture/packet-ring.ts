import { Buffer } from 'node:buffer';
import type { PacketRecord } from './record.js';
import { exportRing, type RingExportOptions, type RingExportResult } from './ring-export.js';
import { RingKey, RingMeta, type RingSelector } from './ring-key.js';
import { CHUNK_FLAG, HEADER_WORDS, keyWords, readMeta, W_CAPLEN, W_DATA, W_NSEC, W_SEC, W_SIZE, WordCopier, writeHeader } from './ring-layout.js';

export { RingKey, RingMeta, type RingSelector } from './ring-key.js';
export { describeRing, ringSelect } from './ring-select.js';
export type { RingExportOptions, RingExportResult } from './ring-export.js';

export const DEFAULT_RING_MB = 64;

/** `--ring-mb` for the lead's yargs setup (0 turns the ring off). */
export const RING_YARGS_OPTIONS = {
  'ring-mb': { type: 'number', default: DEFAULT_RING_MB, describe: 'MiB of recent raw packets kept for export (0 = off)' },
} as const;

export interface RingOptions {
  /** Bytes of the ring: packet bytes plus 44-76 bytes of metadata each, see src/capture/README.md "Packet ring". Default 64 MiB. */
  bytes?: number;
}

/**
 * The most recent raw packets, in one preallocated ArrayBuffer used as a
 * ring. A packet that arrives inside a source chunk (file, pipe: see
 * PacketRecord.chunk) costs only a metadata record: the first packet of a
 * chunk copies the rest of the chunk into the ring with one native copy, and
 * its packets' records point into that copy. Other packets (live capture)
 * are copied one by one behind their record. Appending evicts the oldest
 * entries until the new one fits; a chunk copy leaves with every record after
 * it up to the next chunk copy (they point into it). Appending allocates
 * nothing per packet (one subarray view per chunk). Selection ("all packets
 * of host X", "of conversation Y", "of stream Z") is a scan with a predicate
 * over the stored metadata, so no index has to be kept up to date per packet.
 */
export class PacketRing {
  readonly capacity: number;
  private readonly u8: Uint8Array;
  private readonly u32: Uint32Array;
  /** The same memory as a Buffer, for chunk copies (see inChunkCopy). */
  private readonly out: Buffer;
  private readonly copier: WordCopier;
  /**
   * Longest chunk copy. Evicting a copy takes its records along, so the ring's reach dips by up to one
   * copy and its records: 1/64 of the ring (1 MiB of 64 MiB; 4 MiB dipped 10%, 1 MiB 3%, and 256 KiB
   * copies cost more CPU on the 1M bench). Small rings use up to 1/16, at most 64 KiB.
   */
  private readonly maxSpan: number;
  /** Byte offsets: oldest entry, where the next goes, the newest packet record. */
  private head = 0;
  private tail = 0;
  private newest = 0;
  /** While wrapped, entries occupy [head, limit) then [0, tail). */
  private wrapped = false;
  private limit = 0;
  /** Entries (packet records and chunk copies) and packets held. */
  private entries = 0;
  private count = 0;
  private dataBytes = 0;
  private evictedCount = 0;
  private readonly meta = new RingMeta();
  /** The newest chunk copy: PacketRecord.chunk it came from (0 = none or evicted), its source buffer and range, where the range landed. */
  private chunk = 0;
  private chunkBuf: Uint8Array | null = null;
  private srcStart = 0;
  private srcEnd = 0;
  private chunkAt = -1;

  constructor(opts: RingOptions = {}) {
    const want = Math.floor(opts.bytes ?? DEFAULT_RING_MB * 1024 * 1024);
    // Room for at least one full-size header; a multiple of 4 so records stay word-aligned.
    this.capacity = Math.max(256, want - (want & 3));
    const buf = new ArrayBuffer(this.capacity);
    this.u8 = new Uint8Array(buf);
    this.u32 = new Uint32Array(buf);
    this.out = Buffer.from(buf);
    this.copier = new WordCopier(this.u8, this.u32);
    this.maxSpan = Math.max(this.capacity >>> 6, Math.min(this.capacity >>> 4, 64 << 10)) & ~3;
  }

  /**
   * Keep a packet. `key` describes it for later selection (default: nothing
   * known). A packet larger than the whole ring is stored cut to fit.
   */
  append(r: PacketRecord, key?: RingKey): void {
    const head = (HEADER_WORDS + (key ? keyWords(key) : 0)) * 4;
    if (r.chunk !== 0 && r.capLen <= this.maxSpan && this.inChunkCopy(r)) {
      const at = this.reserve(head);
      // Unless making room pushed the chunk copy itself out (a ring too small for it and its records).
      if (this.chunk === r.chunk) {
        this.commit(r, key, at, head, this.chunkAt + 4 + (r.off - this.srcStart), r.capLen);
        return;
      }
    }
    const capLen = Math.min(r.capLen, this.capacity - head - 3);
    // The packet's reserve is planned for the worst pad; the pad itself depends on where it lands.
    const at = this.reserve(head + ((capLen + 6) & ~3));
    const pad = (r.buf.byteOffset + r.off - at) & 3;
    const data = at + head + pad;
    this.copier.copy(r.buf, r.off, capLen, data);
    this.commit(r, key, at, head + ((pad + capLen + 3) & ~3), data, capLen);
  }

  /** Packets held now. */
  packets(): number {
    return this.count;
  }

  /** Captured packet bytes held now (without the metadata). */
  bytes(): number {
    return this.dataBytes;
  }

  /** Packets pushed out by newer ones since the ring was created or cleared. */
  evicted(): number {
    return this.evictedCount;
  }

  /** Timestamp of the oldest packet held, in float seconds, or null when empty. */
  oldestTime(): number | null {
    if (this.count === 0) return null;
    let t = 0;
    this.scan((m) => {
      t = m.tsSec + m.tsNsec / 1e9;
      return false;
    });
    return t;
  }

  /** Timestamp of the newest packet held, in float seconds, or null when empty. */
  newestTime(): number | null {
    const i = this.newest >>> 2;
    return this.count === 0 ? null : this.u32[i + W_SEC]! + this.u32[i + W_NSEC]! / 1e9;
  }

  clear(): void {
    this.head = this.tail = this.newest = this.limit = 0;
    this.wrapped = false;
    this.entries = this.count = this.dataBytes = this.evictedCount = 0;
    this.forgetChunk();
  }

  /**
   * Visit packets oldest first. `visit` gets the reused meta and the packet's
   * bytes (a view into the ring: copy what you keep). Stops early when it
   * returns false.
   */
  scan(visit: (m: RingMeta, data: Uint8Array) => boolean | void): void {
    const w = this.u32;
    let at = this.head;
    let wrapped = this.wrapped;
    for (let n = 0; n < this.entries; n++) {
      if (wrapped && at >= this.limit) {
        at = 0;
        wrapped = false;
      }
      const i = at >>> 2;
      const size = w[i]!;
      at += size & ~CHUNK_FLAG;
      if ((size & CHUNK_FLAG) !== 0) continue;
      const m = readMeta(w, i, this.meta);
      const start = w[i + W_DATA]!;
      if (visit(m, this.u8.subarray(start, start + m.capLen)) === false) return;
    }
  }

  /** Count the packets a selector picks (for a prompt before exporting). */
  countWhere(select: RingSelector): number {
    let n = 0;
    this.scan((m) => {
      if (select(m)) n++;
    });
    return n;
  }

  /**
   * Write the selected packets, oldest first, to `path`: classic pcap (ns
   * timestamps) when they share one link type, otherwise pcapng with one
   * interface per link type. An empty selection writes an empty pcap.
   */
  exportPcap(path: string, select: RingSelector, opts: RingExportOptions = {}): RingExportResult {
    return exportRing(this, path, select, opts);
  }

  private commit(r: PacketRecord, key: RingKey | undefined, at: number, size: number, data: number, capLen: number): void {
    const w = this.u32;
    const i = at >>> 2;
    w[i + W_SIZE] = size;
    writeHeader(w, i, r.tsSec, r.tsNsec, capLen, r.origLen, r.linkType, key);
    w[i + W_DATA] = data;
    this.tail = at + size;
    this.newest = at;
    this.entries++;
    this.count++;
    this.dataBytes += capLen;
  }

  /**
   * True when r's bytes are in the newest chunk copy. When they are not, copy
   * its chunk from r on (up to maxSpan) with one native copy; false when r's
   * chunk range is not usable.
   */
  private inChunkCopy(r: PacketRecord): boolean {
    const off = r.off;
    if (r.chunk === this.chunk && r.buf === this.chunkBuf && off >= this.srcStart && off + r.capLen <= this.srcEnd) return true;
    let span = Math.min(Math.min(r.chunkEnd, r.buf.length) - off, this.maxSpan);
    if (off < 0 || span < r.capLen) return false;
    if (!this.wrapped && this.entries > 0) {
      // Fill the end of the buffer rather than leave it unused; the rest of the chunk goes in another copy.
      const room = this.capacity - this.tail - 4;
      if (room >= r.capLen && room >= this.maxSpan >>> 2) span = Math.min(span, room);
    }
    this.forgetChunk();
    const size = 4 + ((span + 3) & ~3);
    const at = this.reserve(size);
    // Buffer.fill with a view as long as the range is one native memcpy. Uint8Array.set from the
    // reader thread's SharedArrayBuffer copies word by word with relaxed atomics: 3x the CPU.
    if (span > 0) this.out.fill(r.buf.subarray(off, off + span), at + 4, at + 4 + span);
    this.u32[at >>> 2] = size | CHUNK_FLAG;
    this.tail = at + size;
    this.entries++;
    this.chunk = r.chunk;
    this.chunkBuf = r.buf;
    this.srcStart = off;
    this.srcEnd = off + span;
    this.chunkAt = at;
    return true;
  }

  private forgetChunk(): void {
    this.chunk = 0;
    this.chunkBuf = null;
    this.chunkAt = -1;
  }

  /** Free `size` contiguous bytes behind the newest entry, evicting the oldest as needed; returns the offset. */
  private reserve(size: number): number {
    for (;;) {
      if (this.entries === 0) {
        this.head = this.tail = this.limit = 0;
        this.wrapped = false;
        return 0;
      }
      if (!this.wrapped) {
        if (this.tail + size <= this.capacity) return this.tail;
        // Leave the end unused and continue at the start, in front of the oldest entry.
        this.limit = this.tail;
        this.wrapped = true;
        this.tail = 0;
        continue;
      }
      if (this.tail + size <= this.head) return this.tail;
      this.evictOldest();
    }
  }

  /** Evict the oldest entry; a chunk copy takes the packet records after it (they point into it) along. */
  private evictOldest(): void {
    const w = this.u32;
    const size = w[this.head >>> 2]!;
    if ((size & CHUNK_FLAG) === 0) {
      this.evictPacket(size);
      return;
    }
    if (this.head === this.chunkAt) this.forgetChunk();
    this.advance(size & ~CHUNK_FLAG);
    while (this.entries > 0) {
      const next = w[this.head >>> 2]!;
      if ((next & CHUNK_FLAG) !== 0) return;
      this.evictPacket(next);
    }
  }

  private evictPacket(size: number): void {
    this.dataBytes -= this.u32[(this.head >>> 2) + W_CAPLEN]!;
    this.count--;
    this.evictedCount++;
    this.advance(size);
  }

  private advance(size: number): void {
    this.head += size;
    this.entries--;
    if (this.wrapped && this.head >= this.limit) {
      // The upper segment is gone: what is left lies in [0, tail).
      this.head = 0;
      this.wrapped = false;
    }
  }
}
