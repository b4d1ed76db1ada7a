import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openFileSource } from '../../src/capture/file-source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { StreamTracker } from '../../src/streams/stream-tracker.js';

const BIG = 1 << 30;

/** Per frame: proto, stream and direction of both modes, and the two trackers. */
async function both(path: string): Promise<{ store: StreamTracker; index: StreamTracker; a: number[]; b: number[] }> {
  const store = new StreamTracker({ streamBytes: BIG, totalBytes: BIG, maxOooBytes: BIG, maxOooFragments: BIG });
  const index = new StreamTracker({ store: false });
  const dec = new Decoder();
  const p = new DecodedPacket();
  const a: number[] = [];
  const b: number[] = [];
  await openFileSource({ path }).start((r) => {
    dec.decode(r, p);
    store.onPacket(p);
    index.onPacket(p);
    a.push(store.lastProto, store.lastStream, store.lastDir);
    b.push(index.lastProto, index.lastStream, index.lastDir);
  });
  return { store, index, a, b };
}

const SHARED = join(process.cwd(), '..', 'shared', 'pcaps');
const files = [
  ...readdirSync('fixtures').filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join('fixtures', f)),
  ...['real/eth_http_range_ooo_retrans.pcap', 'real/eth_tcp_retrans_lost_segments.pcap', 'real/portscan_tcp_syn.pcapng', 'real/dns_udp_llmnr_mdns.pcap',
    'real/eth_mixed_wikipedia_browse.pcap', 'big/pcpp_example_http_browsing.pcap'].map((f) => join(SHARED, f)).filter((f) => existsSync(f)),
];

describe('index mode (store: false) numbers streams exactly as store mode', () => {
  for (const f of files) {
    it(f, async () => {
      const { store, index, a, b } = await both(f);
      expect(b).toEqual(a);
      expect([index.tcpCount, index.udpCount]).toEqual([store.tcpCount, store.udpCount]);
      expect(index.tcp).toEqual([]);
      expect(index.budget.used).toBe(0);
      for (let n = 0; n < store.tcpCount; n++) {
        const s = store.tcp[n]!;
        const e = index.tcpEntries[n]!;
        expect([e.packets, e.firstFrame, e.lastFrame, e.aPort, e.bPort]).toEqual([s.packets, s.firstFrame, s.lastFrame, s.aPort, s.bPort]);
        expect([e.bytes0, e.bytes1]).toEqual([s.h0.wireBytes, s.h1.wireBytes]);
        // The sequence space counted is what reassembling everything accounts for (delivered, missing, waiting).
        for (const d of [0, 1] as const) {
          const h = s.halves[d];
          const held = h.bytesWritten + h.missingBytes + h.fragmentBytes;
          const cut = d === 0 ? e.cut0 : e.cut1;
          if (cut === 0) expect(e.span(d), `${f} tcp ${n} dir ${d}`).toBe(held);
          // Bytes the capture cut (snaplen) are skipped by reassembly: expected() never claims more than it holds.
          else expect(e.expected(d)).toBeLessThanOrEqual(held);
        }
      }
      for (let n = 0; n < store.udpCount; n++) {
        const s = store.udp[n]!;
        const e = index.udpEntries[n]!;
        expect([e.packets, e.bytes0, e.bytes1]).toEqual([s.packets, s.bytes[0], s.bytes[1]]);
      }
    });
  }
});

