import { describe, expect, it } from 'vitest';
import { StreamTracker } from '../../src/streams/stream-tracker.js';
import { ChunkKind, type StreamChunk } from '../../src/streams/chunk.js';
import { ACK, FIN, PSH, RST, SYN, pkt, srv } from './packets.js';

function text(chunks: StreamChunk[]): string {
  return chunks.map((c) => (c.kind === ChunkKind.Gap ? `[${c.missing} missing]` : Buffer.from(c.data).toString('latin1'))).join('');
}

function run(...ps: ReturnType<typeof pkt>[]): StreamTracker {
  const t = new StreamTracker();
  for (const p of ps) t.onPacket(p);
  return t;
}

describe('TCP reassembly', () => {
  it('in order, with handshake and FIN', () => {
    const t = run(
      pkt({ seq: 100, flags: SYN }),
      srv({ seq: 500, ack: 101, flags: SYN | ACK }),
      pkt({ seq: 101, ack: 501, data: 'hello ' }),
      pkt({ seq: 107, ack: 501, data: 'world' }),
      srv({ seq: 501, ack: 112, data: 'ok', flags: ACK | PSH }),
      pkt({ seq: 112, ack: 503, flags: FIN | ACK }),
      srv({ seq: 503, ack: 113, flags: FIN | ACK }),
    );
    const s = t.tcp[0]!;
    expect(text(s.chunks('client'))).toBe('hello world');
    expect(text(s.chunks('server'))).toBe('ok');
    expect(s.chunks('both').map((c) => c.dir)).toEqual([0, 0, 1]);
    expect(s.closed).toBe(true);
  });

  it('out of order segments wait for the hole', () => {
    const t = run(pkt({ seq: 1, flags: SYN }), pkt({ seq: 7, data: 'world' }), pkt({ seq: 2, data: 'hello' }));
    expect(text(t.tcp[0]!.chunks())).toBe('helloworld');
    expect(t.tcp[0]!.halves[0].fragments).toHaveLength(0);
  });

  it('retransmission overlap: the first copy of each byte wins', () => {
    const t = run(pkt({ seq: 0, flags: SYN }), pkt({ seq: 1, data: 'AAAAAAAAAA' }), pkt({ seq: 6, data: 'BBBBBBBBBB' }));
    expect(text(t.tcp[0]!.chunks())).toBe('AAAAAAAAAABBBBB');
  });

  it('overlapping out-of-order fragments: arrival order decides', () => {
    const t = run(
      pkt({ seq: 0, flags: SYN }),
      pkt({ seq: 11, data: 'CCCCCCCCCC' }),
      pkt({ seq: 6, data: 'DDDDDDDDDD' }),
      pkt({ seq: 1, data: 'EEEEE' }),
    );
    expect(text(t.tcp[0]!.chunks())).toBe('EEEEEDDDDDDDDDDCCCCC');
  });

  it('sequence numbers wrap around 2^32', () => {
    const isn = 0xfffffff8;
    const t = run(
      pkt({ seq: isn, flags: SYN }),
      pkt({ seq: isn + 1, data: 'abcdef' }),
      pkt({ seq: (isn + 13) >>> 0, data: 'mnop' }), // after the wrap, out of order
      pkt({ seq: (isn + 7) >>> 0, data: 'ghijkl' }), // crosses 2^32
      pkt({ seq: isn + 1, data: 'zzzzzz' }), // old retransmission
    );
    expect(text(t.tcp[0]!.chunks())).toBe('abcdefghijklmnop');
  });

  it('a gap never captured is marked once the receiver acknowledges past it, then delivery goes on', () => {
    const t = run(
      pkt({ seq: 0, flags: SYN }),
      pkt({ seq: 1, data: '0123456789' }),
      pkt({ seq: 21, data: 'KLMNO' }),
      srv({ seq: 1, ack: 26 }),
      pkt({ seq: 26, data: 'PQ' }),
    );
    expect(text(t.tcp[0]!.chunks())).toBe('0123456789[10 missing]KLMNOPQ');
    expect(t.tcp[0]!.halves[0].missingBytes).toBe(10);
  });

  it('without an acknowledgement the hole waits (as tshark), until the out-of-order limit', () => {
    const t = new StreamTracker({ maxOooBytes: 8 });
    t.onPacket(pkt({ seq: 0, flags: SYN }));
    t.onPacket(pkt({ seq: 1, data: 'ab' }));
    t.onPacket(pkt({ seq: 10, data: 'xyz' }));
    expect(text(t.tcp[0]!.chunks())).toBe('ab');
    t.onPacket(pkt({ seq: 13, data: 'uvwxyz' })); // 9 bytes waiting > 8
    expect(text(t.tcp[0]!.chunks())).toBe('ab[7 missing]xyzuvwxyz');
  });

  it('a stream that starts mid-connection', () => {
    const t = run(pkt({ seq: 123456, data: 'middle ' }), srv({ seq: 999, ack: 123463, data: 'reply' }), pkt({ seq: 123463, data: 'end' }));
    const s = t.tcp[0]!;
    expect(text(s.chunks('client'))).toBe('middle end');
    expect(text(s.chunks('server'))).toBe('reply');
  });

  it('RST ends a stream; payload on RST is kept', () => {
    const t = run(pkt({ seq: 0, flags: SYN }), pkt({ seq: 1, data: 'x' }), srv({ seq: 5, flags: RST | ACK, data: 'diag' }));
    expect(t.tcp[0]!.closed).toBe(true);
    expect(text(t.tcp[0]!.chunks('server'))).toBe('diag');
  });

  it('a truncated capture advances by the wire length', () => {
    const t = run(pkt({ seq: 0, flags: SYN }), pkt({ seq: 1, data: 'abc', wire: 10 }), pkt({ seq: 11, data: 'next' }));
    expect(text(t.tcp[0]!.chunks())).toBe('abcnext');
  });

  it('IPv6 streams', () => {
    const t = run(pkt({ v6: true, seq: 0, flags: SYN }), pkt({ v6: true, seq: 1, data: 'six' }));
    expect(t.tcp[0]!.ends.v6).toBe(true);
    expect(text(t.tcp[0]!.chunks())).toBe('six');
  });
});

