import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { dissectTls, tlsInfoLine } from '../../src/dissect/tls.js';
import { isGrease } from '../../src/dissect/ja.js';
import { alpnExt, clientHelloRecord, ext, record, serverHelloRecord, sniExt, u16ListExt, versionsExt } from './tls-builder.js';

// The Chrome ClientHello of FoxIO's JA4 README: t13d1516h2_8daaf6152771_e5627efa2ab1.
const CIPHERS = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
const SIGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
function chromeHello(): Uint8Array {
  return clientHelloRecord({
    ciphers: [0x2a2a, ...CIPHERS],
    extensions: [
      ext(0x1a1a, []), sniExt('example.com'), ext(0x0017, []), ext(0xff01, [0]), u16ListExt(0x000a, [0x3a3a, 0x001d, 0x0017, 0x0018]),
      ext(0x000b, [1, 0]), ext(0x0023, []), alpnExt(['h2', 'http/1.1']), ext(0x0005, [1, 0, 0, 0, 0]), u16ListExt(0x000d, SIGS),
      ext(0x0012, []), ext(0x0033, [0, 0]), ext(0x002d, [1, 1]), versionsExt([0x4a4a, 0x0304, 0x0303]), ext(0x001b, [2, 0, 2]),
      ext(0x4469, [0, 3, 2, 0x68, 0x32]), ext(0x0015, [0, 0]), ext(0x2a2a, [0]),
    ],
  });
}

describe('TLS ClientHello', () => {
  it('parses SNI, ALPN, versions, ciphers, extensions', () => {
    const b = chromeHello();
    const t = dissectTls(b, 0, b.length)!;
    expect(t.handshakeTypes).toEqual([1]);
    const ch = t.clientHello!;
    expect(ch.sni).toBe('example.com');
    expect(ch.alpn).toEqual(['h2', 'http/1.1']);
    expect(ch.versions.filter((v) => !isGrease(v))).toEqual([0x0304, 0x0303]);
    expect(ch.ciphers).toHaveLength(16);
    expect(ch.extensions).toHaveLength(18);
    expect(tlsInfoLine(t)).toBe('Client Hello (SNI=example.com)');
  });

  it('computes JA4 as in the FoxIO README', () => {
    const b = chromeHello();
    expect(dissectTls(b, 0, b.length)!.clientHello!.ja4).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
  });

  it('computes JA3 text without GREASE and its md5', () => {
    const b = chromeHello();
    const ch = dissectTls(b, 0, b.length)!.clientHello!;
    expect(ch.ja3.startsWith('771,4865-4866-4867-49195-')).toBe(true);
    expect(ch.ja3.endsWith(',29-23-24,0')).toBe(true);
    expect(ch.ja3).not.toMatch(/10794|6682|19018|14906/); // 0x2a2a, 0x1a1a, 0x4a4a, 0x3a3a
    expect(ch.ja3Hash).toBe(createHash('md5').update(ch.ja3).digest('hex'));
  });

  it('no SNI, no ALPN: i and 00', () => {
    const b = clientHelloRecord({ ciphers: [0x002f], extensions: [] });
    const ch = dissectTls(b, 0, b.length)!.clientHello!;
    expect(ch.ja4.startsWith('t12i010000_')).toBe(true);
    expect(ch.ja4.endsWith('_000000000000')).toBe(true);
  });

  it('ServerHello: chosen version from supported_versions and cipher', () => {
    const b = serverHelloRecord(0x1301, 0x0304);
    const t = dissectTls(b, 0, b.length)!;
    expect(t.serverHello).toMatchObject({ version: 0x0304, legacyVersion: 0x0303, cipher: 0x1301 });
    const b2 = serverHelloRecord(0xc02f);
    expect(dissectTls(b2, 0, b2.length)!.serverHello).toMatchObject({ version: 0x0303, cipher: 0xc02f });
  });

  it('alerts', () => {
    const b = Uint8Array.from(record(21, [2, 40], 0x0303));
    const t = dissectTls(b, 0, b.length)!;
    expect(t.alerts).toEqual([{ level: 2, description: 40, name: 'Handshake Failure' }]);
    expect(tlsInfoLine(t)).toBe('Alert (Level: Fatal, Description: Handshake Failure)');
  });

  it('a handshake split over two records is joined', () => {
    const whole = chromeHello();
    const hs = whole.subarray(5);
    const a = record(22, [...hs.subarray(0, 100)]);
    const c = record(22, [...hs.subarray(100)]);
    const b = Uint8Array.from([...a, ...c]);
    expect(dissectTls(b, 0, b.length)!.clientHello!.sni).toBe('example.com');
  });

  it('truncated hellos never throw and keep what they have', () => {
    const whole = chromeHello();
    for (let n = 0; n <= whole.length; n++) {
      const t = dissectTls(whole, 0, n);
      if (n < 5) expect(t).toBeNull();
      else expect(t).not.toBeNull();
    }
  });

  it('lengths that overflow the record are bounded', () => {
    const b = chromeHello();
    // Claim a huge extensions block and a huge cipher list.
    const c = Uint8Array.from(b);
    c[5 + 4 + 2 + 32 + 1] = 0xff;
    c[5 + 4 + 2 + 32 + 2] = 0xff;
    expect(() => dissectTls(c, 0, c.length)).not.toThrow();
    const d = Uint8Array.from(b);
    d[6] = 0xff; // handshake length 0xff....
    expect(() => dissectTls(d, 0, d.length)).not.toThrow();
  });

  it('not TLS: null', () => {
    const b = Buffer.from('GET / HTTP/1.1\r\n\r\n');
    expect(dissectTls(b, 0, b.length)).toBeNull();
  });
});