describe("index mode with the engine's flows (per-slot fast path) numbers and counts as store mode", () => {
  for (const f of files) {
    it(f, async () => {
      const { Engine } = await import('../../src/engine/engine.js');
      const { setupDissection } = await import('../../src/dissect/setup.js');
      const store = new StreamTracker({ streamBytes: BIG, totalBytes: BIG, maxOooBytes: BIG, maxOooFragments: BIG });
      const engine = new Engine({ rates: false, idleTimeoutSec: 0 });
      const index = setupDissection(engine, { classifyPackets: false, store: false }).streams;
      const a: number[] = [];
      const b: number[] = [];
      let fast = 0;
      await openFileSource({ path: f }).start((r) => {
        engine.ingest(r);
        store.onPacket(engine.packet);
        a.push(store.lastProto, store.lastStream, store.lastDir);
        b.push(index.lastProto, index.lastStream, index.lastDir);
        if (!index.lastSlow) fast++;
      });
      expect(b).toEqual(a);
      expect([index.tcpCount, index.udpCount]).toEqual([store.tcpCount, store.udpCount]);
      if (/demo|http_browsing/.test(f)) expect(fast).toBeGreaterThan(0);
      for (let s = 0; s < engine.flows.slotLimit; s++) index.syncSlot(s);
      for (let n = 0; n < store.tcpCount; n++) {
        const s = store.tcp[n]!;
        const e = index.tcpEntries[n]!;
        for (const d of [0, 1] as const) {
          const h = s.halves[d];
          const cut = d === 0 ? e.cut0 : e.cut1;
          if (cut === 0) expect(e.span(d), `${f} tcp ${n} dir ${d}`).toBe(h.bytesWritten + h.missingBytes + h.fragmentBytes);
        }
      }
      for (let n = 0; n < store.udpCount; n++) {
        const s = store.udp[n]!;
        const e = index.udpEntries[n]!;
        expect([e.bytes0, e.bytes1]).toEqual([s.bytes[0], s.bytes[1]]);
      }
    });
  }

  it('a 4-tuple on a second VLAN, or back after its flow was evicted, finds its stream (the tuple index is filled on the first of either)', async () => {
    const { Engine } = await import('../../src/engine/engine.js');
    const { setupDissection } = await import('../../src/dissect/setup.js');
    const { frame, ingestFrames } = await import('./pcap-build.js');
    const C = { src: [10, 0, 0, 1] as [number, number, number, number], dst: [10, 0, 0, 2] as [number, number, number, number] };
    const S = { src: C.dst, dst: C.src };
    /** The frame with an 802.1Q tag (VLAN `id`) after the MAC addresses. */
    const tagged = (f: Uint8Array, id: number): Uint8Array => Uint8Array.from([...f.subarray(0, 12), 0x81, 0x00, id >> 8, id & 255, ...f.subarray(12)]);
    const conn = (sport: number, seq: number): Uint8Array[] => [
      frame({ ...C, sport, dport: 80, seq, flags: 0x02 }),
      frame({ ...S, sport: 80, dport: sport, seq: 900, ack: seq + 1, flags: 0x12 }),
      frame({ ...C, sport, dport: 80, seq: seq + 1, ack: 901, flags: 0x18, data: new Uint8Array(10) }),
    ];
    for (const [name, frames, maxFlows] of [
      // The same connection mirrored on VLAN 7: two flows, one stream (tshark's tcp.stream has no VLAN).
      ['vlan', [...conn(1000, 1), ...conn(1000, 1).map((f) => tagged(f, 7)), ...conn(1001, 50)], 100],
      // Flow A is evicted by B, then A's tuple sends again: a new flow, A's stream.
      ['evicted', [...conn(1000, 1), ...conn(1001, 50), frame({ ...C, sport: 1000, dport: 80, seq: 11, ack: 901, data: new Uint8Array(5) }), ...conn(1002, 70)], 1],
      // UDP likewise.
      ['udp', [frame({ ...C, sport: 53000, dport: 53, udp: true, data: new Uint8Array(20) }), frame({ ...C, sport: 53001, dport: 53, udp: true, data: new Uint8Array(20) }),
        frame({ ...S, sport: 53, dport: 53000, udp: true, data: new Uint8Array(30) })], 1],
    ] as const) {
      const store = new StreamTracker({ streamBytes: BIG, totalBytes: BIG });
      const engine = new Engine({ rates: false, idleTimeoutSec: 0, maxFlows });
      const index = setupDissection(engine, { classifyPackets: false, store: false }).streams;
      const a: number[] = [];
      const b: number[] = [];
      ingestFrames(engine, frames, () => {
        store.onPacket(engine.packet);
        a.push(store.lastProto, store.lastStream, store.lastDir);
        b.push(index.lastProto, index.lastStream, index.lastDir);
      });
      expect(b, name).toEqual(a);
      expect([index.tcpCount, index.udpCount], name).toEqual([store.tcpCount, store.udpCount]);
    }
  });
});
