import { describe, expect, test } from 'vitest';
import { AlertManager } from '../../src/baseline/index.js';
import type { MeterRow } from '../../src/baseline/index.js';
import { openFileSource, PacketRing } from '../../src/capture/index.js';
import { setupDissection } from '../../src/dissect/setup.js';
import { Engine } from '../../src/engine/engine.js';
import { Runtime } from '../../src/engine/runtime.js';
import { PacketRecord } from '../../src/capture/record.js';
import { RingKey } from '../../src/capture/ring-key.js';
import { baselineReader } from '../../src/ui/store/baseline-view.js';
import type { MonitorLike } from '../../src/ui/store/baseline-view.js';
import { PACKET_LIST_LIMIT, PacketStore } from '../../src/ui/store/packet-store.js';
import { StreamIndex } from '../../src/ui/store/stream-index.js';
import { throttleStore } from '../../src/ui/store/throttle-store.js';
import { withExtras } from '../../src/ui/store/with-extras.js';
import { baselineView } from './helpers/baseline.js';
import { FakeStore } from './helpers/fake-store.js';
import { busySnapshot } from './helpers/snapshots.js';
import { source } from './stream/stream-fixtures.js';

describe('withExtras', () => {
  test('one decorated snapshot per engine snapshot; baseline read once for it', () => {
    const inner = new FakeStore(busySnapshot());
    let reads = 0;
    const store = withExtras(inner, { baseline: () => baselineView({ raised: ++reads }) });
    const a = store.getSnapshot();
    expect(store.getSnapshot()).toBe(a);
    expect(a.baseline?.raised).toBe(1);
    expect(a.hosts).toBe(inner.getSnapshot().hosts);
    inner.publish(busySnapshot({ seq: 6 }));
    const b = store.getSnapshot();
    expect(b).not.toBe(a);
    expect(b.seq).toBe(6);
    expect(b.baseline?.raised).toBe(2);
    expect(reads).toBe(2);
    store.setFocus('c1');
    store.pause();
    expect(inner.calls).toEqual(['focus c1', 'pause']);
  });

  test('getStream is offered only when there is a source of streams, through the throttle too', () => {
    const inner = new FakeStore(busySnapshot());
    expect(withExtras(inner, {}).getStream).toBeUndefined();
    const s = source([]);
    const store = withExtras(inner, { stream: (id) => (id === 'c1' ? s : null) });
    expect(store.getStream?.('c1')).toBe(s);
    expect(store.getStream?.('c2')).toBeNull();
    const clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} };
    expect(throttleStore(store, 4, clock).getStream?.('c1')).toBe(s);
    expect(throttleStore(inner, 4, clock).getStream).toBeUndefined();
  });
});

describe('baselineReader', () => {
  test('copies rows, carries the raise count and the status note', () => {
    const alertManager = new AlertManager();
    const rows: MeterRow[] = [{ name: 'bits/s', unit: 'bit/s', current: 5, low: 0, high: 10, deviation: 0, level: 'normal', learning: true }];
    const monitor: MonitorLike = {
      view: () => ({
        meters: rows,
        alerts: alertManager.list(),
        status: { learning: false, learned: false, learnedFrom: null, learningLeftSec: 10, note: 'warming up' },
        raised: alertManager.raised,
      }),
    };
    const read = baselineReader(monitor);
    expect(read()).toMatchObject({ raised: 0, alerts: [], note: 'warming up' });
    alertManager.report('port-scan', '10.0.0.9', 100, 200, 64, 'high', 'probed');
    const v = read();
    expect(v.raised).toBe(1);
    expect(v.alerts).toHaveLength(1);
    expect(v.meters[0]).toEqual(rows[0]);
    expect(v.meters[0]).not.toBe(rows[0]);
    alertManager.report('port-scan', '10.0.0.9', 101, 300, 64, 'critical', 'probed more');
    // The record changed in place; the copy taken before did not.
    expect(v.alerts[0]!.observed).toBe(200);
    expect(read().alerts[0]!.observed).toBe(300);
  });
});

