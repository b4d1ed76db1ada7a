import type { PacketRecord } from './record.js';
import { exportRing, type RingExportOptions, type RingExportResult } from './ring-export.js';
import { RingKey, RingMeta, type RingSelector } from './ring-key.js';

export { RingKey, RingMeta, type RingSelector } from './ring-key.js';
export { describeRing, ringSelect } from './ring-select.js';
export type { RingExportOptions, RingExportResult } from './ring-export.js';

export const DEFAULT_RING_MB = 64;

/** `--ring-mb` for the lead's yargs setup (0 turns the ring off). */
export const RING_YARGS_OPTIONS = {
  'ring-mb': { type: 'number', default: DEFAULT_RING_MB, describe: 'MiB of recent raw packets kept for export (0 = off)' },
} as const;

export interface RingOptions {
  /** Bytes of the ring (packet bytes plus 40-72 bytes of metadata each). Default 64 MiB. */
  bytes?: number;
}

// Record layout, in 32-bit words: a fixed header, 0/2/8 address words, then the bytes padded to 4.
const W_SIZE = 0; // whole record in bytes
const W_SEC = 1;
const W_NSEC = 2;
const W_CAPLEN = 3;
const W_ORIGLEN = 4;
const W_TYPE = 5; // linkType (16) | ipVersion (4) << 16 | pad (2) << 20 | proto (8) << 24
const W_PORTS = 6; // srcPort << 16 | dstPort
const W_SLOT = 7; // flowSlot + 1 (0 = none)
const W_GEN = 8;
const W_TAG = 9;
const HEADER_WORDS = 10;

function addrWords(ipVersion: number): number {
  return ipVersion === 4 ? 2 : ipVersion === 6 ? 8 : 0;
}

/**
 * The most recent raw packets, in one preallocated ArrayBuffer used as a
 * ring: each append copies the packet and its key behind the newest record,
 * evicting the oldest records until it fits, and wraps to the start when the
 * end is reached. Appending allocates nothing. Selection ("all packets of host
 * X", "of conversation Y", "of stream Z") is a scan with a predicate over the
 * stored metadata, so no index has to be kept up to date per packet.
 */
export class PacketRing {
  readonly capacity: number;
  private readonly buf: ArrayBuffer;
  private readonly u8: Uint8Array;
  private readonly u32: Uint32Array;
  /** Byte offsets: oldest record, where the next goes, the newest record. */
  private head = 0;
  private tail = 0;
  private newest = 0;
  /** While wrapped, records occupy [head, limit) then [0, tail). */
  private wrapped = false;
  private limit = 0;
  private count = 0;
  private dataBytes = 0;
  private evictedCount = 0;
  private readonly meta = new RingMeta();
  private srcBuffer: ArrayBufferLike | null = null;
  private srcWords: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private srcBuffer2: ArrayBufferLike | null = null;
  private srcWords2: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

  constructor(opts: RingOptions = {}) {
    const want = Math.floor(opts.bytes ?? DEFAULT_RING_MB * 1024 * 1024);
    // Room for at least one full-size header; a multiple of 4 so records stay word-aligned.
    this.capacity = Math.max(256, want - (want & 3));
    this.buf = new ArrayBuffer(this.capacity);
    this.u8 = new Uint8Array(this.buf);
    this.u32 = new Uint32Array(this.buf);
  }

