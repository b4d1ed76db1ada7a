import { describe, expect, it } from 'vitest';
import { ip4ToString, ip6ToString, macToString, parseIp4, parseIp6 } from '../../src/decode/addr.js';

/** Expected strings from glibc inet_ntop (python socket.inet_ntop), which tshark 4.0 prints identically. */
const NTOP_CASES: Array<[number[], string]> = [
  [[0, 0, 0, 1], '::1'],
  [[0, 0, 0, 2], '::2'],
  [[0, 0, 0, 0x01020304], '::1.2.3.4'],
  [[0, 0, 0xffff, 0x01020304], '::ffff:1.2.3.4'],
  [[0, 0, 0xffff0000, 0x01020304], '::ffff:0:102:304'],
  [[0x00010000, 0x00000001, 0, 1], '1:0:0:1::1'],
  [[0, 0, 0, 0x00010000], '::0.1.0.0'],
  [[0, 0, 0xffff, 0], '::ffff:0.0.0.0'],
  [[0xfe800000, 0, 0x00010000, 0], 'fe80::1:0:0:0'],
  [[0x00010000, 0, 0, 0], '1::'],
  [[0x0064ff9b, 0, 0, 0x01020304], '64:ff9b::102:304'],
  [[0, 0, 0x00000001, 0], '::1:0:0'],
  [[0x20010db8, 0, 0x00010000, 1], '2001:db8::1:0:0:1'],
  [[0x20010db8, 0x00000001, 0x00010001, 0x00010001], '2001:db8:0:1:1:1:1:1'],
  [[0x20010db8, 0, 0x00010000, 0x00000001], '2001:db8::1:0:0:1'],
  [[0x00000000, 0x00000000, 0x0000ffff, 0x00010000], '::ffff:0.1.0.0'],
  [[0x00000000, 0x00000000, 0x00000000, 0x00000000], '::'],
  [[0xffffffff, 0x00000000, 0xffffffff, 0xffff0001], 'ffff:ffff::ffff:ffff:ffff:1'],
  [[0x0000ffff, 0x00000000, 0x5c0a0000, 0xffff0000], '0:ffff::5c0a:0:ffff:0'],
  [[0x00000000, 0x00000000, 0x00011412, 0xffff0000], '::1:1412:ffff:0'],
  [[0xffffffff, 0x00000000, 0xf2bd0000, 0x9e840000], 'ffff:ffff::f2bd:0:9e84:0'],
  [[0xc5860000, 0x0000ffff, 0x00010000, 0x00000001], 'c586::ffff:1:0:0:1'],
  [[0x00010000, 0x00010000, 0xffff8e8d, 0x00000000], '1:0:1:0:ffff:8e8d::'],
  [[0x00000000, 0x76c30000, 0xffff0000, 0x00000001], '::76c3:0:ffff:0:0:1'],
  [[0xffff0000, 0x00010001, 0x00010001, 0x00000000], 'ffff:0:1:1:1:1::'],
  [[0x00000000, 0x00000000, 0x0000ffff, 0x00000000], '::ffff:0.0.0.0'],
  [[0x00000000, 0x00000000, 0x00000000, 0x00010000], '::0.1.0.0'],
  [[0x0000af6d, 0x0001ffff, 0x00000000, 0xffff989f], '0:af6d:1:ffff::ffff:989f'],
  [[0x2e98ffff, 0x00000000, 0xa8c9ffff, 0x0000cd26], '2e98:ffff::a8c9:ffff:0:cd26'],
  [[0x00000000, 0x00000001, 0x00000001, 0x00000000], '::1:0:1:0:0'],
  [[0x00000000, 0x0000ffff, 0x0001b021, 0x2b680001], '::ffff:1:b021:2b68:1'],
  [[0x00010001, 0x00000001, 0xcd822b7a, 0x00000000], '1:1:0:1:cd82:2b7a::'],
  [[0xffffee42, 0xfffff2de, 0x00000000, 0x074affff], 'ffff:ee42:ffff:f2de::74a:ffff'],
  [[0x00010000, 0x00000000, 0xffff0000, 0x00001f2e], '1::ffff:0:0:1f2e'],
  [[0x0001ffff, 0xffffffff, 0x0001ffff, 0x00000000], '1:ffff:ffff:ffff:1:ffff::'],
  [[0x00000000, 0x00000000, 0x0000ffff, 0x0000ffff], '::ffff:0.0.255.255'],
  [[0x00000000, 0x00000000, 0x00000000, 0xffff0001], '::255.255.0.1'],
  [[0x00010001, 0x00002524, 0x00010000, 0x00004f13], '1:1:0:2524:1::4f13'],
  [[0x00000000, 0x00000001, 0x00000000, 0xffff0000], '::1:0:0:ffff:0'],
  [[0x00000000, 0x2f340000, 0xffff0001, 0x0001ffff], '::2f34:0:ffff:1:1:ffff'],
  [[0xffff0000, 0x00000000, 0x00000000, 0x00010001], 'ffff::1:1'],
  [[0xfffffd3d, 0x00000000, 0x00010000, 0x089e0000], 'ffff:fd3d::1:0:89e:0'],
  [[0xffff0000, 0x00000000, 0xffff0000, 0x00000000], 'ffff::ffff:0:0:0'],
  [[0x00000000, 0x0000ffff, 0x0000ffff, 0x00000000], '::ffff:0:ffff:0:0'],
  [[0x00000000, 0xffff0000, 0x0000dd46, 0xffffffff], '::ffff:0:0:dd46:ffff:ffff'],
  [[0x00000000, 0x00000000, 0x0000ffff, 0x24350001], '::ffff:36.53.0.1'],
  [[0x00000000, 0x00000000, 0x00000000, 0x00000000], '::'],
  [[0x00000000, 0xffff0000, 0x00000000, 0x00000001], '0:0:ffff::1'],
  [[0x0001ffff, 0x00000000, 0x00000001, 0x00010000], '1:ffff::1:1:0'],
  [[0x9bc50000, 0x4f7d0000, 0x0000917f, 0x0000dbc5], '9bc5:0:4f7d::917f:0:dbc5'],
  [[0xffff083b, 0x00000000, 0x44240000, 0x000119ff], 'ffff:83b::4424:0:1:19ff'],
  [[0x09a50001, 0x00000000, 0x2f1321d1, 0x00000000], '9a5:1::2f13:21d1:0:0'],
  [[0x78350000, 0x00010000, 0xf5400000, 0x00000000], '7835:0:1:0:f540::'],
  [[0x8204ffff, 0x00000000, 0x000032f4, 0x6f750000], '8204:ffff::32f4:6f75:0'],
  [[0x00010001, 0xffff0000, 0x00010000, 0x00000000], '1:1:ffff:0:1::'],
  [[0x00000000, 0x00000000, 0x0000ffff, 0x00000001], '::ffff:0.0.0.1'],
  [[0x00000000, 0x00000000, 0x00000000, 0x00010000], '::0.1.0.0'],
  [[0x00000000, 0x00006438, 0x06000000, 0x00000001], '::6438:600:0:0:1'],
  [[0x00000000, 0x00000000, 0x923d0000, 0x00010000], '::923d:0:1:0'],
  [[0x00010eda, 0xffff6828, 0x00000001, 0x46f20001], '1:eda:ffff:6828:0:1:46f2:1'],
  [[0xffff0000, 0x00010000, 0x00000001, 0x0000ffff], 'ffff:0:1::1:0:ffff'],
  [[0x000055ac, 0x0000ffff, 0xffff0001, 0x00010000], '0:55ac:0:ffff:ffff:1:1:0'],
  [[0x00000000, 0xffff0000, 0x0000ffff, 0x00000001], '::ffff:0:0:ffff:0:1'],
  [[0xd3e80001, 0x00000001, 0xffff0000, 0x00000000], 'd3e8:1:0:1:ffff::'],
  [[0x00010001, 0x00000000, 0xd9b3ffff, 0x00000001], '1:1::d9b3:ffff:0:1'],
  [[0x00000000, 0x00000000, 0x0000ffff, 0x00000000], '::ffff:0.0.0.0'],
  [[0x00000000, 0x00000000, 0x00000000, 0x00010000], '::0.1.0.0'],
  [[0x00000001, 0x00000001, 0xffff0000, 0xd2d80000], '0:1:0:1:ffff:0:d2d8:0'],
  [[0x0000ff22, 0x00000000, 0x00000001, 0x1175ad15], '0:ff22::1:1175:ad15'],
  [[0x00000000, 0x00000000, 0x00000000, 0x00010000], '::0.1.0.0'],
  [[0x0000ffff, 0x00000001, 0xffff0001, 0x0000ffff], '0:ffff:0:1:ffff:1:0:ffff'],
  [[0x00011a8a, 0x00000001, 0xa0de0000, 0x00000000], '1:1a8a:0:1:a0de::'],
  [[0x00009fa7, 0x00000001, 0x00000000, 0x00000001], '0:9fa7:0:1::1'],
  [[0xffff0001, 0x00000000, 0x19380000, 0xffff0000], 'ffff:1::1938:0:ffff:0'],
  [[0x00000000, 0x00000000, 0x00000000, 0x000063cf], '::63cf'],
];

