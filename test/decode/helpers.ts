import { readFileSync } from 'node:fs';
import { PacketRecord } from '../../src/capture/record.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Decoder } from '../../src/decode/decoder.js';
import { parseIp4, parseIp6 } from '../../src/decode/addr.js';

// ---------------------------------------------------------------- byte building

export function bytes(...parts: Array<Uint8Array | number[]>): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const u16 = (v: number): number[] => [(v >> 8) & 255, v & 255];
export const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function ip4Bytes(a: string): number[] {
  const n = parseIp4(a);
  if (n === null) throw new Error(`bad ipv4 ${a}`);
  return u32(n);
}

function ip6Bytes(a: string): number[] {
  const w = parseIp6(a);
  if (w === null) throw new Error(`bad ipv6 ${a}`);
  return [...w].flatMap((x) => u32(x));
}

export const MAC_A = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
export const MAC_B = [0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];

export function eth(type: number, payload: Uint8Array, dst = MAC_B, src = MAC_A): Uint8Array {
  return bytes(dst, src, u16(type), payload);
}

/** One VLAN tag (TCI with the id) followed by the next ethertype; prepend to the payload. */
export function vlanTag(id: number, nextType: number, pcp = 0): number[] {
  return [...u16((pcp << 13) | id), ...u16(nextType)];
}

export interface Ip4Opts {
  src?: string;
  dst?: string;
  proto?: number;
  ttl?: number;
  id?: number;
  df?: boolean;
  mf?: boolean;
  /** Fragment offset in bytes (multiple of 8). */
  fragOff?: number;
  options?: number[];
  /** Override the total length field. */
  totalLen?: number;
  /** Override the IHL nibble. */
  ihl?: number;
  version?: number;
}

