/**
 * Display filter changes re-applied to what was captured: the Runtime keeps every raw packet in a
 * PacketRing and replays it through Engine.replayDisplayed when the filter changes (Wireshark-like),
 * instead of counting only what arrives afterwards (which at end of capture is nothing).
 */
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { PacketRing } from '../../src/capture/packet-ring.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { ETH, ethernet, ipv4Fragments, udp as udpSeg } from '../../src/fixtures-gen/packet-builder.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import { Engine, type PacketPredicate } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';
import { PacketStore } from '../../src/ui/store/packet-store.js';
import { tempFiles } from '../capture/temp-files.js';

const tmp = tempFiles('wiretop-ring-');
const clock: RuntimeClock = { now: () => 0, setInterval: () => 0, clearInterval: () => {} };

const PREDICATES: Record<string, PacketPredicate> = {
  udp: (p) => p.ipProto === 17,
  tcp: (p) => p.ipProto === 6,
  'tcp.port == 443': (p) => p.ipProto === 6 && (p.srcPort === 443 || p.dstPort === 443),
};
function compile(text: string): PacketPredicate {
  const f = PREDICATES[text];
  if (!f) throw new Error(`bad filter ${text}`);
  return f;
}

/** Reads a capture to its end through a Runtime with a ring, a packet store and a pre-filter observer. */
async function readAll(path: string, ringBytes: number | null = 64 << 20, onReplay?: () => void) {
  const engine = new Engine();
  const ring = ringBytes === null ? null : new PacketRing({ bytes: ringBytes });
  const runtime = new Runtime({ engine, source: openFileSource({ path }), clock, compileDisplayFilter: compile, ring, onReplay });
  const store = ring ? new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame) : null;
  if (store) engine.addObserver(store);
  const seen = { pre: 0, post: 0, resets: 0, ticks: 0 };
  engine.addPreFilterObserver({ onPacket: () => seen.pre++, onTick: () => seen.ticks++ }, { ticks: true });
  engine.addObserver({ onPacket: () => seen.post++, onReset: () => seen.resets++ });
  await runtime.start();
  runtime.stop();
  return { engine, runtime, ring, store, seen };
}

/** What a fresh engine counts for `text` over the whole capture (the reference the replay must match). */
async function reference(path: string, text: string | null) {
  const engine = new Engine({ displayPredicate: text === null ? null : compile(text), displayFilterText: text });
  await openFileSource({ path }).start((r) => engine.ingest(r));
  return engine;
}

const conversationsOf = (e: Engine) =>
  e.snapshot().conversations.map((c) => `${c.a}:${c.aPort} ${c.b}:${c.bPort} ${c.aToBPackets + c.bToAPackets}`).sort();

