/**
 * Which addresses are "inside". Defaults: RFC 1918, loopback, IPv4
 * link-local, IPv6 ULA (fc00::/7), link-local (fe80::/10) and loopback.
 * `--home-net CIDR,...` replaces the defaults.
 */
interface Net4 {
  net: number;
  mask: number;
}
interface Net6 {
  words: number[];
  bits: number;
}

export const DEFAULT_HOME_NET = '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.0/8,169.254.0.0/16,fc00::/7,fe80::/10,::1/128';

export class HomeNet {
  private readonly v4: Net4[] = [];
  private readonly v6: Net6[] = [];

  constructor(readonly spec: string = DEFAULT_HOME_NET) {
    for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) this.addCidr(part);
  }

  private addCidr(text: string): void {
    const [addr, lenText] = text.split('/');
    if (addr === undefined) throw new Error(`bad CIDR "${text}"`);
    if (addr.includes(':')) {
      const words = parseV6(addr);
      const bits = lenText === undefined ? 128 : Number(lenText);
      if (!words || !Number.isInteger(bits) || bits < 0 || bits > 128) throw new Error(`bad CIDR "${text}"`);
      this.v6.push({ words, bits });
      return;
    }
    const n = parseV4(addr);
    const bits = lenText === undefined ? 32 : Number(lenText);
    if (n < 0 || !Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`bad CIDR "${text}"`);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    this.v4.push({ net: (n & mask) >>> 0, mask });
  }

  isInternal4(n: number): boolean {
    const v4 = this.v4;
    for (let i = 0; i < v4.length; i++) {
      const r = v4[i]!;
      if (((n & r.mask) >>> 0) === r.net) return true;
    }
    return false;
  }

  isInternal6(w: ArrayLike<number>): boolean {
    for (const r of this.v6) if (match6(w, r)) return true;
    return false;
  }
}

/** Multicast and broadcast: neither inside nor outside for exfiltration purposes. */
export function isGroup4(n: number): boolean {
  return n >>> 28 === 14 || n === 0xffffffff;
}

function match6(w: ArrayLike<number>, r: Net6): boolean {
  let left = r.bits;
  for (let i = 0; i < 4 && left > 0; i++, left -= 32) {
    const m = left >= 32 ? 0xffffffff : (0xffffffff << (32 - left)) >>> 0;
    if (((w[i]! & m) >>> 0) !== ((r.words[i]! & m) >>> 0)) return false;
  }
  return true;
}

export function parseV4(s: string): number {
  const p = s.split('.');
  if (p.length !== 4) return -1;
  let n = 0;
  for (const x of p) {
    if (!/^\d{1,3}$/.test(x) || Number(x) > 255) return -1;
    n = n * 256 + Number(x);
  }
  return n;
}

export function parseV6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = parse(halves[0]!);
  const b = halves.length === 2 ? parse(halves[1]!) : [];
  if (!a || !b) return null;
  const fill = 8 - a.length - b.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return null;
  const g = [...a, ...new Array(fill).fill(0), ...b];
  return [0, 1, 2, 3].map((i) => ((g[i * 2]! << 16) | g[i * 2 + 1]!) >>> 0);
}
