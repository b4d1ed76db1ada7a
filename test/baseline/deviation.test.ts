import { describe, expect, it } from 'vitest';
import { BaselineMonitor } from '../../src/baseline/monitor.js';
import { FrameList } from '../../src/fixtures-gen/anomalies/frames.js';
import { background } from '../../src/fixtures-gen/anomalies/background.js';
import { DEFAULT_START } from '../../src/fixtures-gen/anomalies/generate.js';
import { feed } from './feed.js';

function capture(seed: number, durationSec: number, pingFlood: boolean) {
  const out = new FrameList();
  background({ seed, startSec: DEFAULT_START, durationSec, hosts: 20 }, out);
  if (pingFlood) {
    // One host pings one outside address 100 times a second for 90 s: not a sweep, just a rate far above normal.
    for (let i = 0; i < 9000; i++) out.icmpEcho(DEFAULT_START + 300 + i / 100, '10.1.0.105', '9.9.9.9', 7, i & 0xffff, true);
  }
  return out.sorted();
}

describe('deviation meters', () => {
  it('a rate far above its learned band for long enough raises a deviation alert', () => {
    const learn = new BaselineMonitor({ mode: 'learn' });
    feed(capture(21, 900, false), learn);
    const m = new BaselineMonitor({ baseline: learn.toBaseline('t') });
    feed(capture(22, 500, true), m);
    const alerts = m.reportAlerts();
    expect(alerts.map((a) => `${a.kind} ${a.subject}`)).toEqual(['deviation ICMP packets/s']);
    expect(alerts[0]!.message).toMatch(/^ICMP packets\/s is 100 pkt\/s over the last 10 s; normal for this network is 0 to \d+ \(at most \d+ while learning\)$/);
    // firstSeen is when the deviation began; it was raised only after holding for 30 s.
    const first = Date.parse(alerts[0]!.firstSeen) / 1000;
    expect(first).toBeGreaterThanOrEqual(DEFAULT_START + 300);
    expect(Date.parse(alerts[0]!.lastSeen) / 1000 - first).toBeGreaterThanOrEqual(30);
  });

  it('counts a long-lived UDP flow as new once, whichever its hash', () => {
    // 64 steady UDP flows (enough that about half have a hash with the high bit set), 5 packets a
    // second each way for 60 s: after the first seconds the new-flow rate is 0.
    const out = new FrameList();
    for (let f = 0; f < 64; f++) {
      const client = `10.1.${f >> 4}.${(f & 15) + 10}`;
      for (let i = 0; i < 300; i++) {
        const t = DEFAULT_START + i / 5 + f / 1000;
        out.udp(t, client, '10.9.0.1', 40000 + f, 5000, new Uint8Array(20));
        out.udp(t + 0.0005, '10.9.0.1', client, 5000, 40000 + f, new Uint8Array(20));
      }
    }
    const m = new BaselineMonitor({ warmupSec: 600 });
    feed(out.sorted(), m);
    expect(m.meters().find((r) => r.name === 'new flows/s')!.current).toBe(0);
  });

  it('meters wait for learning without a baseline', () => {
    const m = new BaselineMonitor({ warmupSec: 600 });
    feed(capture(23, 300, false), m);
    const bits = m.meters().find((r) => r.name === 'bits/s')!;
    expect(bits.learning).toBe(true);
    expect(bits.level).toBe('normal');
    expect(bits.current).toBeGreaterThan(0);
    expect(m.status().learningLeftSec).toBeGreaterThan(290);
  });

  it('keeps per-hour-of-day profiles when learning spans hours', () => {
    const learn = new BaselineMonitor({ mode: 'learn' });
    const out = new FrameList();
    for (let t = 0; t < 4 * 3600; t += 2) out.icmpEcho(DEFAULT_START + t, '10.1.0.5', '10.1.0.6', 1, t & 0xffff, true);
    feed(out.sorted(), learn);
    const b = learn.toBaseline('t');
    expect(b.hourly).toBe(true);
    const hours = b.rates['packets/s']!.hours!;
    expect(hours.filter((h) => h.n > 0)).toHaveLength(5);
  });
});