describe('StreamIndex', () => {
  test('a conversation id opens its reassembled stream', async () => {
    const engine = new Engine({});
    const dissection = setupDissection(engine, { classifyPackets: false });
    const index = new StreamIndex(dissection.streams, (slot) => engine.flows.gen[slot]!);
    engine.addObserver(index);
    await openFileSource({ path: 'fixtures/http.pcap' }).start((r) => engine.ingest(r));
    const snap = engine.snapshot();
    const tcp = snap.conversations.find((c) => c.proto.toLowerCase() === 'tcp' && (c.aPort === 80 || c.bPort === 80));
    expect(tcp).toBeDefined();
    const s = index.source(tcp!.id);
    expect(s).not.toBeNull();
    expect(s!.proto).toBe('tcp');
    expect(s!.client).toBe(`${tcp!.a}:${tcp!.aPort}`);
    expect(s!.server).toBe(`${tcp!.b}:${tcp!.bPort}`);
    const text = new TextDecoder().decode(s!.chunks[0]!.data);
    expect(text).toMatch(/^(GET|POST|HEAD) /);
    expect(s!.dropped).toEqual([0, 0]);
    expect(index.source(tcp!.id)).toBe(s);
    const [slot, gen] = tcp!.id.split(':').map(Number);
    expect(index.source(`${slot}:${gen! + 1}`)).toBeNull();
    expect(index.source('nonsense')).toBeNull();
    expect(index.source('99999:0')).toBeNull();
    index.onReset();
    expect(index.source(tcp!.id)).toBeNull();
  });
});

describe('PacketStore', () => {
  async function load(path: string, ringBytes = 1 << 20) {
    const engine = new Engine({});
    const ring = new PacketRing({ bytes: ringBytes });
    const runtime = new Runtime({ engine, source: openFileSource({ path }), ring, clock: { now: () => 0, setInterval: () => 0, clearInterval: () => {} } });
    let extra = 0;
    const store = new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame + extra);
    engine.addObserver(store);
    await runtime.start();
    runtime.stop();
    /** One more packet (a copy of the last one) in the ring, counted on flow slot `slot`. */
    const another = (slot: number): void => {
      const rec = new PacketRecord();
      ring.scan((m, data) => {
        if (m.tag !== runtime.frame) return;
        Object.assign(rec, { buf: new Uint8Array(data), off: 0, capLen: m.capLen, origLen: m.origLen, linkType: m.linkType, tsSec: m.tsSec, tsNsec: m.tsNsec });
      });
      extra++;
      const key = new RingKey();
      key.tag = runtime.frame + extra;
      ring.append(rec, key);
      store.onPacket(engine.packet, slot);
    };
    return { engine, store, ring, another };
  }

  test('lists a conversation\'s packets with numbers, addresses and info; details on demand', async () => {
    const { engine, store, another } = await load('fixtures/http.pcap');
    const snap = engine.snapshot();
    const all = store.view(null)!;
    expect(all.summaries).toHaveLength(snap.totals.packets);
    expect(all.summaries.map((s) => s.no)).toEqual(Array.from({ length: snap.totals.packets }, (_, i) => i + 1));
    expect(all.summaries[0]!.time).toBe(0);
    const conv = snap.conversations.find((c) => c.bPort === 80 || c.aPort === 80)!;
    const view = store.view(conv.id)!;
    const n = conv.aToBPackets + conv.bToAPackets;
    expect(view.summaries).toHaveLength(n);
    const first = view.summaries[0]!;
    expect([first.src, first.dst].sort()).toEqual([conv.a, conv.b].sort());
    expect(first.proto).toBe('TCP');
    expect(first.info).toMatch(/\[SYN\]/);
    expect(view.summaries.some((s) => /HTTP|GET|POST/.test(s.info))).toBe(true);
    expect(store.view(conv.id)).toBe(view);
    // Traffic elsewhere leaves an idle conversation's list alone; the list of everything grows.
    another(4000);
    expect(store.view(conv.id)).toBe(view);
    expect(store.view(null)!.summaries).toHaveLength(all.summaries.length + 1);
    const d = view.detailOf(first.no)!;
    expect(d.no).toBe(first.no);
    expect(d.bytes.length).toBeGreaterThan(40);
    expect(d.tree[0]!.label).toMatch(/^Frame: /);
    expect(d.tree.some((t) => /Transmission Control Protocol|TCP/.test(t.label))).toBe(true);
    expect(view.detailOf(99999)).toBeNull();
    expect(store.view('nonsense')).toBeNull();
    expect(store.view('99999:0')!.summaries).toEqual([]);
  });

  test('the newest packets are listed when the selection is long; a reset empties the list, not the ring', async () => {
    const { store, ring } = await load('fixtures/demo.pcap', 4 << 20);
    const all = store.view(null)!;
    expect(all.summaries.length).toBe(PACKET_LIST_LIMIT);
    const nos = all.summaries.map((s) => s.no);
    expect(nos[nos.length - 1]).toBeGreaterThan(PACKET_LIST_LIMIT);
    expect([...nos].sort((a, b) => a - b)).toEqual(nos);
    // The index never outgrows the ring: entries of packets the ring let go are dropped.
    expect(store.indexed).toBe(ring.packets());
    const held = ring.packets();
    store.onReset();
    expect(store.view(null)!.summaries).toEqual([]);
    expect(ring.packets()).toBe(held);
  });
});