  /**
   * Copy a packet in. `key` describes it for later selection (default: nothing
   * known). A packet larger than the whole ring is stored cut to fit.
   */
  append(r: PacketRecord, key?: RingKey): void {
    const ipv = key ? key.ipVersion : 0;
    const aw = addrWords(ipv);
    const head = (HEADER_WORDS + aw) * 4;
    const capLen = Math.min(r.capLen, this.capacity - head - 3);
    // The packet's reserve is planned for the worst pad; the pad itself depends on where it lands.
    const at = this.reserve(head + ((capLen + 6) & ~3));
    const pad = (r.buf.byteOffset + r.off - at) & 3;
    const size = head + ((pad + capLen + 3) & ~3);
    const w = this.u32;
    const i = at >>> 2;
    w[i + W_SIZE] = size;
    w[i + W_SEC] = r.tsSec;
    w[i + W_NSEC] = r.tsNsec;
    w[i + W_CAPLEN] = capLen;
    w[i + W_ORIGLEN] = r.origLen;
    if (key) {
      w[i + W_TYPE] = ((r.linkType & 0xffff) | ((ipv & 0xf) << 16) | (pad << 20) | ((key.proto & 0xff) << 24)) >>> 0;
      w[i + W_PORTS] = ((key.srcPort & 0xffff) << 16) | (key.dstPort & 0xffff);
      w[i + W_SLOT] = key.flowSlot + 1;
      w[i + W_GEN] = key.flowGen;
      w[i + W_TAG] = key.tag;
      if (aw === 2) {
        w[i + HEADER_WORDS] = key.src[0]!;
        w[i + HEADER_WORDS + 1] = key.dst[0]!;
      } else if (aw === 8) {
        const s = key.src;
        const d = key.dst;
        const a = i + HEADER_WORDS;
        w[a] = s[0]!; w[a + 1] = s[1]!; w[a + 2] = s[2]!; w[a + 3] = s[3]!;
        w[a + 4] = d[0]!; w[a + 5] = d[1]!; w[a + 6] = d[2]!; w[a + 7] = d[3]!;
      }
    } else {
      w[i + W_TYPE] = (r.linkType & 0xffff) | (pad << 20);
      w[i + W_PORTS] = 0;
      w[i + W_SLOT] = 0;
      w[i + W_GEN] = 0;
      w[i + W_TAG] = 0;
    }
    this.copyIn(r.buf, r.off, capLen, at + head + pad);
    this.tail = at + size;
    this.newest = at;
    this.count++;
    this.dataBytes += capLen;
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
    return this.count === 0 ? null : this.timeAt(this.head);
  }

  /** Timestamp of the newest packet held, in float seconds, or null when empty. */
  newestTime(): number | null {
    return this.count === 0 ? null : this.timeAt(this.newest);
  }

  clear(): void {
    this.head = this.tail = this.newest = this.limit = 0;
    this.wrapped = false;
    this.count = this.dataBytes = this.evictedCount = 0;
  }

  /**
   * Visit packets oldest first. `visit` gets the reused meta and the packet's
   * bytes (a view into the ring: copy what you keep). Stops early when it
   * returns false.
   */
  scan(visit: (m: RingMeta, data: Uint8Array) => boolean | void): void {
    let at = this.head;
    let wrapped = this.wrapped;
    for (let n = 0; n < this.count; n++) {
      if (wrapped && at >= this.limit) {
        at = 0;
        wrapped = false;
      }
      const m = this.readMeta(at);
      const start = at + (HEADER_WORDS + addrWords(m.ipVersion)) * 4 + ((this.u32[(at >>> 2) + W_TYPE]! >>> 20) & 3);
      if (visit(m, this.u8.subarray(start, start + m.capLen)) === false) return;
      at += this.u32[at >>> 2]!;
    }
  }

