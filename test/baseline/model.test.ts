import { describe, expect, it } from 'vitest';
import { BoundedTable } from '../../src/baseline/model/bounded-table.js';
import { WindowedDistinctRows, hash32 } from '../../src/baseline/model/distinct.js';
import { WindowedSumRows } from '../../src/baseline/model/window-sum.js';
import { Ewma } from '../../src/baseline/model/ewma.js';
import { levelOf, ratioDeviation } from '../../src/baseline/model/levels.js';
import { RateModel } from '../../src/baseline/model/rate-model.js';

describe('Ewma', () => {
  it('is a plain mean and variance for the first 1/alpha samples', () => {
    const e = new Ewma(0.01);
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) e.add(x);
    expect(e.mean).toBeCloseTo(5, 10);
    expect(e.var).toBeCloseTo(4, 10);
    expect(e.peak).toBe(9);
  });

  it('forgets old samples afterwards', () => {
    const e = new Ewma(0.1);
    for (let i = 0; i < 200; i++) e.add(10);
    for (let i = 0; i < 200; i++) e.add(20);
    expect(e.mean).toBeCloseTo(20, 3);
  });

  it('round-trips through JSON', () => {
    const e = new Ewma();
    for (let i = 0; i < 10; i++) e.add(i);
    const f = new Ewma().load(JSON.parse(JSON.stringify(e)));
    expect(f.n).toBe(10);
    expect(f.mean).toBeCloseTo(e.mean, 3);
    expect(f.peak).toBe(9);
  });
});

describe('levels', () => {
  it.each([
    [0, 'normal'],
    [3, 'elevated'],
    [5, 'high'],
    [8, 'critical'],
  ])('z %d is %s', (z, level) => expect(levelOf(z)).toBe(level));

  it('maps a threshold ratio onto the same scale', () => {
    expect(levelOf(ratioDeviation(10, 100))).toBe('normal');
    expect(levelOf(ratioDeviation(60, 100))).toBe('elevated');
    expect(levelOf(ratioDeviation(100, 100))).toBe('high');
    expect(levelOf(ratioDeviation(250, 100))).toBe('critical');
  });
});

describe('RateModel', () => {
  it('floors the deviation so a flat metric does not explode', () => {
    const m = new RateModel(0.01, 0.5, 10);
    for (let i = 0; i < 100; i++) m.add(100, 0);
    expect(m.deviation(120, 0)).toBeLessThan(1);
    expect(m.deviation(500, 0)).toBeGreaterThan(5);
    expect(m.band(0).low).toBe(0);
  });

  it('uses the hour-of-day profile once it has samples and hourly mode is on', () => {
    const m = new RateModel(0.01, 0.1, 1);
    for (let i = 0; i < 100; i++) {
      m.add(10, 3);
      m.add(1000, 15);
    }
    m.useHours = true;
    expect(m.band(3).mean).toBeCloseTo(10);
    expect(m.band(15).mean).toBeCloseTo(1000);
    m.useHours = false;
    expect(m.band(3).mean).toBeCloseTo(505, -1);
  });
});

describe('WindowedDistinctRows', () => {
  it('counts small sets exactly and large ones within a few percent', () => {
    const d = new WindowedDistinctRows(3, 5, 60);
    d.advance(1, 0);
    for (let i = 0; i < 10; i++) d.addHash(1, hash32(i));
    expect(d.estimate(1)).toBe(10);
    for (let i = 0; i < 1000; i++) d.addHash(1, hash32(i));
    expect(Math.abs(d.estimate(1) - 1000)).toBeLessThan(80);
    expect(d.estimate(0)).toBe(0);
    expect(d.estimate(2)).toBe(0);
  });

  it('forgets buckets that leave the window', () => {
    const d = new WindowedDistinctRows(1, 5, 10);
    d.advance(0, 0);
    for (let i = 0; i < 20; i++) d.addHash(0, hash32(i));
    d.advance(0, 45);
    expect(d.estimate(0)).toBe(20);
    d.advance(0, 50);
    expect(d.estimate(0)).toBe(0);
  });

  it('a cleared row counts from zero again, and a moved row keeps its count', () => {
    const d = new WindowedDistinctRows(2, 5, 10);
    d.advance(0, 0);
    for (let i = 0; i < 20; i++) d.addHash(0, hash32(i));
    d.move(0, 1);
    expect(d.estimate(1)).toBe(20);
    d.clear(0);
    expect(d.estimate(0)).toBe(0);
    d.advance(0, 5);
    d.addHash(0, hash32(1));
    expect(d.estimate(0)).toBe(1);
  });
});