export function ipv4(o: Ip4Opts, payload: Uint8Array): Uint8Array {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  const ihl = o.ihl ?? hl / 4;
  const tl = o.totalLen ?? hl + payload.length;
  const ff = (o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | ((o.fragOff ?? 0) / 8);
  return bytes(
    [((o.version ?? 4) << 4) | ihl, 0], u16(tl), u16(o.id ?? 0x1234), u16(ff), [o.ttl ?? 64, o.proto ?? 6], [0, 0],
    ip4Bytes(o.src ?? '10.0.0.1'), ip4Bytes(o.dst ?? '10.0.0.2'), opts, payload,
  );
}

export interface Ip6Opts {
  src?: string;
  dst?: string;
  nh?: number;
  hlim?: number;
  /** Override the payload length field. */
  plen?: number;
  version?: number;
}

export function ipv6(o: Ip6Opts, payload: Uint8Array): Uint8Array {
  return bytes(
    [(o.version ?? 6) << 4, 0, 0, 0], u16(o.plen ?? payload.length), [o.nh ?? 6, o.hlim ?? 64],
    ip6Bytes(o.src ?? '2001:db8::1'), ip6Bytes(o.dst ?? '2001:db8::2'), payload,
  );
}

/** A hop-by-hop / routing / destination-options header of (len8 + 1) * 8 bytes. */
export function ext6(nh: number, len8 = 0, body?: number[]): number[] {
  const n = (len8 + 1) * 8;
  const h = new Array<number>(n).fill(0);
  h[0] = nh;
  h[1] = len8;
  if (body) body.forEach((v, i) => (h[2 + i] = v));
  return h;
}

export function frag6(nh: number, offBytes: number, more: boolean, id: number): number[] {
  return [nh, 0, ...u16(offBytes | (more ? 1 : 0)), ...u32(id)];
}

/** AH header with `words` 4-byte words of ICV beyond the 12 fixed bytes. */
export function ah(nh: number, icvWords = 1): number[] {
  const n = 12 + icvWords * 4;
  const h = new Array<number>(n).fill(0);
  h[0] = nh;
  h[1] = n / 4 - 2;
  return h;
}

export interface TcpOpts {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  /** Flags byte plus NS as 0x100. */
  flags?: number;
  win?: number;
  options?: number[];
  /** Override the data offset nibble. */
  dataOff?: number;
}

export function tcp(o: TcpOpts, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  const doff = o.dataOff ?? hl / 4;
  const flags = o.flags ?? 0x18;
  return bytes(
    u16(o.sport ?? 40000), u16(o.dport ?? 80), u32(o.seq ?? 1000), u32(o.ack ?? 2000),
    [(doff << 4) | ((flags >> 8) & 1), flags & 255], u16(o.win ?? 65535), [0, 0, 0, 0], opts, payload,
  );
}

export function udp(sport: number, dport: number, payload: Uint8Array, len?: number): Uint8Array {
  return bytes(u16(sport), u16(dport), u16(len ?? payload.length + 8), [0, 0], payload);
}

export function icmp(type: number, code: number, rest: number[] = [0, 1, 0, 1]): Uint8Array {
  return bytes([type, code, 0, 0], rest);
}

export function arp(op: number, spa: string, tpa: string): Uint8Array {
  return bytes(u16(1), u16(0x0800), [6, 4], u16(op), MAC_A, ip4Bytes(spa), [0, 0, 0, 0, 0, 0], ip4Bytes(tpa));
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

// ---------------------------------------------------------------- decoding

export function record(data: Uint8Array, linkType = 1, origLen?: number, off = 0): PacketRecord {
  const r = new PacketRecord();
  const buf = new Uint8Array(off + data.length);
  buf.set(data, off);
  r.buf = buf;
  r.off = off;
  r.capLen = data.length;
  r.origLen = origLen ?? data.length;
  r.linkType = linkType;
  return r;
}

/** Decode one packet with a fresh decoder (pass `dec` to share fragment state or paths). */
export function decode(data: Uint8Array, linkType = 1, dec = new Decoder(), origLen?: number): DecodedPacket {
  const out = new DecodedPacket();
  dec.decode(record(data, linkType, origLen), out);
  return out;
}

export function pathName(dec: Decoder, p: DecodedPacket): string {
  return dec.paths.name(p.pathId);
}

// ---------------------------------------------------------------- tiny capture reader (tests only)

export interface FileRecord {
  buf: Uint8Array;
  off: number;
  capLen: number;
  origLen: number;
  linkType: number;
  ifIndex: number;
}

/** Reads a whole pcap or pcapng file; enough for the corpus tests, not a product reader. */
export function readCapture(path: string): FileRecord[] {
  const buf = new Uint8Array(readFileSync(path));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4) return [];
  const magicBe = dv.getUint32(0, false);
  if (magicBe === 0x0a0d0d0a) return readPcapng(buf, dv);
  let le: boolean;
  if (magicBe === 0xa1b2c3d4 || magicBe === 0xa1b23c4d) le = false;
  else if (magicBe === 0xd4c3b2a1 || magicBe === 0x4d3cb2a1) le = true;
  else throw new Error(`not a capture: ${path}`);
  const linkType = dv.getUint32(20, le) & 0xffff;
  const out: FileRecord[] = [];
  for (let o = 24; o + 16 <= buf.length; ) {
    const cap = dv.getUint32(o + 8, le);
    const orig = dv.getUint32(o + 12, le);
    if (o + 16 + cap > buf.length) break;
    out.push({ buf, off: o + 16, capLen: cap, origLen: orig, linkType, ifIndex: 0 });
    o += 16 + cap;
  }
  return out;
}

function readPcapng(buf: Uint8Array, dv: DataView): FileRecord[] {
  const out: FileRecord[] = [];
  let le = true;
  let ifaces: number[] = [];
  for (let o = 0; o + 12 <= buf.length; ) {
    let type = dv.getUint32(o, le);
    if (type === 0x0a0d0d0a) {
      le = dv.getUint32(o + 8, true) === 0x1a2b3c4d;
      ifaces = [];
      type = 0x0a0d0d0a;
    }
    const len = dv.getUint32(o + 4, le);
    if (len < 12 || o + len > buf.length) break;
    if (type === 1) ifaces.push(dv.getUint16(o + 8, le));
    else if (type === 6) {
      const ifId = dv.getUint32(o + 8, le);
      const cap = dv.getUint32(o + 20, le);
      const orig = dv.getUint32(o + 24, le);
      out.push({ buf, off: o + 28, capLen: cap, origLen: orig, linkType: ifaces[ifId] ?? -1, ifIndex: ifId });
    } else if (type === 3) {
      const orig = dv.getUint32(o + 8, le);
      const cap = Math.min(orig, len - 16);
      out.push({ buf, off: o + 12, capLen: cap, origLen: orig, linkType: ifaces[0] ?? -1, ifIndex: 0 });
    } else if (type === 2) {
      const ifId = dv.getUint16(o + 8, le);
      const cap = dv.getUint32(o + 20, le);
      const orig = dv.getUint32(o + 24, le);
      out.push({ buf, off: o + 28, capLen: cap, origLen: orig, linkType: ifaces[ifId] ?? -1, ifIndex: ifId });
    }
    o += len;
  }
  return out;
}

export function toRecord(f: FileRecord, r = new PacketRecord()): PacketRecord {
  r.buf = f.buf;
  r.off = f.off;
  r.capLen = f.capLen;
  r.origLen = f.origLen;
  r.linkType = f.linkType;
  r.ifIndex = f.ifIndex;
  return r;
}
