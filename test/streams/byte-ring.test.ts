import { describe, expect, it } from 'vitest';
import { CHUNK_OVERHEAD } from '../../src/streams/byte-budget.js';
import { ChunkKind } from '../../src/streams/chunk.js';
import { StreamTracker } from '../../src/streams/stream-tracker.js';
import { ACK, SYN, pkt, srv } from './packets.js';

/** Deterministic pseudo-random numbers (the test must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Payload whose bytes say which stream, direction and offset they are. */
function bytesAt(stream: number, dir: number, from: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (stream * 31 + dir * 17 + from + i) & 0xff;
  return b;
}

describe('stream byte ring (global cap)', () => {
  it('many streams of random segment sizes through a small ring: what is held is each direction\'s newest bytes, exactly', () => {
    const total = 50_000;
    const t = new StreamTracker({ streamBytes: 6000, totalBytes: total });
    const r = rng(7);
    const streams = 40;
    const sent = [...Array(streams)].map(() => [0, 0]);
    for (let s = 0; s < streams; s++) t.onPacket(pkt({ sport: 3000 + s, seq: 0, flags: SYN }));
    for (let s = 0; s < streams; s++) t.onPacket(srv({ dport: 3000 + s, seq: 0, ack: 1, flags: SYN | ACK }));
    for (let k = 0; k < 4000; k++) {
      const s = Math.floor(r() * streams);
      const dir = r() < 0.6 ? 0 : 1;
      const n = 1 + Math.floor(r() * (r() < 0.1 ? 3000 : 300));
      const data = bytesAt(s, dir, sent[s]![dir]!, n);
      const seq = 1 + sent[s]![dir]!;
      t.onPacket(dir === 0 ? pkt({ sport: 3000 + s, seq, flags: ACK, data }) : srv({ dport: 3000 + s, seq, flags: ACK, data }));
      sent[s]![dir]! += n;
      if (k % 500 === 0) expect(t.budget.used).toBeLessThanOrEqual(total);
    }
    let cost = 0;
    for (let s = 0; s < streams; s++) {
      const st = t.tcp[s]!;
      for (const dir of [0, 1] as const) {
        const store = st.halves[dir].store;
        const chunks = st.chunks(dir === 0 ? 'client' : 'server');
        const held = chunks.reduce((a, c) => a + c.length, 0);
        expect(held).toBe(store.storedBytes);
        expect(store.storedBytes + store.droppedBytes).toBe(sent[s]![dir]);
        expect(store.cost).toBe(store.storedBytes + CHUNK_OVERHEAD * chunks.length);
        expect(store.cost).toBeLessThanOrEqual(6000);
        // The held bytes are the last `held` bytes sent, in order.
        const got = Buffer.concat(chunks.map((c) => c.data));
        expect(Buffer.compare(got, Buffer.from(bytesAt(s, dir, sent[s]![dir]! - held, held)))).toBe(0);
        cost += store.cost;
      }
    }
    expect(cost).toBe(t.budget.used);
    expect(t.budget.used).toBeGreaterThan(total / 2);
  });

  it('live() keeps the same chunk objects while they are held, and their bytes survive the ring overwriting them', () => {
    const t = new StreamTracker({ totalBytes: 4000 });
    t.onPacket(pkt({ seq: 0, flags: SYN }));
    t.onPacket(pkt({ seq: 1, data: 'a'.repeat(100) }));
    t.onPacket(pkt({ seq: 101, data: 'b'.repeat(100) }));
    const first = t.tcp[0]!.chunks();
    t.onPacket(pkt({ seq: 201, data: 'c'.repeat(100) }));
    const second = t.tcp[0]!.chunks();
    expect(second).not.toBe(first);
    expect(second.slice(0, 2)).toEqual(first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    // Another stream fills the ring: the first stream's chunks are overwritten and dropped...
    t.onPacket(pkt({ sport: 999, seq: 0, flags: SYN }));
    for (let i = 0; i < 40; i++) t.onPacket(pkt({ sport: 999, seq: 1 + i * 100, data: 'z'.repeat(100) }));
    expect(t.tcp[0]!.chunks()).toEqual([]);
    expect(t.tcp[0]!.halves[0].store.droppedBytes).toBe(300);
    // ...but the objects handed out before still hold their own bytes.
    expect(Buffer.from(second[0]!.data).toString()).toBe('a'.repeat(100));
    expect(Buffer.from(second[2]!.data).toString()).toBe('c'.repeat(100));
  });

  it('gap markers are stored and dropped like data (64 each)', () => {
    const t = new StreamTracker({ streamBytes: 10_000 });
    t.onPacket(pkt({ seq: 0, flags: SYN }));
    t.onPacket(pkt({ seq: 1, data: 'abc' }));
    t.onPacket(pkt({ seq: 14, data: 'xyz' }));
    t.onPacket(srv({ seq: 0, ack: 20, flags: ACK }));
    const c = t.tcp[0]!.chunks();
    expect(c.map((x) => x.kind)).toEqual([ChunkKind.Data, ChunkKind.Gap, ChunkKind.Data]);
    expect(c[1]!.missing).toBe(10);
    expect(t.tcp[0]!.halves[0].store.cost).toBe(6 + 3 * CHUNK_OVERHEAD);
  });

  it('a segment larger than a cap is not held and is counted as dropped', () => {
    const t = new StreamTracker({ streamBytes: 1000, totalBytes: 100_000 });
    t.onPacket(pkt({ seq: 0, flags: SYN }));
    t.onPacket(pkt({ seq: 1, data: 'a'.repeat(500) }));
    t.onPacket(pkt({ seq: 501, data: 'b'.repeat(2000) }));
    const st = t.tcp[0]!.halves[0].store;
    expect(st.storedBytes).toBe(0);
    expect(st.droppedBytes).toBe(2500);
    expect(t.budget.used).toBe(0);
  });
});
