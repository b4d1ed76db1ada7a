import { describe, expect, test } from 'vitest';
import { openFileSource, PacketRing } from '../../src/capture/index.js';
import type { PacketRecord } from '../../src/capture/record.js';
import { RingKey } from '../../src/capture/ring-key.js';
import { setupDissection } from '../../src/dissect/setup.js';
import { Engine } from '../../src/engine/engine.js';
import { ChunkKind, gapMarkerBytes } from '../../src/streams/chunk.js';
import type { StreamViewSource } from '../../src/ui/stream/stream-data.js';
import { sessionStreamIndex, type StreamIndex } from '../../src/ui/store/stream-index.js';

/** A dashboard's stream wiring fed a capture: with a ring (index mode + rebuild) or without (store mode). */
class Wired {
  readonly engine = new Engine({});
  readonly ring: PacketRing | null;
  readonly index: StreamIndex;
  private frame = 0;
  private readonly key = new RingKey();

  constructor(ringBytes: number | null) {
    this.ring = ringBytes === null ? null : new PacketRing({ bytes: ringBytes });
    const streams = sessionStreamIndex((slot) => this.engine.flows.gen[slot]!, this.ring ? { ring: this.ring, frame: () => this.frame } : null);
    setupDissection(this.engine, { classifyPackets: false, store: this.ring === null, after: streams.after });
    this.index = streams.index()!;
  }

  /** What Runtime.onRecord does. */
  ingest(r: PacketRecord): void {
    this.frame++;
    this.engine.ingest(r);
    if (!this.ring) return;
    const k = this.key.fromPacket(this.engine.packet, this.frame);
    this.ring.append(r, k);
  }

  async read(path: string, from = 0, to = Infinity): Promise<void> {
    let n = 0;
    await openFileSource({ path }).start((r) => {
      if (n >= from && n < to) this.ingest(r);
      n++;
    });
  }

  ids(): string[] {
    return this.engine.snapshot({ top: 1000 } as never).conversations.filter((c) => /^(tcp|udp)$/i.test(c.proto)).map((c) => c.id);
  }
}

/** Per direction, the bytes a source shows (gap markers as tshark writes them). */
function text(s: StreamViewSource): [string, string] {
  const out: [string, string] = ['', ''];
  for (const c of s.chunks) out[c.dir] += Buffer.from(c.kind === ChunkKind.Gap ? gapMarkerBytes(c.missing) : c.data).toString('latin1');
  return out;
}

const FILES = ['fixtures/http.pcap', 'fixtures/demo.pcap', 'fixtures/tcp-states.pcap', 'fixtures/dns.pcap', 'fixtures/ipv6.pcap'];

describe('StreamIndex with a packet ring (index mode, streams rebuilt from the ring)', () => {
  for (const f of FILES) {
    test(`${f}: every stream reads as the reassembling tracker's`, async () => {
      const stored = new Wired(null);
      const ringed = new Wired(64 << 20);
      await stored.read(f);
      await ringed.read(f);
      const ids = stored.ids();
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        const a = stored.index.source(id);
        const b = ringed.index.source(id);
        expect(b === null, id).toBe(a === null);
        if (!a || !b) continue;
        expect([b.proto, b.index, b.client, b.server], id).toEqual([a.proto, a.index, a.client, a.server]);
        expect(text(b), id).toEqual(text(a));
        expect(b.chunks.map((c) => c.frame), id).toEqual(a.chunks.map((c) => c.frame));
        expect(b.dropped, id).toEqual(a.dropped);
        expect(ringed.index.source(id)).toBe(b);
      }
    });
  }

  test('a live stream is fed only its new packets: earlier chunks stay the same objects', async () => {
    const all = new Wired(null);
    await all.read('fixtures/demo.pcap');
    const w = new Wired(64 << 20);
    await w.read('fixtures/demo.pcap', 0, 40);
    const id = w.ids().find((i) => (w.index.source(i)?.chunks.length ?? 0) > 1)!;
    expect(id).toBeDefined();
    const early = w.index.source(id)!;
    await w.read('fixtures/demo.pcap', 40);
    const late = w.index.source(id)!;
    expect(late).not.toBe(early);
    expect(late.chunks[0]).toBe(early.chunks[0]);
    expect(text(late)).toEqual(text(all.index.source(id)!));
  });

  test('data older than the ring is counted as not held, with the reason', async () => {
    const all = new Wired(null);
    await all.read('fixtures/demo.pcap');
    const w = new Wired(256 << 10);
    await w.read('fixtures/demo.pcap');
    let seen = 0;
    for (const id of all.ids()) {
      const full = all.index.source(id)!;
      const part = w.index.source(id)!;
      const [fc, fs] = text(full);
      const [pc, ps] = text(part);
      // What is held is the newest data; with what is not held, it adds up to the whole stream.
      expect(fc.endsWith(pc) && fs.endsWith(ps), id).toBe(true);
      expect([pc.length + part.dropped[0], ps.length + part.dropped[1]], id).toEqual([fc.length, fs.length]);
      if (part.dropped[0] + part.dropped[1] > 0) {
        seen++;
        expect(part.droppedWhy).toMatch(/older than the packet ring/);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('StreamIndex with a ring across a display filter replay', () => {
  test('the replayed index opens the stream with the same bytes, chunk frames the capture frame numbers', async () => {
    const { Runtime } = await import('../../src/engine/runtime.js');
    const { compileFilter, createFilterContext } = await import('../../src/filter/index.js');
    const stored = new Wired(null);
    await stored.read('fixtures/http.pcap');
    const engine = new Engine({});
    const ring = new PacketRing({ bytes: 1 << 20 });
    let runtime: InstanceType<typeof Runtime>;
    // As the dashboard wires it (src/cli/dashboard-session.ts).
    const streams = sessionStreamIndex((slot) => engine.flows.gen[slot]!, { ring, frame: () => runtime.frame });
    const opts = { classifyPackets: false, store: false, after: streams.after };
    let d = setupDissection(engine, opts);
    const index = streams.index()!;
    runtime = new Runtime({
      engine, source: openFileSource({ path: 'fixtures/http.pcap' }), ring,
      compileDisplayFilter: (t) => {
        const f = compileFilter(t, createFilterContext({ paths: engine.paths }));
        return (p) => f.match(p);
      },
      onReplay: () => {
        d.detach();
        d = setupDissection(engine, opts);
      },
    });
    await runtime.start();
    runtime.stop();
    runtime.setDisplayFilter('tcp');
    // Slots are renumbered by the replay: find the same conversation in both by its endpoints.
    const key = (c: { a: string; aPort: number | null; b: string; bPort: number | null }): string => `${c.a}:${c.aPort}-${c.b}:${c.bPort}`;
    const conv = engine.snapshot().conversations.find((c) => c.proto.toLowerCase() === 'tcp')!;
    const before = stored.engine.snapshot().conversations.find((c) => key(c) === key(conv))!;
    const want = stored.index.source(before.id)!;
    const got = index.source(conv.id)!;
    expect(want).not.toBeNull();
    expect(got).not.toBeNull();
    expect(text(got)).toEqual(text(want));
    expect(got.chunks.map((c) => c.frame)).toEqual(want.chunks.map((c) => c.frame));
    expect(got.dropped).toEqual([0, 0]);
  });
});
