import { describe, expect, it } from 'vitest';
import { benchFilter, HEADER_FILTER_3 } from '../../src/bench/filter-bench.js';
import { ipPacket } from './packets.js';

describe('benchFilter', () => {
  it('measures the 3-clause header filter over decoded packets', () => {
    const packets = [
      ipPacket({ src: '10.1.1.1', dport: 443, len: 200 }),
      ipPacket({ src: '10.1.1.1', dport: 22, len: 200 }),
      ipPacket({ src: '192.168.0.1', dport: 80, len: 200 }),
      ipPacket({ src: '10.2.2.2', sport: 80, len: 90 }),
      ipPacket({ proto: 'udp', src: '10.0.0.1', dport: 53 }),
    ];
    const r = benchFilter(packets, { iterations: 2000 });
    expect(r.text).toBe(HEADER_FILTER_3);
    expect(r.packets).toBe(10_000);
    expect(r.matched).toBe(2000);
    expect(r.nsPerPacket).toBeGreaterThanOrEqual(0);
    expect(r.nsPerPacket).toBeLessThan(100_000);
  });
});
