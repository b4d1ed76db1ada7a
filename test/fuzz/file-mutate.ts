/**
 * File-level mutations of pcap and pcapng captures for the fuzz tests. Record and block
 * boundaries are found by walking the original file, so length fields can be lied about
 * precisely; everything is driven by a seeded Rng so a failing case replays from its seed.
 */
import type { Rng } from '../../src/fixtures-gen/rng.js';

export interface Unit {
  /** Offset of the record (pcap: its 16-byte header) or block. */
  readonly off: number;
  readonly len: number;
  /** pcapng block type; pcap records are 0x100 (not a pcapng type). */
  readonly type: number;
}

export interface Layout {
  readonly format: 'pcap' | 'pcapng';
  readonly le: boolean;
  readonly units: readonly Unit[];
}

const PCAP_RECORD = 0x100;

function u32(b: Buffer, o: number, le: boolean): number {
  return le ? b.readUInt32LE(o) : b.readUInt32BE(o);
}

function put32(b: Buffer, o: number, v: number, le: boolean): void {
  if (o < 0 || o + 4 > b.length) return;
  if (le) b.writeUInt32LE(v >>> 0, o);
  else b.writeUInt32BE(v >>> 0, o);
}

/** Records of a pcap, blocks of a pcapng, as far as they are whole. */
export function layout(b: Buffer): Layout {
  if (b.length < 24) return { format: 'pcap', le: true, units: [] };
  const m = b.readUInt32LE(0);
  if (m === 0x0a0d0d0a) {
    const units: Unit[] = [];
    let le = b.readUInt32LE(8) === 0x1a2b3c4d;
    for (let o = 0; o + 12 <= b.length; ) {
      if (b.readUInt32LE(o) === 0x0a0d0d0a && o + 12 <= b.length) le = b.readUInt32LE(o + 8) === 0x1a2b3c4d;
      const len = u32(b, o + 4, le);
      if (len < 12 || o + len > b.length) break;
      units.push({ off: o, len, type: u32(b, o, le) });
      o += len;
    }
    return { format: 'pcapng', le: b.readUInt32LE(8) === 0x1a2b3c4d, units };
  }
  const le = m === 0xa1b2c3d4 || m === 0xa1b23c4d;
  const units: Unit[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const len = 16 + u32(b, o + 8, le);
    if (o + len > b.length) break;
    units.push({ off: o, len, type: PCAP_RECORD });
    o += len;
  }
  return { format: 'pcap', le, units };
}

/** Packets a reader must deliver from the whole units before byte `cut`. */
export function packetsBefore(l: Layout, cut: number): number {
  return l.units.filter((u) => u.off + u.len <= cut && (u.type === PCAP_RECORD || u.type === 6 || u.type === 3 || u.type === 2)).length;
}

