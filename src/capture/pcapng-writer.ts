import { openSync } from 'node:fs';
import { ByteOutput, type ByteSink } from './pcap-writer.js';
import { parseIp4, parseIp6, toUnits, unitWords } from './pcapng-bytes.js';

export { toUnits } from './pcapng-bytes.js';

export interface PcapngWriterOptions {
  /** Write the first section big-endian (default little-endian). */
  bigEndian?: boolean;
  /** SHB options. */
  hardware?: string;
  os?: string;
  userAppl?: string;
  comment?: string;
}

export interface PcapngInterface {
  linkType: number;
  /** Default 262144. */
  snaplen?: number;
  /**
   * if_tsresol byte as in the spec: n means 10^-n seconds, 0x80|n means 2^-n.
   * Omitted means the default (microseconds) and no option is written.
   */
  tsresol?: number;
  name?: string;
  description?: string;
}

export interface EpbOptions {
  comment?: string;
  /** epb_flags (32-bit). */
  flags?: number;
}

export interface IsbCounters {
  ifRecv?: number;
  ifDrop?: number;
  osDrop?: number;
  filterAccept?: number;
  delivered?: number;
}

export interface NameRecord {
  /** 'a.b.c.d' (IPv4) or an IPv6 literal. */
  addr: string;
  names: string[];
}

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 0x00000001;
const BT_SPB = 0x00000003;
const BT_NRB = 0x00000004;
const BT_ISB = 0x00000005;
const BT_EPB = 0x00000006;

const enc = new TextEncoder();

/**
 * Writes pcapng: a Section Header Block, Interface Description Blocks as
 * interfaces are added, and Enhanced Packet Blocks; on request also Simple
 * Packet, Name Resolution, Interface Statistics and arbitrary (unknown) blocks
 * and further sections, which the reader tests need. Same sinks as PcapWriter.
 */
export class PcapngWriter {
  private readonly out: ByteOutput;
  private le: boolean;
  private ifaces: { snaplen: number; tsresol: number }[] = [];
  packets = 0;

  constructor(opts: PcapngWriterOptions = {}, sink?: ByteSink) {
    this.out = new ByteOutput(sink);
    this.le = !(opts.bigEndian ?? false);
    this.beginSection(opts);
  }

  static toFile(path: string, opts: PcapngWriterOptions = {}): PcapngWriter {
    const fd = openSync(path, 'w');
    const w = new PcapngWriter(opts, fd);
    w.out.ownsFd = true;
    return w;
  }

  /**
   * Starts a new section (the constructor writes the first). Interfaces are
   * per section, so indexes restart at 0. A section may switch endianness.
   */
  beginSection(opts: PcapngWriterOptions = {}): void {
    if (opts.bigEndian !== undefined) this.le = !opts.bigEndian;
    this.ifaces = [];
    const opt: Uint8Array[] = [];
    if (opts.comment) opt.push(this.option(1, enc.encode(opts.comment)));
    if (opts.hardware) opt.push(this.option(2, enc.encode(opts.hardware)));
    if (opts.os) opt.push(this.option(3, enc.encode(opts.os)));
    if (opts.userAppl) opt.push(this.option(4, enc.encode(opts.userAppl)));
    const body = new Uint8Array(16);
    const v = new DataView(body.buffer);
    v.setUint32(0, 0x1a2b3c4d, this.le);
    v.setUint16(4, 1, this.le);
    v.setUint16(6, 0, this.le);
    // Section length -1: unknown.
    v.setInt32(8, -1, this.le);
    v.setInt32(12, -1, this.le);
    this.block(BT_SHB, body, opt);
  }

