import { describe, expect, it } from 'vitest';
import { dissectDns } from '../../src/dissect/dns.js';
import { dissectHttp, httpMessages } from '../../src/dissect/http.js';
import { dissectTls } from '../../src/dissect/tls.js';
import { dissectSsh } from '../../src/dissect/ssh.js';
import { dissectDhcp } from '../../src/dissect/dhcp.js';
import { dissectNtp } from '../../src/dissect/ntp.js';
import { dissectQuic } from '../../src/dissect/quic.js';
import { dissectPacket } from '../../src/dissect/dissect.js';
import { packetTree } from '../../src/dissect/tree.js';
import { packetInfoLine } from '../../src/dissect/info.js';
import { DecodedPacket } from '../../src/decode/packet.js';

/** Deterministic xorshift so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const DISSECTORS: [string, (b: Uint8Array, o: number, n: number) => unknown][] = [
  ['dns', (b, o, n) => dissectDns(b, o, n, false)],
  ['dns-tcp', (b, o, n) => dissectDns(b, o, n, true)],
  ['http', dissectHttp],
  ['http-stream', (b) => httpMessages(b)],
  ['tls', dissectTls],
  ['ssh', dissectSsh],
  ['dhcp', dissectDhcp],
  ['ntp', dissectNtp],
  ['quic', dissectQuic],
];

describe('dissectors on hostile input never throw and never hang', () => {
  for (const [name, fn] of DISSECTORS) {
    it(`${name}: random bytes and random prefixes`, () => {
      const r = rng(name.length * 7919);
      const t0 = performance.now();
      for (let i = 0; i < 3000; i++) {
        const n = r() % 600;
        const b = new Uint8Array(n);
        for (let k = 0; k < n; k++) b[k] = r() & 0xff;
        // Bias towards headers that pass the shape checks.
        if (n > 5 && i % 3 === 0) b.set(name.startsWith('tls') ? [22, 3, 1] : name.startsWith('http') ? [0x47, 0x45, 0x54, 0x20] : [0, 1, 1, 0], 0);
        if (n > 240 && name === 'dhcp') b.set([99, 130, 83, 99], 236);
        expect(() => fn(b, 0, n)).not.toThrow();
        expect(() => fn(b, Math.min(n, 3), Math.max(0, n - 3))).not.toThrow();
        expect(() => fn(b, 0, n + 100)).not.toThrow(); // a length past the buffer
      }
      expect(performance.now() - t0).toBeLessThan(10_000);
    });
  }

  it('a 60 KB DNS message of pointers and labels finishes fast', () => {
    const b = new Uint8Array(60_000);
    b.set([0, 1, 0x81, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    for (let i = 12; i + 1 < b.length; i += 2) {
      b[i] = 0xc0 | ((i - 2) >> 8);
      b[i + 1] = (i - 2) & 0xff;
    }
    const t0 = performance.now();
    const d = dissectDns(b, 0, b.length)!;
    expect(d.error).toBeDefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('dissectPacket, packetTree and packetInfoLine on a garbage packet', () => {
    const r = rng(99);
    const p = new DecodedPacket();
    for (let i = 0; i < 500; i++) {
      const b = new Uint8Array(200);
      for (let k = 0; k < 200; k++) b[k] = r() & 0xff;
      p.reset();
      p.buf = b;
      p.capLen = 200;
      p.l3 = 4;
      p.ipProto = i % 2 ? 6 : 17;
      p.l4Off = 0;
      p.srcPort = [53, 80, 443, 123, 67, 22, 5353][i % 7]!;
      p.dstPort = 40000;
      p.payloadOff = 20;
      p.payloadLen = 180;
      b.set([[22, 3, 1], [0x48, 0x54, 0x54, 0x50, 0x2f], [0x53, 0x53, 0x48, 0x2d], [0, 1, 1, 0]][i % 4]!, 20);
      expect(() => packetTree(p, dissectPacket(p))).not.toThrow();
      expect(() => packetInfoLine(p, dissectPacket(p))).not.toThrow();
    }
  });
});

describe('wire strings in the field tree and the Info column (fixtures/hostile.pcap)', () => {
  it('show invalid UTF-8 bytes as \\xNN escapes, not as Latin-1 letters or U+FFFD', async () => {
    const { openFileSource } = await import('../../src/capture/file-source.js');
    const { Decoder } = await import('../../src/decode/decoder.js');
    const d = new Decoder();
    const p = new DecodedPacket();
    const labels: string[] = [];
    const infos: string[] = [];
    await openFileSource({ path: 'fixtures/hostile.pcap' }).start((r) => {
      d.decode(r, p);
      const a = dissectPacket(p);
      infos.push(packetInfoLine(p, a));
      const walk = (nodes: ReturnType<typeof packetTree>): void => {
        for (const n of nodes) {
          labels.push(n.label);
          if (n.children) walk(n.children);
        }
      };
      walk(packetTree(p, a));
    });
    // The fixture's invalid sequence ff fe c3 28 c0 af, in a TLS SNI, an HTTP User-Agent and a DNS name.
    const bad = '\\xff\\xfe\\xc3(\\xc0\\xaf';
    expect(labels).toContain(`Server Name: sni\\x1b]0;pwned\\x07${bad}.example`);
    expect(labels.some((l) => l.startsWith('User-Agent: ') && l.includes(bad))).toBe(true);
    expect(infos).toContain(`Standard query 0x4004 A utf${bad}.example`);
    for (const t of [...labels, ...infos]) expect(t).not.toMatch(/[\u00c0-\u00ff\ufffd]/);
  });
});
