import { describe, expect, it } from 'vitest';
import { HomeNet, parseV4, parseV6 } from '../../src/baseline/home-net.js';
import { AddrBook, ip6Text, v6Key } from '../../src/baseline/addr-key.js';
import { DecodedPacket, L3 } from '../../src/decode/packet.js';

describe('HomeNet', () => {
  const h = new HomeNet();
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.8', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.3.3', true],
    ['8.8.8.8', false],
  ])('%s internal: %s', (a, want) => expect(h.isInternal4(parseV4(a))).toBe(want));

  it('knows ULA and link-local IPv6 by default', () => {
    expect(h.isInternal6(parseV6('fd00::1')!)).toBe(true);
    expect(h.isInternal6(parseV6('fe80::1')!)).toBe(true);
    expect(h.isInternal6(parseV6('2001:db8::1')!)).toBe(false);
  });

  it('takes a --home-net list instead of the defaults', () => {
    const c = new HomeNet('203.0.113.0/24,2001:db8::/32');
    expect(c.isInternal4(parseV4('203.0.113.7'))).toBe(true);
    expect(c.isInternal4(parseV4('10.0.0.1'))).toBe(false);
    expect(c.isInternal6(parseV6('2001:db8:1::5')!)).toBe(true);
  });

  it('rejects bad CIDRs', () => {
    expect(() => new HomeNet('10.0.0.0/33')).toThrow(/bad CIDR/);
    expect(() => new HomeNet('10.0.0/8')).toThrow(/bad CIDR/);
    expect(() => new HomeNet('fe80:::/10')).toThrow(/bad CIDR/);
  });
});

describe('AddrBook', () => {
  it('names IPv4 keys and remembers IPv6 addresses by key', () => {
    const b = new AddrBook();
    const p = new DecodedPacket();
    p.l3 = L3.IPv6;
    p.ip6Src.set(parseV6('2001:db8::1')!);
    p.ip6Dst.set(parseV6('fd00::2')!);
    const s = b.key(p, 0);
    expect(b.name(s)).toBe('2001:db8::1');
    expect(b.name(b.key(p, 1))).toBe('fd00::2');
    expect(s).toBe(v6Key(...(parseV6('2001:db8::1') as [number, number, number, number])));
    expect(b.name(0x0a000001)).toBe('10.0.0.1');
  });

  it('writes RFC 5952 text', () => {
    expect(ip6Text(parseV6('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(ip6Text(parseV6('::')!)).toBe('::');
    expect(ip6Text(parseV6('1:2:3:4:5:6:7:8')!)).toBe('1:2:3:4:5:6:7:8');
  });
});
