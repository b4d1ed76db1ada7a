/**
 * Literal parsing for filter values. Each parser returns null when the text is
 * not of its kind, so callers can say which kind they expected.
 */

/** Wireshark integer literal: decimal, 0x hex, 0b binary, leading-0 octal, optional sign. */
export function parseInteger(s: string): number | null {
  let neg = false;
  let t = s;
  if (t.startsWith('-')) {
    neg = true;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[bB][01]+$/.test(t)) v = parseInt(t.slice(2), 2);
  else if (/^0[0-7]+$/.test(t)) v = parseInt(t.slice(1), 8);
  else if (/^[0-9]+$/.test(t)) v = parseInt(t, 10);
  else return null;
  if (!Number.isSafeInteger(v)) return null;
  return neg ? -v : v;
}

export function parseFloatLit(s: string): number | null {
  if (!/^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** Dotted quad to an unsigned 32-bit number. */
export function parseIp4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v;
}

/** IPv6 text to four big-endian 32-bit words (also accepts a trailing dotted quad). */
export function parseIp6(s: string): Uint32Array | null {
  if (s.length < 2 || s.length > 45 || !s.includes(':')) return null;
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const v4 = parseIp4(maybeV4);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  if (head === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    const rest = parseGroups(halves[1]!);
    if (rest === null) return null;
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  const w = new Uint32Array(4);
  for (let i = 0; i < 4; i++) w[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return w;
}

/** MAC address (aa:bb:cc:dd:ee:ff, aa-bb-.., aabb.ccdd.eeff) as a 48-bit number. */
export function parseMac(s: string): number | null {
  let hex: string;
  if (/^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/.test(s)) {
    hex = s
      .split(/[:-]/)
      .map((b) => b.padStart(2, '0'))
      .join('');
  } else if (/^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(s)) {
    hex = s.replace(/\./g, '');
  } else return null;
  return parseInt(hex, 16);
}

/** Byte string `aa:bb:cc` (or `aa-bb`, `aa.bb`, a single byte `aa`) as bytes. */
export function parseByteString(s: string): Uint8Array | null {
  if (!/^[0-9a-fA-F]{2}([:.-][0-9a-fA-F]{2})*$/.test(s)) return null;
  const parts = s.split(/[:.-]/);
  const out = new Uint8Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parseInt(parts[i]!, 16);
  return out;
}

/** Netmask of `bits` leading ones as an unsigned 32-bit number. */
export function mask4(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export function ip4ToText(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function macToText(n: number): string {
  return n.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
}

/**
 * An IPv4 address as the filter compares it: flipping the top bit maps the
 * unsigned address onto a signed 32-bit integer in the same order (so CIDR
 * ranges stay ranges). Addresses at or above 128.0.0.0 would otherwise be heap
 * numbers, which V8 allocates whenever a getter returning one is not inlined.
 */
export function ipv4Key(u: number): number {
  return u ^ 0x80000000;
}
