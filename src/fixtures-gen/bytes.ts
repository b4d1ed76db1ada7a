/** Address parsing, concatenation and the Internet checksum for the packet builders. */

export type MacAddr = string | Uint8Array;
export type Ip4Addr = string | number | Uint8Array;
export type Ip6Addr = string | Uint8Array;

export function concat(...parts: Uint8Array[]): Uint8Array {
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

export function mac(a: MacAddr): Uint8Array {
  if (typeof a !== 'string') return a;
  const parts = a.split(/[:-]/);
  if (parts.length !== 6) throw new Error(`bad MAC ${a}`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function ip4(a: Ip4Addr): Uint8Array {
  if (typeof a === 'number') return Uint8Array.of(a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255);
  if (typeof a !== 'string') return a;
  const parts = a.split('.');
  if (parts.length !== 4) throw new Error(`bad IPv4 ${a}`);
  return Uint8Array.from(parts.map((p) => Number(p)));
}

export function ip4ToNumber(a: string): number {
  const b = ip4(a);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

export function ip6(a: Ip6Addr): Uint8Array {
  if (typeof a !== 'string') return a;
  const out = new Uint8Array(16);
  let s = a;
  let v4: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    v4 = ip4(s.slice(lastColon + 1));
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = s.indexOf('::');
  const head = dbl >= 0 ? s.slice(0, dbl) : s;
  const tail = dbl >= 0 ? s.slice(dbl + 2) : '';
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = dbl >= 0 ? 8 - h.length - t.length : 0;
  const words = [...h, ...new Array<string>(fill).fill('0'), ...t];
  if (words.length !== 8) throw new Error(`bad IPv6 ${a}`);
  words.forEach((w, i) => {
    const n = parseInt(w, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 255;
  });
  if (v4) out.set(v4, 12);
  return out;
}

/** Ones-complement sum of buf[off..off+len) added to `sum` (not folded). */
export function sum16(buf: Uint8Array, off: number, len: number, sum = 0): number {
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) sum += buf[i]! << 8;
  return sum;
}

export function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

export function checksum(buf: Uint8Array, off = 0, len = buf.length - off, initial = 0): number {
  return fold(sum16(buf, off, len, initial));
}

export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 255;
  b[o + 1] = v & 255;
}

export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 255;
  b[o + 1] = (v >>> 16) & 255;
  b[o + 2] = (v >>> 8) & 255;
  b[o + 3] = v & 255;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