  /** Count the packets a selector picks (for a prompt before exporting). */
  countWhere(select: RingSelector): number {
    let n = 0;
    this.scanMeta((m) => {
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

  private scanMeta(visit: (m: RingMeta) => void): void {
    this.scan((m) => {
      visit(m);
    });
  }

  private readMeta(at: number): RingMeta {
    const w = this.u32;
    const i = at >>> 2;
    const m = this.meta;
    m.tsSec = w[i + W_SEC]!;
    m.tsNsec = w[i + W_NSEC]!;
    m.capLen = w[i + W_CAPLEN]!;
    m.origLen = w[i + W_ORIGLEN]!;
    const t = w[i + W_TYPE]!;
    m.linkType = t & 0xffff;
    m.ipVersion = (t >>> 16) & 0xf;
    m.proto = t >>> 24;
    const p = w[i + W_PORTS]!;
    m.srcPort = p >>> 16;
    m.dstPort = p & 0xffff;
    m.flowSlot = w[i + W_SLOT]! - 1;
    m.flowGen = w[i + W_GEN]!;
    m.tag = w[i + W_TAG]!;
    const a = i + HEADER_WORDS;
    if (m.ipVersion === 4) {
      m.src[0] = w[a]!;
      m.dst[0] = w[a + 1]!;
      m.src[1] = m.src[2] = m.src[3] = m.dst[1] = m.dst[2] = m.dst[3] = 0;
    } else if (m.ipVersion === 6) {
      m.src.set(w.subarray(a, a + 4));
      m.dst.set(w.subarray(a + 4, a + 8));
    } else {
      m.src.fill(0);
      m.dst.fill(0);
    }
    return m;
  }

  /**
   * Copy `len` bytes to `at`, which has the same alignment mod 4 as the source,
   * so the middle moves as 32-bit words: no subarray view per packet (Node 20's
   * Buffer.copy makes one internally), and about 4x a byte loop.
   */
  private copyIn(src: Uint8Array, off: number, len: number, at: number): void {
    const dst = this.u8;
    let k = 0;
    let d = at;
    let s = src.byteOffset + off;
    while ((s & 3) !== 0 && k < len) {
      dst[d++] = src[off + k++]!;
      s++;
    }
    const n = (len - k) >>> 2;
    if (n > 0) {
      const ab = src.buffer;
      if (ab !== this.srcBuffer) {
        // Sources reuse one buffer (live) or a 1 MiB chunk plus a scratch buffer for records that span
        // chunks (files): two cached views mean a new view per buffer, not per packet.
        const prevBuffer = this.srcBuffer;
        const prevWords = this.srcWords;
        if (ab === this.srcBuffer2) {
          this.srcWords = this.srcWords2;
        } else {
          this.srcWords = new Uint32Array(ab, 0, ab.byteLength >>> 2);
        }
        this.srcBuffer = ab;
        this.srcBuffer2 = prevBuffer;
        this.srcWords2 = prevWords;
      }
      const sw = this.srcWords;
      const dw = this.u32;
      const si = s >>> 2;
      const di = d >>> 2;
      for (let j = 0; j < n; j++) dw[di + j] = sw[si + j]!;
      k += n << 2;
      d += n << 2;
    }
    while (k < len) dst[d++] = src[off + k++]!;
  }

  private timeAt(at: number): number {
    const i = at >>> 2;
    return this.u32[i + W_SEC]! + this.u32[i + W_NSEC]! / 1e9;
  }

  /** Free `size` contiguous bytes behind the newest record, evicting the oldest as needed; returns the offset. */
  private reserve(size: number): number {
    for (;;) {
      if (this.count === 0) {
        this.head = this.tail = this.limit = 0;
        this.wrapped = false;
        return 0;
      }
      if (!this.wrapped) {
        if (this.tail + size <= this.capacity) return this.tail;
        // Leave the end unused and continue at the start, in front of the oldest record.
        this.limit = this.tail;
        this.wrapped = true;
        this.tail = 0;
        continue;
      }
      if (this.tail + size <= this.head) return this.tail;
      this.evictOldest();
    }
  }

  private evictOldest(): void {
    const i = this.head >>> 2;
    this.dataBytes -= this.u32[i + W_CAPLEN]!;
    this.head += this.u32[i + W_SIZE]!;
    this.count--;
    this.evictedCount++;
    if (this.wrapped && this.head >= this.limit) {
      // The upper segment is gone: what is left lies in [0, tail).
      this.head = 0;
      this.wrapped = false;
    }
  }
}
