// Tiny capture builders for tests, independent of src/capture writers.

export function u16(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(v);
  else b.writeUInt16BE(v);
  return b;
}

export function u32(v: number, le: boolean): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(v >>> 0);
  else b.writeUInt32BE(v >>> 0);
  return b;
}

export function pcapHeader(o: { le?: boolean; nano?: boolean; snaplen?: number; linkType?: number } = {}): Buffer {
  const le = o.le ?? true;
  return Buffer.concat([
    u32(o.nano ? 0xa1b23c4d : 0xa1b2c3d4, le),
    u16(2, le),
    u16(4, le),
    u32(0, le),
    u32(0, le),
    u32(o.snaplen ?? 65535, le),
    u32(o.linkType ?? 1, le),
  ]);
}

export function pcapRecord(o: { le?: boolean; sec: number; frac: number; data: Buffer; origLen?: number; capLen?: number }): Buffer {
  const le = o.le ?? true;
  return Buffer.concat([
    u32(o.sec, le),
    u32(o.frac, le),
    u32(o.capLen ?? o.data.length, le),
    u32(o.origLen ?? o.data.length, le),
    o.data,
  ]);
}

export function pad4(b: Buffer): Buffer {
  const n = (4 - (b.length % 4)) % 4;
  return n ? Buffer.concat([b, Buffer.alloc(n)]) : b;
}

export function block(type: number, body: Buffer, le: boolean): Buffer {
  const len = 12 + pad4(body).length;
  return Buffer.concat([u32(type, le), u32(len, le), pad4(body), u32(len, le)]);
}

export function option(code: number, value: Buffer, le: boolean): Buffer {
  return Buffer.concat([u16(code, le), u16(value.length, le), pad4(value)]);
}

export function shb(le: boolean): Buffer {
  const body = Buffer.concat([u32(0x1a2b3c4d, le), u16(1, le), u16(0, le), Buffer.alloc(8, 0xff)]);
  return block(0x0a0d0d0a, body, le);
}

export function idb(le: boolean, o: { linkType?: number; snaplen?: number; tsresol?: number; tsoffset?: bigint } = {}): Buffer {
  const opts: Buffer[] = [];
  if (o.tsresol !== undefined) opts.push(option(9, Buffer.from([o.tsresol]), le));
  if (o.tsoffset !== undefined) {
    const v = Buffer.alloc(8);
    if (le) v.writeBigInt64LE(o.tsoffset);
    else v.writeBigInt64BE(o.tsoffset);
    opts.push(option(14, v, le));
  }
  if (opts.length) opts.push(Buffer.alloc(4));
  return block(1, Buffer.concat([u16(o.linkType ?? 1, le), u16(0, le), u32(o.snaplen ?? 0, le), ...opts]), le);
}

/** EPB (type 6) or obsolete Packet Block (type 2, 16-bit interface id + drops). */
export function epb(le: boolean, o: { ifId?: number; ts: bigint; data: Buffer; origLen?: number; obsolete?: boolean }): Buffer {
  const ifField = o.obsolete ? Buffer.concat([u16(o.ifId ?? 0, le), u16(0, le)]) : u32(o.ifId ?? 0, le);
  const hi = Number(o.ts >> 32n);
  const lo = Number(o.ts & 0xffffffffn);
  return block(
    o.obsolete ? 2 : 6,
    Buffer.concat([ifField, u32(hi, le), u32(lo, le), u32(o.data.length, le), u32(o.origLen ?? o.data.length, le), o.data]),
    le,
  );
}

export function spb(le: boolean, data: Buffer, origLen = data.length): Buffer {
  return block(3, Buffer.concat([u32(origLen, le), data]), le);
}

export function frame(n: number, fill = 0xab): Buffer {
  return Buffer.alloc(n, fill);
}
