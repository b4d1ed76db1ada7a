import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRing, PacketRing, RingKey, ringSelect } from '../../src/capture/packet-ring.js';
import { PacketRecord } from '../../src/capture/record.js';
import { gcsDuring } from '../helpers/gc-count.js';
import { parseAll } from './collect.js';
import { haveTool } from '../filter/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'wiretop-ring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ip4(s: string): number {
  return s.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
}

/** Ethernet + IPv4 + UDP, payload filled with `fill`; returns the frame. */
function udpFrame(src: number, dst: number, sport: number, dport: number, payload: number, fill = 0xab): Uint8Array {
  const b = new Uint8Array(14 + 20 + 8 + payload);
  const v = new DataView(b.buffer);
  b.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], 0);
  v.setUint16(12, 0x0800);
  b[14] = 0x45;
  v.setUint16(16, 28 + payload);
  b[22] = 64;
  b[23] = 17;
  v.setUint32(26, src);
  v.setUint32(30, dst);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += v.getUint16(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  v.setUint16(24, ~sum & 0xffff);
  v.setUint16(34, sport);
  v.setUint16(36, dport);
  v.setUint16(38, 8 + payload);
  b.fill(fill, 42);
  return b;
}

function record(data: Uint8Array, tsSec: number, tsNsec: number, linkType = 1, off = 7): PacketRecord {
  const r = new PacketRecord();
  // Put the packet at an offset inside a bigger buffer, as sources do.
  const buf = new Uint8Array(data.length + 10);
  buf.set(data, off);
  r.buf = buf;
  r.off = off;
  r.capLen = data.length;
  r.origLen = data.length + 4;
  r.linkType = linkType;
  r.tsSec = tsSec;
  r.tsNsec = tsNsec;
  return r;
}

