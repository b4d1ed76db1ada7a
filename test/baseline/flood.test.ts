import { describe, expect, it } from 'vitest';
import { BaselineMonitor } from '../../src/baseline/monitor.js';
import { DecodedPacket, L3 } from '../../src/decode/packet.js';

const T0 = 1_700_000_000;
const TARGET = 0x0a010015; // 10.1.0.21

/** A SYN from a new spoofed source every packet, 100,000 per second of capture time. */
function synFlood(m: BaselineMonitor, n: number, v6: boolean, repeat = 1): void {
  const p = new DecodedPacket();
  p.origLen = 60;
  p.ipProto = 6;
  p.tcpFlags = 0x02;
  p.dstPort = 80;
  for (let k = 0; k < n; k++) {
    const i = Math.floor(k / repeat);
    p.tsSec = T0 + Math.floor(k / 100_000);
    p.tsNsec = (k % 100_000) * 10_000;
    if (v6) {
      p.l3 = L3.IPv6;
      p.ip6Src[0] = 0x20010db8;
      p.ip6Src[3] = i + 1;
      p.ip6Dst[0] = 0xfd000000;
      p.ip6Dst[3] = 0x15;
    } else {
      p.l3 = L3.IPv4;
      p.ip4Src = (0x50000000 + i * 7) >>> 0;
      p.ip4Dst = TARGET;
    }
    p.srcPort = 1024 + (i % 60000);
    m.onPacket(p, -1);
  }
  m.finish();
}

describe('bounded memory under a flood of new sources', () => {
  it('a million spoofed IPv4 sources keep every table at its cap, and the flood is still seen', () => {
    const m = new BaselineMonitor({});
    synFlood(m, 1_000_000, false);
    const stats = m.stats();
    for (const [name, s] of Object.entries(stats)) expect(s.size, name).toBeLessThanOrEqual(s.capacity);
    // One SYN per source: the scan doorkeeper absorbs them without creating entries.
    expect(m.scan.doorRejected).toBeGreaterThan(990_000);
    expect(stats.scanSources!.size).toBeLessThan(1000);
    expect(stats.synTargets!.size).toBe(1);
    const flood = m.alerts().find((a) => a.kind === 'syn-flood');
    expect(flood?.subject).toBe('10.1.0.21');
    expect(flood!.observed).toBeGreaterThan(100_000);
    expect(flood!.message).toMatch(/^10\.1\.0\.21 received [\d,]+ SYNs in 10 s from about [\d,]+ sources; 0% completed a handshake/);
    expect(m.drivers('SYNs per target')[0]!.label).toBe('10.1.0.21');
  });

  it('sources that send twice churn the per-source table at its cap and count what was dropped', () => {
    const m = new BaselineMonitor({});
    synFlood(m, 600_000, false, 2);
    const stats = m.stats();
    for (const [name, s] of Object.entries(stats)) expect(s.size, name).toBeLessThanOrEqual(s.capacity);
    expect(stats.scanSources!.size).toBe(stats.scanSources!.capacity);
    expect(stats.scanSources!.evicted).toBeGreaterThanOrEqual(300_000 - stats.scanSources!.capacity - 1000);
    expect(m.alerts().find((a) => a.kind === 'syn-flood')?.subject).toBe('10.1.0.21');
  });

  it('half a million IPv6 sources do not grow the address book past its ring', () => {
    const m = new BaselineMonitor({});
    synFlood(m, 500_000, true);
    const stats = m.stats();
    for (const [name, s] of Object.entries(stats)) expect(s.size, name).toBeLessThanOrEqual(s.capacity);
    expect(stats.ipv6Names!.size).toBe(16384);
    expect(m.alerts().find((a) => a.kind === 'syn-flood')?.subject).toBe('fd00::15');
  });
});
