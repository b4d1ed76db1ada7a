import { describe, expect, it } from 'vitest';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { addrText } from '../../src/engine/addr-text.js';
import { Engine } from '../../src/engine/engine.js';
import { ipProtoName } from '../../src/decode/protocols.js';
import { PORT_KEYS, portKeyPort, portKeyProto } from '../../src/flows/port-table.js';
import { TopK } from '../../src/engine/top-k.js';
import { fill } from '../flows/make-packet.js';

/** Deterministic pseudo-random numbers (LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

/** Sort every (id, primary, secondary) and keep the best k: what TopK must equal. */
function bruteTop(rows: readonly (readonly [number, number, number])[], k: number): number[] {
  return [...rows].sort((a, b) => b[1] - a[1] || b[2] - a[2] || a[0] - b[0]).slice(0, k).map((r) => r[0]);
}

describe('TopK', () => {
  it('keeps the best k by primary, secondary, then smaller id, best first', () => {
    const rnd = lcg(7);
    for (const k of [1, 3, 50, 500]) {
      const rows: [number, number, number][] = [];
      // few distinct values, so ties on both keys are common
      for (let id = 0; id < 2000; id++) rows.push([id, Math.floor(rnd() * 20), Math.floor(rnd() * 5)]);
      const h = new TopK(k);
      for (const [id, p, s] of rows) h.push(id, p, s);
      expect(h.result()).toEqual(bruteTop(rows, k));
    }
  });

  it('stays a valid heap after result() and after reset()', () => {
    const h = new TopK(4);
    for (const [id, p] of [[1, 5], [2, 1], [3, 9], [4, 7]] as const) h.push(id, p, 0);
    expect(h.result()).toEqual([3, 4, 1, 2]);
    expect(h.floor).toBe(1);
    h.push(5, 8, 0);
    expect(h.result()).toEqual([3, 5, 4, 1]);
    h.reset(6);
    expect([h.size, h.isFull, h.floor]).toEqual([0, false, -Infinity]);
    for (let id = 0; id < 10; id++) h.push(id, id % 4, id);
    expect(h.result()).toEqual([7, 3, 6, 2, 9, 5]);
  });
});

describe('snapshot ranking', () => {
  /**
   * Traffic over many flows with skewed sizes and times, snapshots taken as it
   * goes (the ranking is seeded from the previous snapshot, so the order of
   * snapshots matters): every snapshot must equal a full sort of all live flows.
   */
  it('matches a full sort of every flow and host, snapshot after snapshot', () => {
    const e = new Engine({ maxFlows: 3000, maxHosts: 3000 });
    const eth = e.paths.child(0, Proto.Eth);
    const udp = e.paths.child(e.paths.child(eth, Proto.IPv4), Proto.Udp);
    const p = new DecodedPacket();
    const rnd = lcg(42);
    let t = 1000;
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 2500; i++) {
        t += rnd() * 0.01;
        // a few heavy flows, a long tail, and now and then a flow that goes quiet
        const f = rnd() < 0.3 ? Math.floor(rnd() * 20) : Math.floor(rnd() * (round < 6 ? 5000 : 2000));
        const len = rnd() < 0.05 ? 9000 : 60 + Math.floor(rnd() * 1400);
        e.ingestDecoded(fill(p, { src: `10.${(f >> 8) & 255}.${f & 255}.1`, dst: '10.255.0.1', proto: 17, sport: 1000 + (f % 50), dport: 53, len, t, pathId: udp }));
      }
      if (round === 8) t += 7; // a quiet gap: most rates drop to zero within the 10 s window
      e.advanceClock(t);
      for (const top of [500, 40, 1]) {
        const s = e.snapshot({ top });
        const nowSec = Math.floor(e.clock);
        const flows: [number, number, number][] = [];
        for (let slot = 0; slot < e.flows.slotLimit; slot++) {
          if (!e.flows.isLive(slot)) continue;
          const r = e.flows.ring(slot);
          flows.push([slot, e.flows.rates!.sumAll(r, nowSec, 10), e.flows.totalBytes(slot)]);
        }
        expect(s.conversations.map((c) => Number(c.id.split(':')[0]))).toEqual(bruteTop(flows, top));
        const hosts: [number, number, number][] = [];
        for (let slot = 0; slot < e.hosts.slotLimit; slot++) {
          if (!e.hosts.isLive(slot)) continue;
          hosts.push([slot, e.hosts.rates!.sumAll(e.hosts.ring(slot), nowSec, 10), e.hosts.totalBytes(slot)]);
        }
        const words = new Uint32Array(4);
        const want = bruteTop(hosts, top).map((slot) => addrText(e.hosts.fam(slot), e.hosts.addr(slot, words), 0));
        expect(s.hosts.map((h) => h.addr)).toEqual(want);
      }
    }
    expect(e.flows.evicted).toBeGreaterThan(0);
  });

  it('ranks ports as a full sort of every key with packets, and forgets them when the filtered tables reset', () => {
    const e = new Engine({});
    const eth = e.paths.child(0, Proto.Eth);
    const udp = e.paths.child(e.paths.child(eth, Proto.IPv4), Proto.Udp);
    const p = new DecodedPacket();
    const rnd = lcg(9);
    let t = 2000;
    const send = (n: number, ports: number): void => {
      for (let i = 0; i < n; i++) {
        t += rnd() * 0.01;
        const port = 1 + Math.floor(rnd() * ports);
        e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 40000 + (i % 7), dport: port, len: 60 + Math.floor(rnd() * 1400), t, pathId: udp }));
      }
      e.advanceClock(t);
    };
    const brute = (top: number): (string | number | null)[][] => {
      const nowSec = Math.floor(e.clock);
      const rows: [number, number, number][] = [];
      for (let k = 0; k < PORT_KEYS; k++) {
        if (e.ports.packets[k] === 0) continue;
        const r = e.ports.ring[k]!;
        rows.push([k, r >= 0 ? e.ports.rates!.sum(r, 0, nowSec, 10) : 0, e.ports.bytes[k]!]);
      }
      return bruteTop(rows, top).map((k) => [ipProtoName(portKeyProto(k)), portKeyPort(k) < 0 ? null : portKeyPort(k)]);
    };
    send(4000, 900);
    for (const top of [500, 40]) expect(e.snapshot({ top }).ports.map((r) => [r.proto, r.port])).toEqual(brute(top));
    e.setDisplayFilter(() => true, 'udp');
    expect(e.snapshot({}).ports).toEqual([]);
    send(300, 20);
    const after = e.snapshot({}).ports;
    expect(after.map((r) => [r.proto, r.port])).toEqual(brute(500));
    expect(after.every((r) => r.port !== null && r.port <= 20)).toBe(true);
  });
});