describe('ip6ToString', () => {
  it.each(NTOP_CASES)('%j -> %s', (words, want) => {
    expect(ip6ToString(new Uint32Array(words))).toBe(want);
    expect(ip6ToString(words)).toBe(want);
  });

  it('round-trips through parseIp6', () => {
    for (const [words, s] of NTOP_CASES) expect([...parseIp6(s)!]).toEqual(words.map((w) => w >>> 0));
  });
});

describe('ip4ToString / parseIp4', () => {
  it('formats unsigned numbers', () => {
    expect(ip4ToString(0)).toBe('0.0.0.0');
    expect(ip4ToString(0xffffffff)).toBe('255.255.255.255');
    expect(ip4ToString(0xc0a80001)).toBe('192.168.0.1');
    expect(ip4ToString(0x0a000001)).toBe('10.0.0.1');
  });

  it('parses dotted quads', () => {
    expect(parseIp4('192.168.0.1')).toBe(0xc0a80001);
    expect(parseIp4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIp4('0.0.0.0')).toBe(0);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.-1', '01.2.3.4', 'a.b.c.d', '1..2.3', ' 1.2.3.4', '1.2.3.4 '])(
    'rejects %j', (s) => {
      expect(parseIp4(s)).toBeNull();
    });
});

describe('parseIp6', () => {
  it('parses the usual forms', () => {
    expect([...parseIp6('::')!]).toEqual([0, 0, 0, 0]);
    expect([...parseIp6('::1')!]).toEqual([0, 0, 0, 1]);
    expect([...parseIp6('2001:DB8::1')!]).toEqual([0x20010db8, 0, 0, 1]);
    expect([...parseIp6('1:2:3:4:5:6:7:8')!]).toEqual([0x00010002, 0x00030004, 0x00050006, 0x00070008]);
    expect([...parseIp6('1:2:3:4:5:6:7::')!]).toEqual([0x00010002, 0x00030004, 0x00050006, 0x00070000]);
    expect([...parseIp6('::ffff:10.0.0.1')!]).toEqual([0, 0, 0xffff, 0x0a000001]);
    expect([...parseIp6('1:2:3:4:5:6:1.2.3.4')!]).toEqual([0x00010002, 0x00030004, 0x00050006, 0x01020304]);
  });

  it.each(['', ':', ':::', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', '1:2:3:4:5:6:7:8::',
    '::1.2.3', '::1.2.3.4:5', 'fe80::1%eth0', ':1::', '1::2:'])('rejects %j', (s) => {
    expect(parseIp6(s)).toBeNull();
  });
});

describe('macToString', () => {
  it('formats six bytes at an offset', () => {
    const b = new Uint8Array([9, 0x00, 0x1b, 0x2c, 0xff, 0x0a, 0xe0]);
    expect(macToString(b, 1)).toBe('00:1b:2c:ff:0a:e0');
  });

  it('returns "" when the bytes are not there', () => {
    expect(macToString(new Uint8Array(5), 0)).toBe('');
    expect(macToString(new Uint8Array(8), 3)).toBe('');
    expect(macToString(new Uint8Array(8), -1)).toBe('');
  });
});
