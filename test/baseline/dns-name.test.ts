import { describe, expect, it } from 'vitest';
import { DnsNameReader } from '../../src/baseline/detectors/dns-name.js';
import { DnsTunnelDetector } from '../../src/baseline/detectors/dns-tunnel.js';
import { dnsQuery, dnsResponse } from '../../src/fixtures-gen/packet-builder.js';

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
