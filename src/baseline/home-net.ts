import { mask4, parseIp4, parseIp6 } from '../filter/values.js';

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
    const mask = mask4(bits);
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

  /** The IPv4 networks (network address and mask, unsigned). */
  get nets4(): readonly Readonly<Net4>[] {
    return this.v4;
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

/** Dotted quad to an unsigned number, or -1 (the filter's parser; -1 keeps this module's callers simple). */
export function parseV4(s: string): number {
  return parseIp4(s) ?? -1;
}

/** IPv6 text to four big-endian words, or null (the filter's parser). */
export function parseV6(s: string): number[] | null {
  const w = parseIp6(s);
  return w === null ? null : Array.from(w);
}