describe('WindowedSumRows', () => {
  it('sums the last buckets', () => {
    const s = new WindowedSumRows(2, 3, 1);
    for (let t = 0; t < 10; t++) {
      s.advanceRow(1, t);
      s.add(1, t);
    }
    expect(s.sum(1)).toBe(7 + 8 + 9);
    s.clear(1);
    expect(s.sum(1)).toBe(0);
    s.advanceRow(1, 20);
    s.add(1, 4);
    expect(s.sum(1)).toBe(4);
  });
});

describe('BoundedTable', () => {
  const make = (cap: number) => new BoundedTable<{ n: number }>(cap, () => ({ n: 0 }), (e) => (e.n = 0), 60);

  it('never grows past its capacity and counts what it dropped', () => {
    const t = make(100);
    for (let i = 0; i < 10_000; i++) t.meta[2 * t.upsert(i, 0)]!++;
    expect(t.size).toBe(100);
    expect(t.evicted).toBe(9_900);
    expect(t.inserted).toBe(10_000);
  });

  it('keeps heavy entries while light ones churn', () => {
    const t = make(64);
    const heavy = t.upsert(-5, 0);
    t.meta[2 * heavy] = 1_000_000;
    t.item(heavy).n = 42;
    for (let i = 0; i < 100_000; i++) t.meta[2 * t.upsert(i, 0)]!++;
    expect(t.find(-5)).toBe(heavy);
    expect(t.item(heavy).n).toBe(42);
  });

  it('prunes idle entries', () => {
    const t = make(10);
    t.upsert(1, 0);
    t.upsert(2, 100);
    t.prune(100, 50);
    expect(t.size).toBe(1);
    expect(t.keys[t.find(2)]).toBe(2);
    expect(t.find(1)).toBe(-1);
    expect(t.indexes()).toEqual([t.find(2)]);
  });

  it('finds every key it holds, large and negative ones too, through evictions and prunes', () => {
    const t = make(256);
    const keys = new Map<number, number>();
    let x = 7;
    let wrong = 0;
    for (let step = 0; step < 50_000; step++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const key = step % 3 === 0 ? x : step % 3 === 1 ? x * 65536 + 3 : -x;
      const i = t.upsert(key, step >> 8);
      if (t.keys[i] !== key) wrong++;
      if (step % 5000 === 4999) t.prune(step >> 8, 3);
    }
    expect(wrong).toBe(0);
    for (const i of t.indexes()) keys.set(t.keys[i]!, i);
    expect(keys.size).toBe(t.size);
    for (const [k, i] of keys) expect(t.find(k)).toBe(i);
    expect(t.find(0.5)).toBe(-1);
  });
});

describe('KeyIndex', () => {
  it('behaves like a Map<number, number> under inserts and deletes', async () => {
    const { KeyIndex } = await import('../../src/baseline/model/key-index.js');
    const ix = new KeyIndex(512);
    const ref = new Map<number, number>();
    let x = 1;
    let wrong = 0;
    for (let step = 0; step < 100_000; step++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      const key = (x % 700) * 4294967296 + (x % 3);
      if (ref.has(key) || ref.size >= 512 || (x & 3) === 0) {
        ix.delete(key);
        ref.delete(key);
      } else {
        ix.set(key, step);
        ref.set(key, step);
      }
      if (step % 997 === 0) for (const [k, v] of ref) if (ix.get(k) !== v) wrong++;
    }
    for (let k = 0; k < 700; k++) for (let j = 0; j < 3; j++) if (ix.get(k * 4294967296 + j) !== (ref.get(k * 4294967296 + j) ?? -1)) wrong++;
    expect(wrong).toBe(0);
  });
});

describe('fmtApprox', () => {
  it.each([
    [7, '7'],
    [99, '99'],
    [103, 'about 100'],
    [968, 'about 970'],
    [3549, 'about 3,500'],
  ])('%d -> %s', async (n, text) => {
    const { fmtApprox } = await import('../../src/baseline/context.js');
    expect(fmtApprox(n)).toBe(text);
  });
});

describe('scan counting', () => {
  it('counts every probe of a source, the first one included', async () => {
    const { BaselineMonitor } = await import('../../src/baseline/monitor.js');
    const { DecodedPacket, L3 } = await import('../../src/decode/packet.js');
    const m = new BaselineMonitor({});
    const p = new DecodedPacket();
    p.l3 = L3.IPv4;
    p.ipProto = 6;
    p.tcpFlags = 2;
    p.ip4Src = 0x0a000001;
    p.tsSec = 1000;
    for (let i = 0; i < 3; i++) {
      p.ip4Dst = 0x0a000100 + i;
      p.dstPort = 22 + i;
      m.onPacket(p, -1);
    }
    m.finish();
    expect(m.drivers('distinct ports per source')).toEqual([{ label: '10.0.0.1', value: 3 }]);
    expect(m.drivers('distinct internal hosts per source')).toEqual([{ label: '10.0.0.1', value: 3 }]);
  });
});