describe('stream numbering (tcp.stream)', () => {
  it('first-seen order; a new SYN with a new ISN on a reused 4-tuple starts a new stream', () => {
    const t = new StreamTracker();
    const streams: number[] = [];
    const feed = (p: ReturnType<typeof pkt>): void => {
      t.onPacket(p);
      streams.push(t.lastStream);
    };
    feed(pkt({ seq: 100, flags: SYN }));
    feed(pkt({ sport: 40001, seq: 7, flags: SYN }));
    feed(pkt({ seq: 100, flags: SYN })); // retransmitted SYN: same stream
    feed(pkt({ seq: 101, data: 'a' }));
    feed(pkt({ seq: 102, flags: FIN | ACK }));
    feed(srv({ seq: 9, flags: FIN | ACK }));
    feed(pkt({ seq: 5000, flags: SYN })); // reuse
    feed(srv({ seq: 77, ack: 5001, flags: SYN | ACK }));
    expect(streams).toEqual([0, 1, 0, 0, 0, 0, 2, 2]);
    expect(t.tcpCount).toBe(3);
  });

  it('a SYN after a mid-stream start also starts a new stream (as tshark)', () => {
    const t = run(pkt({ seq: 5000, data: 'old' }), pkt({ seq: 123, flags: SYN }));
    expect(t.tcpCount).toBe(2);
  });

  it('the engine flow slot is used as a cache but checked against the tuple', () => {
    const t = new StreamTracker();
    t.onPacket(pkt({ seq: 0, flags: SYN }), 3);
    t.onPacket(pkt({ sport: 1234, seq: 0, flags: SYN }), 3); // slot reused by another flow
    t.onPacket(pkt({ seq: 1, data: 'x' }), 3);
    expect(t.tcpCount).toBe(2);
    expect(t.lastStream).toBe(0);
  });
});

describe('UDP conversations', () => {
  it('datagrams in order, both directions, numbered by first sight', () => {
    const t = run(
      pkt({ udp: true, sport: 5000, dport: 53, data: 'q1' }),
      pkt({ udp: true, sport: 5001, dport: 53, data: 'other' }),
      srv({ udp: true, sport: 53, dport: 5000, data: 'r1' }),
    );
    expect(t.udpCount).toBe(2);
    expect(text(t.udp[0]!.chunks())).toBe('q1r1');
    expect(t.udp[0]!.chunks().map((c) => c.dir)).toEqual([0, 1]);
  });
});