  /** Writes an IDB and returns the interface index. */
  addInterface(i: PcapngInterface): number {
    const opt: Uint8Array[] = [];
    if (i.name) opt.push(this.option(2, enc.encode(i.name)));
    if (i.description) opt.push(this.option(3, enc.encode(i.description)));
    if (i.tsresol !== undefined) opt.push(this.option(9, Uint8Array.of(i.tsresol)));
    const snaplen = i.snaplen ?? 262144;
    const body = new Uint8Array(8);
    const v = new DataView(body.buffer);
    v.setUint16(0, i.linkType, this.le);
    v.setUint32(4, snaplen, this.le);
    this.block(BT_IDB, body, opt);
    this.ifaces.push({ snaplen, tsresol: i.tsresol ?? 6 });
    return this.ifaces.length - 1;
  }

  /** An Enhanced Packet Block. `tsNsec` is nanoseconds within the second. */
  writePacket(ifIndex: number, tsSec: number, tsNsec: number, data: Uint8Array, origLen?: number, o?: EpbOptions): void {
    const iface = this.ifaces[ifIndex];
    if (!iface) throw new Error(`pcapng: no interface ${ifIndex} in this section`);
    const cap = iface.snaplen > 0 ? Math.min(data.length, iface.snaplen) : data.length;
    const orig = Math.max(origLen ?? data.length, cap);
    const ts = toUnits(tsSec, tsNsec, iface.tsresol);
    const opt: Uint8Array[] = [];
    if (o?.comment) opt.push(this.option(1, enc.encode(o.comment)));
    if (o?.flags !== undefined) {
      const f = new Uint8Array(4);
      new DataView(f.buffer).setUint32(0, o.flags, this.le);
      opt.push(this.option(2, f));
    }
    const le = this.le;
    const pad = (4 - (cap & 3)) & 3;
    const optLen = opt.length ? opt.reduce((n, b) => n + b.length, 0) + 4 : 0;
    const total = 28 + cap + pad + optLen + 4;
    const out = this.out;
    out.reserve(total);
    out.u32(BT_EPB, le);
    out.u32(total, le);
    out.u32(ifIndex, le);
    out.u32(Number(ts >> 32n), le);
    out.u32(Number(ts & 0xffffffffn), le);
    out.u32(cap, le);
    out.u32(orig, le);
    out.bytes(data, 0, cap);
    out.zeros(pad);
    if (opt.length) {
      for (const b of opt) out.bytes(b);
      out.zeros(4); // opt_endofopt
    }
    out.u32(total, le);
    this.packets++;
  }

  /**
   * An Enhanced Packet Block from `len` bytes of `buf` at `off` (a decoded packet's frame), without
   * options and without allocating (`-w` writes one per packet). The interface's resolution must be
   * decimal (if_tsresol 0..9), as `addInterface({tsresol: 9})` makes it.
   */
  writeFrame(ifIndex: number, tsSec: number, tsNsec: number, buf: Uint8Array, off: number, len: number, origLen: number): void {
    const iface = this.ifaces[ifIndex];
    if (!iface || iface.tsresol > 9) throw new Error(`pcapng: no decimal-resolution interface ${ifIndex} in this section`);
    const cap = iface.snaplen > 0 ? Math.min(len, iface.snaplen) : len;
    const pad = (4 - (cap & 3)) & 3;
    const total = 32 + cap + pad;
    const le = this.le;
    const out = this.out;
    out.reserve(total);
    out.u32(BT_EPB, le);
    out.u32(total, le);
    out.u32(ifIndex, le);
    const w = unitWords(tsSec, tsNsec, iface.tsresol);
    out.u32(w.high, le);
    out.u32(w.low, le);
    out.u32(cap, le);
    out.u32(Math.max(origLen, cap), le);
    out.copyFrom(buf, off, cap);
    out.zeros(pad);
    out.u32(total, le);
    this.packets++;
  }

  /** Hand what is buffered to the sink now. */
  flush(): void {
    this.out.flush();
  }