describe('Runtime ring: a display filter applies to what was captured', () => {
  it('at end of capture, udp counts the capture\'s UDP packets, and clearing brings everything back', async () => {
    const { engine, runtime, seen } = await readAll('fixtures/demo.pcap');
    const read = engine.packetsRead;
    const bytesRead = engine.bytesRead;
    expect(engine.packets).toBe(read);
    const before = { pre: seen.pre, ticks: seen.ticks, malformed: engine.malformed, clock: engine.clock };

    runtime.setDisplayFilter('udp');
    const udp = await reference('fixtures/demo.pcap', 'udp');
    expect(udp.packets).toBeGreaterThan(0);
    expect(engine.packets).toBe(udp.packets);
    expect(engine.bytes).toBe(udp.bytes);
    expect(conversationsOf(engine)).toEqual(conversationsOf(udp));
    const snap = runtime.getSnapshot();
    expect(snap.source.displayFilter).toBe('udp');
    expect(snap.totals.packets).toBe(udp.packets);
    expect(snap.conversations.length).toBeGreaterThan(0);
    expect(snap.conversations.every((c) => c.aPort !== 443 && c.bPort !== 443)).toBe(true);
    expect(snap.displaySince).toBeNull(); // the ring held the whole capture
    // Raw counters, the clock and the observers before the filter saw each packet once only.
    expect([engine.packetsRead, engine.bytesRead, engine.malformed, engine.clock]).toEqual([read, bytesRead, before.malformed, before.clock]);
    expect([seen.pre, seen.ticks]).toEqual([before.pre, before.ticks]);
    expect(seen.resets).toBe(1);

    runtime.setDisplayFilter(null);
    const all = await reference('fixtures/demo.pcap', null);
    expect(engine.packets).toBe(read);
    expect(engine.bytes).toBe(bytesRead);
    expect(conversationsOf(engine)).toEqual(conversationsOf(all));
    expect(runtime.getSnapshot().totals.packets).toBe(read);
    expect(runtime.getSnapshot().source.displayFilter).toBeNull();
    expect(engine.packetsRead).toBe(read);
    expect(seen.pre).toBe(before.pre);
  });

  it('the rates and protocol counts of replayed packets land in their own seconds', async () => {
    const { engine, runtime } = await readAll('fixtures/demo.pcap');
    const pps = runtime.getSnapshot().pps;
    runtime.setDisplayFilter('tcp');
    runtime.setDisplayFilter(null);
    const s = runtime.getSnapshot();
    expect(s.pps).toBeCloseTo(pps, 6);
    expect(s.protocols.length).toBeGreaterThan(0);
    const tcp = await reference('fixtures/demo.pcap', 'tcp');
    tcp.setSource({ ended: true }); // the reference, too, has read the file to its end
    runtime.setDisplayFilter('tcp');
    expect(runtime.getSnapshot().pps).toBeCloseTo(tcp.snapshot().pps, 6);
    expect(engine.packets).toBe(tcp.packets);
  });

  it('replayed counts equal a fresh read when a later fragment comes before its first fragment', async () => {
    // A UDP datagram sent as fragments in reverse order (as some stacks do): read afresh, the last
    // fragment has no ports (its first fragment is not seen yet); the replay must not know better.
    const dg = udpSeg({ sport: 5000, dport: 2049, payload: new Uint8Array(3000).fill(7) });
    const frags = ipv4Fragments({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id: 77 }, dg, 1480).reverse();
    const w = new PcapWriter();
    frags.forEach((f, i) => w.writePacket(1_700_000_000 + i, 0, ethernet({ type: ETH.IPv4 }, f)));
    const path = tmp.file('reverse-frags.pcap', Buffer.from(w.toBuffer()));
    const { engine, runtime } = await readAll(path);
    const fresh = conversationsOf(engine);
    for (const text of ['udp', null]) {
      runtime.setDisplayFilter(text);
      expect(conversationsOf(engine)).toEqual(conversationsOf(await reference(path, text)));
    }
    expect(conversationsOf(engine)).toEqual(fresh);
  });

  it('a bad filter changes nothing', async () => {
    const { engine, runtime } = await readAll('fixtures/demo.pcap');
    runtime.setDisplayFilter('udp');
    const n = engine.packets;
    expect(() => runtime.setDisplayFilter('nonsense ==')).toThrow(/bad filter/);
    expect(engine.packets).toBe(n);
    expect(engine.displayFilterText).toBe('udp');
  });

  it('a ring that lost the start of the capture replays what it holds and says from when', async () => {
    const { engine, runtime, ring } = await readAll('fixtures/demo.pcap', 1 << 20);
    expect(ring!.evicted()).toBeGreaterThan(0);
    runtime.setDisplayFilter('tcp');
    const oldest = ring!.oldestTime()!;
    expect(runtime.getSnapshot().displaySince).toBe(oldest);
    let tcpInRing = 0;
    ring!.scan((m) => {
      if (m.proto === 6) tcpInRing++;
    });
    expect(engine.packets).toBe(tcpInRing);
    runtime.setDisplayFilter(null);
    expect(engine.packets).toBe(ring!.packets());
    expect(runtime.getSnapshot().displaySince).toBe(oldest);
    expect(engine.packetsRead).toBeGreaterThan(ring!.packets());
  });

  it('without a ring a new filter counts from the change, as before', async () => {
    const { engine, runtime } = await readAll('fixtures/demo.pcap', null);
    runtime.setDisplayFilter('udp');
    expect(engine.packets).toBe(0);
    expect(runtime.getSnapshot().displaySince).toBe(engine.clock);
  });

  it('calls onReplay before replaying (per-packet classifier state restarts)', async () => {
    const order: string[] = [];
    const { engine, runtime } = await readAll('fixtures/demo.pcap', 64 << 20, () => order.push(`replay at ${engine.packets}`));
    engine.addObserver({ onPacket: () => {}, onReset: () => order.push('reset') });
    runtime.setDisplayFilter('udp');
    expect(order).toEqual(['reset', 'replay at 0']);
  });

  it('the packet view reads the runtime\'s ring: frame numbers stay the capture\'s whatever the filter', async () => {
    const { engine, runtime, store, ring } = await readAll('fixtures/demo.pcap');
    const everything = store!.view(null)!.summaries;
    const numbers = new Map(everything.map((s) => [s.no, s]));
    runtime.setDisplayFilter('udp');
    const udp = store!.view(null)!.summaries;
    expect(udp.length).toBe(Math.min(engine.packets, 2000));
    expect(udp.every((s) => s.proto !== 'TCP' && s.proto !== 'TLS' && s.proto !== 'HTTP')).toBe(true);
    for (const s of udp) {
      const same = numbers.get(s.no);
      if (same) expect(same).toEqual(s);
    }
    const conv = runtime.getSnapshot().conversations[0]!;
    const list = store!.view(conv.id)!.summaries;
    expect(list.length).toBe(Math.min(2000, conv.aToBPackets + conv.bToAPackets));
    const d = store!.view(conv.id)!.detailOf(list[0]!.no)!;
    expect(d.no).toBe(list[0]!.no);
    expect(store!.indexed).toBeLessThanOrEqual(ring!.packets());
    runtime.setDisplayFilter(null);
    expect(store!.indexed).toBe(ring!.packets());
  });

  it('keys each kept packet with its frame number, 1 for the first read', async () => {
    const { ring } = await readAll('fixtures/http.pcap');
    const m: number[] = [];
    ring!.scan((meta) => {
      m.push(meta.tag);
    });
    expect(m).toEqual(Array.from({ length: m.length }, (_, i) => i + 1));
  });
});