const LIES = [0, 1, 3, 4, 11, 12, 13, 15, 16, 0x7fff, 0xffff, 0x10000, 262144, 262145, 16 << 20, (16 << 20) + 4, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

export type FileOp =
  | 'flip' | 'overwrite' | 'cut' | 'inflate' | 'zero' | 'snaplen' | 'iface' | 'byteorder' | 'splice' | 'linktype' | 'tsfrac';

export const FILE_OPS: readonly FileOp[] = ['flip', 'overwrite', 'cut', 'inflate', 'zero', 'snaplen', 'iface', 'byteorder', 'splice', 'linktype', 'tsfrac'];

function pickUnit(r: Rng, l: Layout, types?: readonly number[]): Unit | null {
  const us = types ? l.units.filter((u) => types.includes(u.type)) : l.units;
  return us.length ? r.pick(us) : null;
}

/** One mutation of `b` (a copy is returned; `b` is not changed). */
export function mutateFile(r: Rng, src: Buffer, op: FileOp): Buffer {
  const l = layout(src);
  let b = Buffer.from(src);
  const le = l.le;
  const ng = l.format === 'pcapng';
  switch (op) {
    case 'flip':
      if (b.length === 0) return b;
      for (let k = r.range(1, 8); k > 0; k--) {
        const i = r.int(b.length);
        b[i] = b[i]! ^ (1 << r.int(8));
      }
      return b;
    case 'overwrite': {
      const at = r.int(b.length);
      const fillers = [0x00, 0xff, 0x7f, 0x80, 0x1b, 0x9b];
      for (let k = r.range(1, 16), i = at; k > 0 && i < b.length; k--, i++) b[i] = r.chance(0.5) ? r.pick(fillers) : r.int(256);
      return b;
    }
    case 'cut':
      return b.subarray(0, r.int(b.length));
    case 'inflate': {
      const u = pickUnit(r, l);
      if (!u) return b;
      if (!ng) put32(b, u.off + (r.chance(0.7) ? 8 : 12), r.chance(0.5) ? r.pick(LIES) : u.len - 16 + r.range(1, 64), le);
      else if (u.type === 6 && r.chance(0.5)) put32(b, u.off + (r.chance(0.5) ? 20 : 24), r.pick(LIES), le);
      else {
        const v = r.chance(0.5) ? r.pick(LIES) : u.len + r.pick([1, 2, 4, 8, 64]);
        put32(b, u.off + 4, v, le);
        if (r.chance(0.5)) put32(b, u.off + u.len - 4, v, le);
      }
      return b;
    }
    case 'zero': {
      const u = pickUnit(r, l);
      if (!u) return b;
      if (!ng) put32(b, u.off + (r.chance(0.7) ? 8 : 12), 0, le);
      else if (u.type === 6 || u.type === 3) put32(b, u.off + (u.type === 6 ? 20 : 8), 0, le);
      else put32(b, u.off + 4, 0, le);
      return b;
    }
    case 'snaplen': {
      const v = r.pick([0, 1, 14, 65535, 262144, 262145, 0x7fffffff, 0xffffffff]);
      if (!ng) put32(b, 16, v, le);
      else {
        const u = pickUnit(r, l, [1]);
        if (u) put32(b, u.off + 12, v, le);
      }
      return b;
    }
    case 'iface': {
      const u = pickUnit(r, l, [6, 2]);
      if (u) {
        const v = r.pick([1, 2, 7, 0xffff, 0x10000, 0x7fffffff, 0xffffffff]);
        if (u.type === 6) put32(b, u.off + 8, v, le);
        else if (le) b.writeUInt16LE(v & 0xffff, u.off + 8);
        else b.writeUInt16BE(v & 0xffff, u.off + 8);
      } else if (!ng) put32(b, 20, r.pick([0, 1, 113, 276, 0x8000001, 0xffffffff, 147, 228]), le);
      return b;
    }
    case 'byteorder': {
      if (!ng && b.length < 24) return b;
      if (!ng) {
        // A second pcap header of the other byte order where a record should start.
        const u = pickUnit(r, l);
        const hdr = Buffer.from(b.subarray(0, 24));
        hdr.swap32();
        const at = u ? u.off : 24;
        return Buffer.concat([b.subarray(0, at), hdr, b.subarray(at)]);
      }
      const u = pickUnit(r, l);
      if (u && r.chance(0.6)) {
        // A section header of the other byte order between two blocks, then the rest unchanged.
        const shb = Buffer.from(b.subarray(0, l.units[0]!.len & ~3));
        for (let i = 0; i + 4 <= shb.length; i += 4) shb.writeUInt32BE(shb.readUInt32LE(i), i);
        shb.writeUInt32LE(0x0a0d0d0a, 0);
        return Buffer.concat([b.subarray(0, u.off), shb, b.subarray(u.off)]);
      }
      const t = u ?? l.units[0];
      if (t && t.off + 12 <= b.length) b.writeUInt32BE(b.readUInt32LE(t.off + 8), t.off + 8);
      return b;
    }
    case 'splice': {
      // A unit copied somewhere else, or a run of bytes repeated.
      const u = pickUnit(r, l);
      const at = r.int(b.length);
      const piece = u && r.chance(0.7) ? b.subarray(u.off, u.off + u.len) : b.subarray(at, at + r.range(1, 40));
      b = Buffer.concat([b.subarray(0, at), piece, b.subarray(at)]);
      return b;
    }
    case 'linktype': {
      const v = r.pick([0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147, 0xffff]);
      if (!ng) put32(b, 20, v, le);
      else {
        const u = pickUnit(r, l, [1]);
        if (u && le) b.writeUInt16LE(v, u.off + 8);
        else if (u) b.writeUInt16BE(v, u.off + 8);
      }
      return b;
    }
    case 'tsfrac': {
      const u = pickUnit(r, l, [PCAP_RECORD, 6]);
      if (u && ng && r.chance(0.5)) put32(b, u.off + 12, r.pick([0x7fffffff, 0x80000000, 0xffffffff]), le); // past what a Date holds
      else if (u) put32(b, u.off + (ng ? 16 : 4), r.pick([999999, 1000000, 999999999, 1000000000, 0xffffffff]), le);
      return b;
    }
  }
}

/** One to three mutations in a row; `ops` names them for the failure text. */
export function mutateSome(r: Rng, src: Buffer): { bytes: Buffer; ops: string } {
  const ops: FileOp[] = [];
  let b = src;
  for (let n = r.range(1, 3); n > 0; n--) {
    const op = r.pick(FILE_OPS);
    ops.push(op);
    b = mutateFile(r, b, op);
  }
  return { bytes: b, ops: `[${ops.join(',')}]` };
}
