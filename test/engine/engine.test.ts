import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { fill } from '../flows/make-packet.js';

function engineWithPaths(opts: ConstructorParameters<typeof Engine>[0] = {}) {
  const e = new Engine(opts);
  const eth = e.paths.child(0, Proto.Eth);
  const ip = e.paths.child(eth, Proto.IPv4);
  const tcp = e.paths.child(ip, Proto.Tcp);
  const udp = e.paths.child(ip, Proto.Udp);
  const arp = e.paths.child(eth, Proto.Arp);
  return { e, tcp, udp, arp, p: new DecodedPacket() };
}

describe('Engine', () => {
  it('counts flows, hosts, ports and protocols', () => {
    const { e, tcp, udp, arp, p } = engineWithPaths();
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 443, len: 100, t: 10, pathId: tcp }));
    e.ingestDecoded(fill(p, { src: '10.0.0.2', dst: '10.0.0.1', sport: 443, dport: 40000, len: 1500, t: 10.5, pathId: tcp }));
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.3', proto: 17, sport: 5353, dport: 53, len: 80, t: 11, pathId: udp }));
    p.reset();
    p.origLen = 60;
    p.tsSec = 11;
    p.pathId = arp;
    e.ingestDecoded(p);
    expect(e.packets).toBe(4);
    expect(e.bytes).toBe(1740);
    const s = e.snapshot();
    expect(s.conversations.map((c) => [c.a, c.aPort, c.b, c.bPort, c.service])).toEqual([
      ['10.0.0.1', 40000, '10.0.0.2', 443, 'https'],
      ['10.0.0.1', 5353, '10.0.0.3', 53, 'dns'],
    ]);
    expect(s.hosts[0]).toMatchObject({ addr: '10.0.0.1', txBytes: 180, rxBytes: 1500, txPackets: 2, rxPackets: 1 });
    expect(s.ports.map((r) => [r.key, r.bytes, r.flows])).toEqual([
      ['tcp/443', 1600, 1],
      ['udp/53', 80, 1],
    ]);
    const proto = Object.fromEntries(s.protocols.map((r) => [r.path, [r.packets, r.bytes]]));
    expect(proto).toEqual({
      eth: [4, 1740],
      'eth:arp': [1, 60],
      'eth:ipv4': [3, 1680],
      'eth:ipv4:tcp': [2, 1600],
      'eth:ipv4:udp': [1, 80],
    });
    expect(s.totals.flowsTracked).toBe(2);
  });

  it('drops packets failing the capture predicate and filters the display', () => {
    const { e, tcp, udp, p } = engineWithPaths({
      capturePredicate: (x) => x.ipProto !== 1,
      displayPredicate: (x) => x.ipProto === 6,
      displayFilterText: 'tcp',
    });
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', proto: 1, len: 50 }));
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, len: 100, pathId: tcp }));
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, len: 70, pathId: udp }));
    expect([e.packetsRead, e.bytesRead, e.packets, e.bytes]).toEqual([2, 170, 1, 100]);
    expect(e.flows.count).toBe(1);
    const s = e.snapshot();
    expect(s.source.displayFilter).toBe('tcp');
  });

  it('resets filtered aggregates when the display filter changes', () => {
    const { e, tcp, p } = engineWithPaths();
    let resets = 0;
    e.addObserver({ onPacket() {}, onReset: () => resets++ });
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, t: 5, pathId: tcp }));
    e.setDisplayFilter((x) => x.dstPort === 80, 'tcp.port == 80');
    expect(resets).toBe(1);
    expect([e.packets, e.flows.count, e.hosts.count]).toEqual([0, 0, 0]);
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 80, t: 6, pathId: tcp }));
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 81, t: 6, pathId: tcp }));
    expect([e.packetsRead, e.packets, e.flows.count]).toEqual([3, 1, 1]);
    const s = e.snapshot();
    expect(s.displaySince).toBe(5);
    expect(s.source.displayFilter).toBe('tcp.port == 80');
  });

  it('calls observers with the flow slot and ticks once per second', () => {
    const { e, p, tcp } = engineWithPaths();
    const slots: number[] = [];
    const ticks: number[] = [];
    e.addObserver({ onPacket: (_x, s) => slots.push(s), onTick: (t) => ticks.push(t) });
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, t: 100.1, pathId: tcp }));
    e.ingestDecoded(fill(p, { src: '10.0.0.2', dst: '10.0.0.1', sport: 2, dport: 1, t: 100.9, pathId: tcp }));
    e.ingestDecoded(fill(p, { src: '10.0.0.2', dst: '10.0.0.1', sport: 2, dport: 1, t: 102.2, pathId: tcp }));
    p.reset();
    p.tsSec = 103;
    e.ingestDecoded(p);
    expect(slots).toEqual([0, 0, 0, -1]);
    expect(ticks).toEqual([100, 102, 103]);
  });

  it('expires idle flows on the packet clock', () => {
    const { e, p } = engineWithPaths({ idleTimeoutSec: 60 });
    const removed: number[] = [];
    e.addObserver({ onPacket() {}, onFlowRemoved: (s) => removed.push(s) });
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 0 }));
    e.ingestDecoded(fill(p, { src: '10.0.0.3', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 50 }));
    e.ingestDecoded(fill(p, { src: '10.0.0.3', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 61 }));
    expect(e.flows.count).toBe(1);
    expect(removed).toEqual([0]);
    expect(e.snapshot().totals.flowsExpired).toBe(1);
  });

  it('reports rates over 2/10/40 s and history on the packet clock', () => {
    const { e, p, tcp } = engineWithPaths();
    for (let sec = 0; sec < 50; sec++) {
      for (let k = 0; k < 10; k++) {
        e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, len: 100, t: 1000 + sec + k / 10, pathId: tcp }));
      }
    }
    e.advanceClock(1050);
    const s = e.snapshot();
    expect(s.pps).toBe(10);
    expect(s.bps).toBe(8000);
    expect(s.rawPps).toBe(10);
    const c = s.conversations[0]!;
    expect(c.aToB).toEqual({ r2: 1000, r10: 1000, r40: 1000 });
    expect(c.bToA).toEqual({ r2: 0, r10: 0, r40: 0 });
    expect(s.hosts.find((h) => h.addr === '10.0.0.2')!.rx.r10).toBe(1000);
    expect(s.ports[0]!.rate.r40).toBe(1000);
    const total = s.history.get('')!;
    expect(total.length).toBe(300);
    expect(total.slice(-3)).toEqual([8000, 8000, 8000]);
    expect(s.history.get('tcp')!.slice(-1)).toEqual([8000]);
    const row = s.protocols.find((r) => r.path === 'eth:ipv4:tcp')!;
    expect([row.pps, row.bps, row.share]).toEqual([10, 8000, 1]);
  });

  it('keeps the full 40 s window for a flow still sending in the second in progress', () => {
    const { e, p, tcp } = engineWithPaths();
    for (let sec = 0; sec <= 50; sec++) {
      for (let k = 0; k < 10; k++) {
        e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, len: 100, t: 1000 + sec + k / 100, pathId: tcp }));
      }
    }
    // Second 1050 is being written: the windows are the whole seconds before it.
    const c = e.snapshot().conversations[0]!;
    expect(c.aToB).toEqual({ r2: 1000, r10: 1000, r40: 1000 });
  });

  it('shortens the rate window while the capture is young', () => {
    const { e, p } = engineWithPaths();
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, len: 500, t: 0.5 }));
    e.advanceClock(1.2);
    const c = e.snapshot().conversations[0]!;
    expect(c.aToB).toEqual({ r2: 500, r10: 500, r40: 500 });
  });

  it('carries the focused conversation with recent packets', () => {
    const { e, p, tcp } = engineWithPaths();
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, t: 1, pathId: tcp }));
    const id = e.snapshot().conversations[0]!.id;
    expect(e.setFocus(id)).toBe(true);
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, t: 2, flags: 2, pathId: tcp }));
    e.ingestDecoded(fill(p, { src: '10.0.0.2', dst: '10.0.0.1', sport: 2, dport: 1, t: 3, flags: 18, pathId: tcp }));
    e.ingestDecoded(fill(p, { src: '10.0.0.3', dst: '10.0.0.1', sport: 2, dport: 1, t: 3, pathId: tcp }));
    const f = e.snapshot().focus!;
    expect(f.conversation.id).toBe(id);
    // the packet from before setFocus comes from the recent-packet ring
    expect(f.recentPackets.map((x) => [x.src, x.dst, x.info])).toEqual([
      ['10.0.0.1', '10.0.0.2', '1 → 2 [] Len=0'],
      ['10.0.0.1', '10.0.0.2', '1 → 2 [SYN] Len=0'],
      ['10.0.0.2', '10.0.0.1', '2 → 1 [SYN, ACK] Len=0'],
    ]);
    expect(e.snapshot().focusGone).toBeNull();
    expect(e.setFocus('99:0')).toBe(false);
    expect(e.snapshot().focus).toBeNull();
    expect(e.snapshot().focusGone?.id).toBe('99:0');
  });

  it('labels flows with the application protocol set by dissection', () => {
    const { e, p, tcp } = engineWithPaths();
    let slot = -1;
    e.addObserver({ onPacket: (_x, s) => (slot = s) });
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 50000, dport: 8888, pathId: tcp }));
    expect(e.snapshot().conversations[0]!.service).toBe('8888');
    e.setAppProto(slot, Proto.Http);
    expect(e.snapshot().conversations[0]!.service).toBe('http');
  });

  it('keeps hosts bounded and counts evictions', () => {
    const { e, p } = engineWithPaths({ maxHosts: 3 });
    for (let i = 1; i <= 5; i++) e.ingestDecoded(fill(p, { src: `10.0.0.${i}`, dst: '10.0.1.1', proto: 17, sport: 1, dport: 2, t: i }));
    e.fold(); // hosts are counted from flows once per second and before a snapshot
    expect(e.hosts.count).toBe(3);
    expect(e.hosts.evicted).toBe(3);
    // the destination host stayed (it is the most recently used each time)
    expect(e.snapshot().hosts.map((h) => h.addr)).toContain('10.0.1.1');
  });

  it('counts malformed packets per reason', () => {
    const { e, p } = engineWithPaths();
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', malformed: 11 }));
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', malformed: 11 }));
    expect(e.snapshot().malformedReasons).toEqual([{ reason: 'TCP header truncated', count: 2 }]);
  });

  it('ranks rows by 10 s rate, then by total bytes', () => {
    const { e, p } = engineWithPaths();
    // a big flow that went quiet long ago, a small active one, and an idle medium one
    e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.9', proto: 17, sport: 1, dport: 1, len: 1_000_000, t: 100 }));
    e.ingestDecoded(fill(p, { src: '10.0.0.2', dst: '10.0.0.9', proto: 17, sport: 1, dport: 1, len: 5000, t: 150 }));
    for (let s = 195; s < 200; s++) e.ingestDecoded(fill(p, { src: '10.0.0.3', dst: '10.0.0.9', proto: 17, sport: 1, dport: 1, len: 100, t: s }));
    e.advanceClock(200);
    const s = e.snapshot({ top: 3 });
    expect(s.conversations.map((c) => c.a)).toEqual(['10.0.0.3', '10.0.0.1', '10.0.0.2']);
    expect(e.snapshot({ top: 1 }).conversations.map((c) => c.a)).toEqual(['10.0.0.3']);
    expect(e.report({ top: 0 }).conversations.map((c) => c.a)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });
});