describe('Engine.replayDisplayed', () => {
  it('counts under the display filter but leaves raw counters and pre-filter observers alone', async () => {
    const engine = new Engine();
    let pre = 0;
    engine.addPreFilterObserver({ onPacket: () => pre++ });
    const kept: { buf: Uint8Array; tsSec: number; tsNsec: number; capLen: number; origLen: number; linkType: number }[] = [];
    await openFileSource({ path: 'fixtures/dns.pcap' }).start((r) => {
      engine.ingest(r);
      kept.push({ buf: r.buf.slice(r.off, r.off + r.capLen), tsSec: r.tsSec, tsNsec: r.tsNsec, capLen: r.capLen, origLen: r.origLen, linkType: r.linkType });
    });
    const read = engine.packetsRead;
    const preBefore = pre;
    let classified = 0;
    engine.classify = (_p: DecodedPacket) => void classified++;
    engine.setDisplayFilter((p) => p.ipProto === 17, 'udp');
    expect(engine.packets).toBe(0);
    const { PacketRecord } = await import('../../src/capture/record.js');
    const r = new PacketRecord();
    for (const k of kept) {
      Object.assign(r, { ...k, off: 0, ifIndex: 0 });
      engine.replayDisplayed(r);
    }
    expect(engine.packets).toBeGreaterThan(0);
    expect(engine.packetsRead).toBe(read);
    expect(pre).toBe(preBefore);
    expect(classified).toBe(kept.length);
  });
});
