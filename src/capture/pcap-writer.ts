import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Where a writer's bytes go: a file descriptor (written synchronously, so a
 * huge capture never piles up in memory), a callback that receives each full
 * chunk (the chunk is reused afterwards: copy it if you keep it), or nothing,
 * in which case the bytes are kept in memory for `toBuffer()`.
 */
export type ByteSink = number | ((chunk: Uint8Array) => void) | undefined;

const CHUNK = 1 << 20;

/**
 * A growable-by-flushing output buffer shared by the pcap and pcapng writers.
 * Bytes go into one fixed chunk; when it fills, the chunk is handed to the
 * sink (or kept, in memory mode). One DataView is reused for all numbers.
 */
export class ByteOutput {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;
  /** Bytes written so far, including those already flushed. */
  total = 0;
  private readonly kept: Uint8Array[] = [];
  private readonly sink: ByteSink;
  private closed = false;
  ownsFd = false;

  constructor(sink?: ByteSink, chunkSize = CHUNK) {
    this.sink = sink;
    this.buf = new Uint8Array(chunkSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** Make sure n contiguous bytes are free at `pos`. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(n);
      this.view = new DataView(this.buf.buffer);
    }
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number, le: boolean): void {
    this.reserve(2);
    this.view.setUint16(this.pos, v, le);
    this.pos += 2;
  }

  u32(v: number, le: boolean): void {
    this.reserve(4);
    this.view.setUint32(this.pos, v >>> 0, le);
    this.pos += 4;
  }

  bytes(b: Uint8Array, start = 0, end = b.length): void {
    const n = end - start;
    this.reserve(n);
    this.buf.set(start === 0 && end === b.length ? b : b.subarray(start, end), this.pos);
    this.pos += n;
  }

  /**
   * `len` bytes of `src` from `off`, without a view per call (the capture writer runs per packet):
   * four bytes at a time through DataViews, which read and write at any alignment.
   */
  copyFrom(src: Uint8Array, off: number, len: number): void {
    this.reserve(len);
    const from = this.viewOf(src.buffer);
    const to = this.view;
    let i = src.byteOffset + off;
    let o = this.pos;
    const end = i + len - 3;
    for (; i < end; i += 4, o += 4) to.setUint32(o, from.getUint32(i));
    for (; i < end + 3; i++, o++) to.setUint8(o, from.getUint8(i));
    this.pos = o;
  }

  /** DataViews of the last two source buffers (a file source alternates chunk and scratch; live reuses one). */
  private src1: ArrayBufferLike | null = null;
  private view1: DataView | null = null;
  private src2: ArrayBufferLike | null = null;
  private view2: DataView | null = null;

  private viewOf(b: ArrayBufferLike): DataView {
    if (b === this.src1) return this.view1!;
    if (b !== this.src2) {
      this.src2 = b;
      this.view2 = new DataView(b);
    }
    const v = this.view2!;
    this.src2 = this.src1;
    this.view2 = this.view1;
    this.src1 = b;
    this.view1 = v;
    return v;
  }

  zeros(n: number): void {
    this.reserve(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  /** Hand buffered bytes to the sink (or keep them, in memory mode). */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.total += this.pos;
    if (typeof this.sink === 'number') {
      let off = 0;
      while (off < chunk.length) off += writeSync(this.sink, chunk, off, chunk.length - off);
    } else if (typeof this.sink === 'function') {
      this.sink(chunk);
    } else {
      this.kept.push(chunk.slice());
    }
    this.pos = 0;
  }

  /** Everything written so far (memory mode only). */
  toBuffer(): Uint8Array {
    if (this.sink !== undefined) throw new Error('toBuffer() is only available for in-memory writers');
    this.flush();
    if (this.kept.length === 1) return this.kept[0]!;
    const out = new Uint8Array(this.total);
    let o = 0;
    for (const k of this.kept) {
      out.set(k, o);
      o += k.length;
    }
    this.kept.length = 0;
    if (out.length > 0) this.kept.push(out);
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.ownsFd && typeof this.sink === 'number') closeSync(this.sink);
  }
}

