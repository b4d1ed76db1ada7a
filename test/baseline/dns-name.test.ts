import { describe, expect, it } from 'vitest';
import { DnsNameReader } from '../../src/baseline/detectors/dns-name.js';
import { DnsTunnelDetector } from '../../src/baseline/detectors/dns-tunnel.js';
import { dnsQuery, dnsResponse } from '../../src/fixtures-gen/packet-builder.js';
import { isTerminalSafe } from '../../src/util/escape.js';

function read(name: string): DnsNameReader {
  const r = new DnsNameReader();
  const q = dnsQuery({ id: 1, name });
  expect(r.read(q, 0, q.length)).toBe(true);
  return r;
}

describe('DnsNameReader', () => {
  it('splits off the registered domain', () => {
    const r = read('www.Example.com');
    expect(r.domainText()).toBe('example.com');
    expect(r.nameText()).toBe('www.example.com');
    expect(r.subLen).toBe(3);
  });

  it('knows two-level public suffixes', () => {
    expect(read('a.b.example.co.uk').domainText()).toBe('example.co.uk');
    expect(read('example.co.uk').subLen).toBe(0);
  });

  it('measures length and entropy of the subdomain part', () => {
    const plain = read('www.example.com');
    const tunnel = read('mzxw6ytboi2gk3tfmvzgk4tpmfzxizlsmvzgk5dbnbsw4idt.qwertyuiopasdfghjklzxcvbnm234567.t.evil.net');
    expect(DnsTunnelDetector.isSuspicious(plain)).toBe(false);
    expect(DnsTunnelDetector.isSuspicious(tunnel)).toBe(true);
    expect(tunnel.entropy).toBeGreaterThan(4);
    expect(tunnel.longestLabel).toBe(48);
    expect(tunnel.domainText()).toBe('evil.net');
  });

  it('gives the names as terminal-safe text (they go into alert messages printed as they are)', () => {
    // Query for <40 random letters>.e<ESC>[2J<0x9b><U+202E>.com, label by label.
    const evil = Uint8Array.of(0x65, 0x1b, 0x5b, 0x32, 0x4a, 0x9b, 0xe2, 0x80, 0xae);
    const sub = new Uint8Array(40).fill(0x71);
    const q = Uint8Array.of(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, sub.length, ...sub, evil.length, ...evil, 3, 0x63, 0x6f, 0x6d, 0, 0, 1, 0, 1);
    const r = new DnsNameReader();
    expect(r.read(q, 0, q.length)).toBe(true);
    // UTF-8 decoded first: the three bytes e2 80 ae are one character, U+202E, shown as its escape.
    expect(r.domainText()).toBe('e\\x1b[2j\\x9b\\u{202e}.com');
    expect(isTerminalSafe(r.nameText())).toBe(true);
  });

  it('decodes UTF-8 labels (was one character per byte: cafÃ©)', () => {
    const cafe = Uint8Array.of(0x43, 0x61, 0x66, 0xc3, 0xa9);
    const q = Uint8Array.of(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, cafe.length, ...cafe, 2, 0x66, 0x72, 0, 0, 1, 0, 1);
    const r = new DnsNameReader();
    expect(r.read(q, 0, q.length)).toBe(true);
    expect(r.domainText()).toBe('caf\u00e9.fr');
    expect(r.nameText()).toBe('www.caf\u00e9.fr');
  });

  it('hashes case-insensitively', () => {
    expect(read('WWW.EXAMPLE.COM').nameHash).toBe(read('www.example.com').nameHash);
    expect(read('a.example.com').domainHash).toBe(read('b.example.com').domainHash);
  });

  it('ignores responses, truncated and malformed names', () => {
    const r = new DnsNameReader();
    const resp = dnsResponse({ id: 1, name: 'a.example.com', answers: [{ type: 'A', data: '1.2.3.4' }] });
    expect(r.read(resp, 0, resp.length)).toBe(false);
    const q = dnsQuery({ id: 1, name: 'www.example.com' });
    expect(r.read(q, 0, 20)).toBe(false);
    const bad = q.slice();
    bad[12] = 0xc0; // a compression pointer where a label should be
    expect(r.read(bad, 0, bad.length)).toBe(false);
  });
});