/** Deterministic xorshift. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('PacketRing', () => {
  it('keeps packets and their keys, oldest first', () => {
    const ring = new PacketRing({ bytes: 1 << 16 });
    expect(ring.packets()).toBe(0);
    expect(ring.oldestTime()).toBeNull();
    expect(describeRing(ring)).toBe('ring is empty');
    const key = new RingKey();
    ring.append(record(udpFrame(ip4('10.0.0.1'), ip4('10.0.0.2'), 1000, 53, 10, 1), 100, 5), key.clear().setIp4(ip4('10.0.0.1'), ip4('10.0.0.2')));
    key.proto = 17;
    key.srcPort = 1000;
    key.dstPort = 53;
    key.flowSlot = 7;
    key.flowGen = 0xfffffffe;
    key.tag = 42;
    ring.append(record(udpFrame(ip4('10.0.0.1'), ip4('10.0.0.2'), 1000, 53, 11, 2), 101, 999_999_999), key);
    const w6 = Uint32Array.of(0x20010db8, 0, 0, 1);
    const w6b = Uint32Array.of(0xfe800000, 0, 0xffffffff, 2);
    ring.append(record(Uint8Array.of(9, 9, 9), 102, 0, 101), key.clear().setIp6(w6, w6b));
    ring.append(record(Uint8Array.of(), 103, 1, 1)); // no key
    const seen: unknown[] = [];
    ring.scan((m, data) => {
      seen.push([m.tsSec, m.tsNsec, m.capLen, m.origLen, m.linkType, m.ipVersion, m.proto, m.srcPort, m.dstPort, m.flowSlot, m.flowGen, m.tag, [...m.src], [...m.dst], data.length, data[data.length - 1]]);
    });
    expect(seen).toEqual([
      [100, 5, 52, 56, 1, 4, 0, 0, 0, -1, 0, 0, [ip4('10.0.0.1'), 0, 0, 0], [ip4('10.0.0.2'), 0, 0, 0], 52, 1],
      [101, 999_999_999, 53, 57, 1, 4, 17, 1000, 53, 7, 0xfffffffe, 42, [ip4('10.0.0.1'), 0, 0, 0], [ip4('10.0.0.2'), 0, 0, 0], 53, 2],
      [102, 0, 3, 7, 101, 6, 0, 0, 0, -1, 0, 0, [...w6], [...w6b], 3, 9],
      [103, 1, 0, 4, 1, 0, 0, 0, 0, -1, 0, 0, [0, 0, 0, 0], [0, 0, 0, 0], 0, undefined],
    ]);
    expect(ring.packets()).toBe(4);
    expect(ring.bytes()).toBe(52 + 53 + 3);
    expect(ring.evicted()).toBe(0);
    expect(ring.oldestTime()).toBeCloseTo(100.000000005, 9);
    expect(ring.newestTime()).toBeCloseTo(103.000000001, 9);
    expect(ring.countWhere(ringSelect.host6(w6))).toBe(1);
    expect(ring.countWhere(ringSelect.flow(7, 0xfffffffe))).toBe(1);
    expect(ring.countWhere(ringSelect.flow(7, 0))).toBe(0);
    expect(ring.countWhere(ringSelect.pair4(ip4('10.0.0.2'), ip4('10.0.0.1')))).toBe(2);
    ring.clear();
    expect([ring.packets(), ring.bytes(), ring.evicted(), ring.newestTime()]).toEqual([0, 0, 0, null]);
  });

  it('evicts the oldest and wraps around, always holding an exact suffix of what was appended', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rand = rng(seed);
      const ring = new PacketRing({ bytes: 4096 + seed * 52 });
      const key = new RingKey();
      const lens: number[] = [];
      for (let n = 0; n < 3000; n++) {
        // Mostly small, sometimes large, now and then bigger than the ring itself.
        const r = rand();
        const len = r < 0.6 ? Math.floor(rand() * 100) : r < 0.98 ? Math.floor(rand() * 1500) : 5000;
        const data = new Uint8Array(len).map((_, i) => (n + i) & 255);
        key.clear();
        key.tag = n;
        if (n % 3 === 0) key.setIp4(n, n + 1);
        else if (n % 3 === 1) key.setIp6(Uint32Array.of(n, 1, 2, 3), Uint32Array.of(4, 5, 6, n));
        ring.append(record(data, 1000 + n, n, 1, n % 5), key);
        lens.push(Math.min(len, ring.capacity - 3 - (n % 3 === 0 ? 52 : n % 3 === 1 ? 76 : 44)));
        if (n % 97 !== 0 && n !== 2999) continue;
        const tags: number[] = [];
        let bytes = 0;
        let ok = true;
        ring.scan((m, d) => {
          tags.push(m.tag);
          bytes += d.length;
          if (m.tsSec !== 1000 + m.tag || m.tsNsec !== m.tag || d.length !== lens[m.tag]) ok = false;
          if (m.tag % 3 === 0 && (m.ipVersion !== 4 || m.src[0] !== m.tag || m.dst[0] !== m.tag + 1)) ok = false;
          if (m.tag % 3 === 1 && (m.ipVersion !== 6 || m.dst[3] !== m.tag || m.src[0] !== m.tag)) ok = false;
          for (let i = 0; i < d.length; i++) if (d[i] !== ((m.tag + i) & 255)) ok = false;
        });
        expect(ok).toBe(true);
        expect(tags[tags.length - 1]).toBe(n);
        expect(tags).toEqual(tags.map((_, i) => n - tags.length + 1 + i));
        expect(tags.length).toBe(ring.packets());
        expect(ring.packets() + ring.evicted()).toBe(n + 1);
        expect(bytes).toBe(ring.bytes());
        expect(ring.oldestTime()).toBeCloseTo(1000 + tags[0]! + tags[0]! / 1e9, 6);
        expect(ring.newestTime()).toBeCloseTo(1000 + n + n / 1e9, 6);
        // The ring is not wasted: what it holds plus the next-older packet would not fit.
        const older = n - tags.length;
        if (older >= 0) {
          const rec = (t: number) => (t % 3 === 0 ? 52 : t % 3 === 1 ? 76 : 44) + ((lens[t]! + 3) & ~3);
          const held = tags.reduce((a, t) => a + rec(t), 0);
          expect(held + rec(older)).toBeGreaterThan(ring.capacity / 2);
        }
      }
    }
  });

  it('describes its span for the export prompt', () => {
    const ring = new PacketRing({ bytes: 1 << 20 });
    const f = udpFrame(1, 2, 3, 4, 0);
    for (let i = 0; i < 48_211; i += 100) ring.append(record(f, 1_000_000 + Math.floor((192 * i) / 48_211), 0));
    ring.append(record(f, 1_000_192, 0));
    expect(describeRing(ring)).toBe('ring holds the last 3m12s, 484 packets');
  });

  it('appends a million packets into a 1 MiB ring without allocating (no scavenges)', async () => {
    const ring = new PacketRing({ bytes: 1 << 20 });
    const key = new RingKey().setIp4(1, 2);
    const rec = record(udpFrame(1, 2, 3, 4, 200), 1, 0);
    const small = record(udpFrame(1, 2, 3, 4, 20), 1, 0);
    for (let i = 0; i < 20_000; i++) ring.append(i & 1 ? rec : small, key); // warm up (JIT)
    const gcs = await gcsDuring(() => {
      for (let i = 0; i < 1_000_000; i++) {
        rec.tsNsec = i;
        ring.append(i & 1 ? rec : small, key);
      }
    });
    // One subarray per packet is ~100 MB of garbage: several scavenges. Allow one for stray timers.
    expect(gcs).toBeLessThanOrEqual(1);
    expect(ring.packets() + ring.evicted()).toBe(1_020_000);
  });
});

const hasTshark = haveTool('tshark');

function tsharkFields(path: string, fields: string[], filter?: string): string[][] {
  const args = ['-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  if (filter) args.push('-Y', filter);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

describe.skipIf(!hasTshark)('PacketRing.exportPcap (read back with tshark)', () => {
  const A = ip4('10.1.0.1');
  const B = ip4('10.1.0.2');
  const C = ip4('192.168.7.9');

  function filledRing(): PacketRing {
    const ring = new PacketRing({ bytes: 256 * 1024 });
    const key = new RingKey();
    // 3000 packets: A<->B on flow 1, A<->C on flow 2, C->B on flow 3; the ring keeps only the last part.
    for (let n = 0; n < 3000; n++) {
      const kind = n % 5;
      const [s, d, slot] = kind < 2 ? [kind === 0 ? A : B, kind === 0 ? B : A, 1] : kind < 4 ? [A, C, 2] : [C, B, 3];
      const f = udpFrame(s, d, 5000 + slot, 53, (n * 37) % 300);
      key.clear().setIp4(s, d);
      key.proto = 17;
      key.flowSlot = slot;
      key.flowGen = 9;
      ring.append(record(f, 1_700_000_000 + Math.floor(n / 100), (n % 100) * 10_000_001), key);
    }
    return ring;
  }

  it('writes a pcap with exactly the selected packets, ns timestamps and original lengths', () => {
    const ring = filledRing();
    expect(ring.evicted()).toBeGreaterThan(0);
    const expected: string[][] = [];
    ring.scan((m) => {
      if (m.src[0] === C || m.dst[0] === C) expected.push([`${m.tsSec}.${String(m.tsNsec).padStart(9, '0')}`, String(m.origLen)]);
    });
    const path = join(dir, 'host-c.pcap');
    const res = ring.exportPcap(path, ringSelect.host4(C));
    expect(res).toEqual({ format: 'pcap', packets: expected.length, bytes: expect.any(Number), linkTypes: [1], skipped: 0 });
    expect(expected.length).toBeGreaterThan(100);
    const got = tsharkFields(path, ['frame.time_epoch', 'frame.len', 'ip.src', 'ip.dst']);
    expect(got.length).toBe(expected.length);
    expect(got.every(([, , s, d]) => s === '192.168.7.9' || d === '192.168.7.9')).toBe(true);
    expect(got.map(([t, len]) => [t, len])).toEqual(expected);
    // Our own reader agrees.
    const back = parseAll(readFileSync(path));
    expect(back.packets.length).toBe(expected.length);
    expect(tsharkFields(path, ['frame.number'], 'ip.addr == 10.1.0.1 && ip.addr == 10.1.0.2')).toHaveLength(0);
  });

  it('selects a conversation and a flow', () => {
    const ring = filledRing();
    const conv = join(dir, 'conv.pcap');
    const nConv = ring.countWhere(ringSelect.pair4(A, B));
    expect(ring.exportPcap(conv, ringSelect.pair4(A, B)).packets).toBe(nConv);
    expect(tsharkFields(conv, ['frame.number'])).toHaveLength(nConv);
    expect(tsharkFields(conv, ['frame.number'], 'ip.addr == 10.1.0.1 && ip.addr == 10.1.0.2')).toHaveLength(nConv);
    const flow = join(dir, 'flow.pcap');
    const r = ring.exportPcap(flow, ringSelect.flow(3, 9));
    expect(r.packets).toBe(ring.countWhere((m) => m.src[0] === C && m.dst[0] === B));
    expect(tsharkFields(flow, ['udp.srcport'])).toEqual(Array.from({ length: r.packets }, () => ['5003']));
    const none = join(dir, 'none.pcap');
    expect(ring.exportPcap(none, ringSelect.flow(3, 8)).packets).toBe(0);
    expect(tsharkFields(none, ['frame.number'])).toHaveLength(0);
  });

  it('writes pcapng when the selection spans link types, or keeps the most common type in pcap', () => {
    const ring = new PacketRing({ bytes: 1 << 20 });
    for (let n = 0; n < 30; n++) {
      const eth = udpFrame(A, B, 1, 2, n);
      if (n % 3 === 2) ring.append(record(eth.subarray(14), 1_700_000_000, n, 101)); // LINKTYPE_RAW
      else ring.append(record(eth, 1_700_000_000, n, 1));
    }
    const ng = join(dir, 'mixed.pcapng');
    const res = ring.exportPcap(ng, ringSelect.all());
    expect(res).toMatchObject({ format: 'pcapng', packets: 30, linkTypes: [1, 101], skipped: 0 });
    const got = tsharkFields(ng, ['frame.interface_id', 'ip.src', 'udp.length']);
    expect(got).toHaveLength(30);
    expect(got.map(([i]) => i)).toEqual(Array.from({ length: 30 }, (_, n) => (n % 3 === 2 ? '1' : '0')));
    expect(got.every(([, s]) => s === '10.1.0.1')).toBe(true);
    expect(got.map(([, , l]) => l)).toEqual(Array.from({ length: 30 }, (_, n) => String(8 + n)));
    const one = join(dir, 'one.pcap');
    expect(ring.exportPcap(one, ringSelect.all(), { format: 'pcap' })).toMatchObject({ format: 'pcap', packets: 20, skipped: 10, linkTypes: [1] });
    expect(tsharkFields(one, ['ip.src'])).toHaveLength(20);
  });
});
