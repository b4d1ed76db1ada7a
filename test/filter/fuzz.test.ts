import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from '../../src/filter/index.js';
import { ipPacket, arpPacket } from './packets.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  'tcp', 'udp', 'ip', 'ip6', 'ipv6', 'arp', 'vlan', 'dns', 'http', 'host', 'net', 'port', 'portrange', 'src', 'dst', 'ether',
  'proto', 'less', 'greater', 'mask', 'and', 'or', 'not', '&&', '||', '!', '(', ')', '{', '}', ',', '..', '==', '!=', '===',
  '!==', '~=', '<', '<=', '>', '>=', 'eq', 'ne', 'lt', 'contains', 'matches', 'in', 'ip.addr', 'ip.src', 'tcp.port',
  'frame.len', 'eth.src', 'ipv6.src', 'tcp.flags.syn', 'tcp.seq', 'frame.time_relative', 'vlan.id', '10.0.0.1', '10.0.0.0/8',
  '10.0.0.0/33', 'fe80::/10', '::1', '00:11:22:33:44:55', '80', '0x50', '65536', '-1', '1.5', '"x"', '"(?i)a"', '"(["', '53-60',
  '20..25', 'true', '255.255.0.0', '\\udp', 'broadcast', 'icmp6', '[', ']', '@', '"', '=', '~',
];

function soup(r: () => number): string {
  const n = 1 + Math.floor(r() * 12);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(TOKENS[Math.floor(r() * TOKENS.length)]!);
  return parts.join(r() < 0.2 ? '' : ' ');
}

function bytesText(r: () => number): string {
  const n = Math.floor(r() * 64);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = r();
    s += k < 0.6 ? String.fromCharCode(32 + Math.floor(r() * 95)) : k < 0.9 ? String.fromCharCode(Math.floor(r() * 256)) : String.fromCharCode(Math.floor(r() * 0xffff));
  }
  return s;
}

const packets = [ipPacket(), ipPacket({ proto: 'udp', src: 'fe80::1', dst: '::1' }), arpPacket(1, '10.0.0.1', '10.0.0.2'), ipPacket({ vlan: [5, 6] })];

function check(text: string): 'ok' | 'error' {
  try {
    const f = compileFilter(text);
    for (const p of packets) f.match(p);
    f.toBpf();
    return 'ok';
  } catch (e) {
    if (!(e instanceof FilterError)) throw new Error(`non-FilterError for ${JSON.stringify(text)}: ${String(e)}`);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeLessThanOrEqual(text.length + 1);
    expect(e.message.length).toBeGreaterThan(0);
    return 'error';
  }
}

describe('no input makes the compiler throw anything but FilterError, or hang', () => {
  it('2,000 random token soups', () => {
    const r = rng(1);
    const t0 = performance.now();
    const seen = { ok: 0, error: 0 };
    for (let i = 0; i < 2000; i++) seen[check(soup(r))]++;
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(seen.ok).toBeGreaterThan(20);
    expect(seen.error).toBeGreaterThan(50);
  });
  it('2,000 random byte strings', () => {
    const r = rng(2);
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) check(bytesText(r));
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
  it('huge and deeply nested inputs end quickly', () => {
    const t0 = performance.now();
    for (const s of ['('.repeat(100_000), '!'.repeat(5000), 'tcp and '.repeat(600), `"${'a'.repeat(10_000)}`, 'a'.repeat(5000), '{'.repeat(3000), `tcp.port in {${'1,'.repeat(1500)}}`]) {
      expect(check(s)).toBe('error');
    }
    expect(check(`tcp.port in {${'1,'.repeat(500)}2}`)).toBe('ok');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