  /** A Simple Packet Block (implicitly interface 0; captured length is min(orig, snaplen)). */
  writeSimplePacket(data: Uint8Array, origLen?: number): void {
    const snap = this.ifaces[0]?.snaplen ?? 0;
    const cap = snap > 0 ? Math.min(data.length, snap) : data.length;
    const body = new Uint8Array(4 + cap);
    new DataView(body.buffer).setUint32(0, Math.max(origLen ?? data.length, cap), this.le);
    body.set(data.subarray(0, cap), 4);
    this.block(BT_SPB, body, []);
    this.packets++;
  }

  /** A Name Resolution Block with IPv4/IPv6 records. */
  writeNameResolution(records: NameRecord[]): void {
    const parts: Uint8Array[] = [];
    for (const r of records) {
      const isV6 = r.addr.includes(':');
      const addr = isV6 ? parseIp6(r.addr) : parseIp4(r.addr);
      const names = r.names.map((n) => enc.encode(n + '\0'));
      const len = addr.length + names.reduce((n, b) => n + b.length, 0);
      const rec = new Uint8Array(4 + len + ((4 - (len & 3)) & 3));
      const v = new DataView(rec.buffer);
      v.setUint16(0, isV6 ? 2 : 1, this.le);
      v.setUint16(2, len, this.le);
      rec.set(addr, 4);
      let o = 4 + addr.length;
      for (const n of names) {
        rec.set(n, o);
        o += n.length;
      }
      parts.push(rec);
    }
    parts.push(new Uint8Array(4)); // nrb_record_end
    this.block(BT_NRB, Buffer.concat(parts), []);
  }

  /** An Interface Statistics Block. */
  writeInterfaceStats(ifIndex: number, tsSec: number, tsNsec: number, c: IsbCounters = {}): void {
    const iface = this.ifaces[ifIndex];
    const ts = toUnits(tsSec, tsNsec, iface?.tsresol ?? 6);
    const body = new Uint8Array(12);
    const v = new DataView(body.buffer);
    v.setUint32(0, ifIndex, this.le);
    v.setUint32(4, Number(ts >> 32n), this.le);
    v.setUint32(8, Number(ts & 0xffffffffn), this.le);
    const opt: Uint8Array[] = [];
    const codes: [keyof IsbCounters, number][] = [
      ['ifRecv', 4],
      ['ifDrop', 5],
      ['filterAccept', 6],
      ['osDrop', 7],
      ['delivered', 8],
    ];
    for (const [k, code] of codes) {
      const n = c[k];
      if (n === undefined) continue;
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt(n), this.le);
      opt.push(this.option(code, b));
    }
    this.block(BT_ISB, body, opt);
  }

  /** Any block type with a raw body (padded to 4 bytes); readers must skip unknown ones. */
  writeCustomBlock(type: number, body: Uint8Array): void {
    this.block(type, body, []);
  }

  get bytesWritten(): number {
    return this.out.total + this.out.pos;
  }

  toBuffer(): Uint8Array {
    return this.out.toBuffer();
  }

  close(): void {
    this.out.close();
  }

  private option(code: number, value: Uint8Array): Uint8Array {
    const b = new Uint8Array(4 + value.length + ((4 - (value.length & 3)) & 3));
    const v = new DataView(b.buffer);
    v.setUint16(0, code, this.le);
    v.setUint16(2, value.length, this.le);
    b.set(value, 4);
    return b;
  }

  private block(type: number, body: Uint8Array, opts: Uint8Array[]): void {
    const pad = (4 - (body.length & 3)) & 3;
    const optLen = opts.length ? opts.reduce((n, b) => n + b.length, 0) + 4 : 0;
    const total = 12 + body.length + pad + optLen;
    const o = this.out;
    o.reserve(total);
    o.u32(type, this.le);
    o.u32(total, this.le);
    o.bytes(body);
    o.zeros(pad);
    if (opts.length) {
      for (const b of opts) o.bytes(b);
      o.zeros(4);
    }
    o.u32(total, this.le);
  }
}