export interface PcapWriterOptions {
  /** LINKTYPE_* value (default 1, Ethernet). */
  linkType?: number;
  /** Snapshot length in the header; longer packets are cut to it (default 262144). */
  snaplen?: number;
  /** Nanosecond timestamps (magic a1b23c4d) instead of microseconds (a1b2c3d4). */
  nanos?: boolean;
  /** Write a big-endian file (default little-endian). */
  bigEndian?: boolean;
  /** Version fields (default 2.4). */
  versionMajor?: number;
  versionMinor?: number;
}

/**
 * Writes a classic libpcap file. In memory (`new PcapWriter(opts)` then
 * `toBuffer()`), to a descriptor or callback (`new PcapWriter(opts, sink)`), or
 * streaming to a path (`PcapWriter.toFile`) with a fixed 1 MiB buffer, which
 * is what million-packet benchmark files use.
 */
export class PcapWriter {
  readonly linkType: number;
  readonly snaplen: number;
  readonly nanos: boolean;
  readonly littleEndian: boolean;
  packets = 0;
  private readonly out: ByteOutput;

  constructor(opts: PcapWriterOptions = {}, sink?: ByteSink) {
    this.linkType = opts.linkType ?? 1;
    this.snaplen = opts.snaplen ?? 262144;
    this.nanos = opts.nanos ?? false;
    this.littleEndian = !(opts.bigEndian ?? false);
    this.out = new ByteOutput(sink);
    const le = this.littleEndian;
    this.out.u32(this.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
    this.out.u16(opts.versionMajor ?? 2, le);
    this.out.u16(opts.versionMinor ?? 4, le);
    this.out.u32(0, le); // thiszone
    this.out.u32(0, le); // sigfigs
    this.out.u32(this.snaplen, le);
    this.out.u32(this.linkType, le);
  }

  /** Open (truncate) a file and stream packets into it; call close() at the end. */
  static toFile(path: string, opts: PcapWriterOptions = {}): PcapWriter {
    const fd = openSync(path, 'w');
    const w = new PcapWriter(opts, fd);
    w.out.ownsFd = true;
    return w;
  }

  /**
   * One record. `tsNsec` is nanoseconds within the second whatever the file
   * resolution; `origLen` defaults to data.length (it is raised to the
   * captured length if smaller). Data past snaplen is not written.
   */
  writePacket(tsSec: number, tsNsec: number, data: Uint8Array, origLen?: number): void {
    const cap = Math.min(data.length, this.snaplen);
    const orig = Math.max(origLen ?? data.length, cap);
    const frac = this.nanos ? tsNsec : Math.floor(tsNsec / 1000);
    this.writeRecordRaw(tsSec, frac, cap, orig, data.subarray(0, cap));
  }

  /**
   * One record from `len` bytes of `buf` at `off` (a decoded packet's frame), cut to snaplen; copies
   * without allocating (see ByteOutput.copyFrom).
   */
  writeFrame(tsSec: number, tsNsec: number, buf: Uint8Array, off: number, len: number, origLen: number): void {
    const cap = Math.min(len, this.snaplen);
    const o = this.out;
    const le = this.littleEndian;
    o.reserve(16 + cap);
    o.u32(tsSec, le);
    o.u32(this.nanos ? tsNsec : Math.floor(tsNsec / 1000), le);
    o.u32(cap, le);
    o.u32(Math.max(origLen, cap), le);
    o.copyFrom(buf, off, cap);
    this.packets++;
  }

  /** Hand what is buffered to the sink now (a file being read while it grows). */
  flush(): void {
    this.out.flush();
  }

  /**
   * A record with its header fields exactly as given (for reader tests: caplen
   * larger than snaplen, fraction out of range). Writes `data` as is.
   */
  writeRecordRaw(tsSec: number, tsFrac: number, capLen: number, origLen: number, data: Uint8Array): void {
    const o = this.out;
    const le = this.littleEndian;
    o.reserve(16 + data.length);
    o.u32(tsSec, le);
    o.u32(tsFrac, le);
    o.u32(capLen, le);
    o.u32(origLen, le);
    o.bytes(data);
    this.packets++;
  }

  /** Bytes written so far (header included). */
  get bytesWritten(): number {
    return this.out.total + this.out.pos;
  }

  /** The whole file (in-memory writers only). */
  toBuffer(): Uint8Array {
    return this.out.toBuffer();
  }

  /** Flush to the sink; closes the file when this writer opened it. */
  close(): void {
    this.out.close();
  }
}