describe('memory caps', () => {
  it('per direction: oldest data dropped and counted (bytes plus a per-chunk overhead)', () => {
    const t = new StreamTracker({ streamBytes: 1000 });
    t.onPacket(pkt({ seq: 0, flags: SYN }));
    for (let i = 0; i < 30; i++) t.onPacket(pkt({ seq: 1 + i * 100, data: String(i % 10).repeat(100) }));
    const h = t.tcp[0]!.halves[0];
    expect(h.store.cost).toBeLessThanOrEqual(1000);
    expect(h.store.storedBytes).toBe(600); // 6 chunks of 100 + 64
    expect(h.store.droppedBytes).toBe(2400);
    expect(text(t.tcp[0]!.chunks()).startsWith('4'.repeat(100))).toBe(true);
    expect(text(t.tcp[0]!.chunks()).endsWith('9'.repeat(100))).toBe(true);
    expect(h.bytesWritten).toBe(3000);
  });

  it('a flood of 1-byte segments is bounded by the per-chunk overhead', () => {
    const t = new StreamTracker({ streamBytes: 6500 });
    t.onPacket(pkt({ seq: 0, flags: SYN }));
    for (let i = 0; i < 10_000; i++) t.onPacket(pkt({ seq: 1 + i, data: 'x' }));
    const st = t.tcp[0]!.halves[0].store;
    expect(st.held).toBeLessThanOrEqual(100);
    expect(t.tcp[0]!.chunks().length).toBe(st.held);
    expect(st.storedBytes + st.droppedBytes).toBe(10_000);
  });

  it('global: many long streams stay under the total', () => {
    const t = new StreamTracker({ streamBytes: 1 << 20, totalBytes: 10_000 });
    const payload = 'x'.repeat(500);
    for (let s = 0; s < 50; s++) t.onPacket(pkt({ sport: 1000 + s, seq: 0, flags: SYN }));
    for (let round = 0; round < 20; round++) {
      for (let s = 0; s < 50; s++) t.onPacket(pkt({ sport: 1000 + s, seq: 1 + round * 500, data: payload }));
      expect(t.budget.used).toBeLessThanOrEqual(10_000);
    }
    let stored = 0;
    let dropped = 0;
    let cost = 0;
    for (const s of t.tcp) {
      stored += s!.halves[0].store.storedBytes;
      dropped += s!.halves[0].store.droppedBytes;
      cost += s!.halves[0].store.cost + s!.halves[1].store.cost;
    }
    expect(cost).toBe(t.budget.used);
    expect(stored + dropped).toBe(50 * 20 * 500);
    // The newest data survives: the last stream's last chunk is held.
    expect(t.tcp[49]!.halves[0].store.storedBytes).toBeGreaterThan(0);
  });

  it('maxStreams forgets the oldest stream objects, numbers keep counting', () => {
    const t = new StreamTracker({ maxStreams: 10 });
    for (let s = 0; s < 25; s++) t.onPacket(pkt({ sport: 2000 + s, seq: 0, flags: SYN }));
    expect(t.tcpCount).toBe(25);
    expect(t.tcp.filter((x) => x !== null)).toHaveLength(10);
  });

  it('streaming mode: chunks go to the listener and nothing is stored', () => {
    const seen: string[] = [];
    const t = new StreamTracker({ storeData: false, onChunk: (_p, i, c) => seen.push(`${i}:${Buffer.from(c.data).toString()}`) });
    t.onPacket(pkt({ seq: 0, flags: SYN }));
    t.onPacket(pkt({ seq: 1, data: 'abc' }));
    expect(seen).toEqual(['0:abc']);
    expect(t.tcp[0]!.halves[0].store.storedBytes).toBe(0);
  });
});

describe('stored data is a private copy', () => {
  it('survives the reader overwriting its (Node Buffer) chunk', () => {
    const t = new StreamTracker();
    const p = pkt({ seq: 0, flags: SYN });
    t.onPacket(p);
    const shared = Buffer.from('first');
    const q = pkt({ seq: 1, data: shared });
    t.onPacket(q);
    shared.write('XXXXX');
    const u = pkt({ udp: true, data: shared });
    t.onPacket(u);
    shared.write('YYYYY');
    expect(text(t.tcp[0]!.chunks())).toBe('first');
    expect(text(t.udp[0]!.chunks())).toBe('XXXXX');
  });
});
