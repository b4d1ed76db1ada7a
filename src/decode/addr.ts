/**
 * Address formatting and parsing. These allocate strings, so they are for
 * rows that are shown, never for the per-packet path.
 */

/** Dotted quad of an unsigned 32-bit IPv4 address. */
export function ip4ToString(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * IPv6 text exactly as glibc inet_ntop (and so tshark) prints it: RFC 5952
 * lower-case hex, the longest run of two or more zero groups (the first on
 * a tie) as "::", and the last 32 bits as a dotted quad for IPv4-mapped
 * (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, when the first six groups
 * are zero and the seventh is not) addresses.
 */
export function ip6ToString(words: ArrayLike<number>): string {
  const g = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    const w = (words[i] ?? 0) >>> 0;
    g[2 * i] = w >>> 16;
    g[2 * i + 1] = w & 0xffff;
  }
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (g[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff))) {
      s += ip4ToString(((g[6]! << 16) | g[7]!) >>> 0);
      return s;
    }
    s += g[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

/** "a.b.c.d" (each 0..255, decimal, no leading zeros beyond "0") to an unsigned number, or null. */
export function parseIp4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** IPv6 text (with "::" and an optional trailing dotted quad) to four big-endian words, or null. */
export function parseIp6(text: string): Uint32Array | null {
  if (text.length === 0 || text.length > 45) return null;
  const dbl = text.indexOf('::');
  if (dbl !== -1 && text.indexOf('::', dbl + 1) !== -1) return null;
  const head = dbl === -1 ? text : text.slice(0, dbl);
  const tail = dbl === -1 ? '' : text.slice(dbl + 2);
  const hg = head === '' ? [] : head.split(':');
  const tg = tail === '' ? [] : tail.split(':');
  const groups: number[] = [];
  const parseGroups = (list: string[], allowV4Last: boolean, into: number[]): boolean => {
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (allowV4Last && i === list.length - 1 && p.includes('.')) {
        const v4 = parseIp4(p);
        if (v4 === null) return false;
        into.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return false;
        into.push(parseInt(p, 16));
      }
    }
    return true;
  };
  const tailGroups: number[] = [];
  if (dbl === -1) {
    if (!parseGroups(hg, true, groups) || groups.length !== 8) return null;
  } else {
    if (!parseGroups(hg, false, groups)) return null;
    if (!parseGroups(tg, true, tailGroups)) return null;
    const fill = 8 - groups.length - tailGroups.length;
    if (fill < 1) return null;
    for (let i = 0; i < fill; i++) groups.push(0);
    groups.push(...tailGroups);
  }
  const w = new Uint32Array(4);
  for (let i = 0; i < 4; i++) w[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return w;
}

const HEX = '0123456789abcdef';

/** "aa:bb:cc:dd:ee:ff" of the 6 bytes at buf[off]; "" if they are not all there. */
export function macToString(buf: Uint8Array, off: number): string {
  if (off < 0 || off + 6 > buf.length) return '';
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = buf[off + i]!;
    if (i) s += ':';
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}
