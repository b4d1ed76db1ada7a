/**
 * The protocol chart on a real engine's snapshot: `p` and Enter in the protocols panel chart a
 * protocol row's path (`eth:ipv4:tcp`), so the snapshot must carry a series under that name.
 */
import { describe, expect, test } from 'vitest';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { Engine } from '../../src/engine/engine.js';
import { rateChartLines } from '../../src/ui/panels/rate-chart.js';
import { fill } from '../flows/make-packet.js';

function chartText(e: Engine, chartPath: string): string {
  const lines = rateChartLines({ snapshot: e.snapshot(), chartPath, unit: 'bits', width: 60, height: 8 });
  return lines.map((l) => l.map((s) => s.text).join('')).join('\n');
}

describe('protocol chart from the engine', () => {
  test('a charted protocol path plots its own rate, added up the hierarchy', () => {
    const e = new Engine({});
    const eth = e.paths.child(0, Proto.Eth);
    const ip = e.paths.child(eth, Proto.IPv4);
    const tcp = e.paths.child(ip, Proto.Tcp);
    const http = e.paths.child(tcp, Proto.Http);
    const udp = e.paths.child(ip, Proto.Udp);
    const p = new DecodedPacket();
    for (let sec = 0; sec < 10; sec++) {
      // 1000 B/s of HTTP, 1000 B/s of other TCP, 500 B/s of UDP
      e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, len: 1000, t: 1000 + sec, pathId: http }));
      e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, len: 1000, t: 1000 + sec + 0.5, pathId: tcp }));
      e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.3', proto: 17, sport: 5000, dport: 53, len: 500, t: 1000 + sec, pathId: udp }));
    }
    e.advanceClock(1010);
    const s = e.snapshot();
    expect(s.history.get('eth:ipv4:tcp:http')!.slice(-2)).toEqual([8000, 8000]);
    expect(s.history.get('eth:ipv4:tcp')!.slice(-2)).toEqual([16000, 16000]);
    expect(s.history.get('eth:ipv4:udp')!.slice(-2)).toEqual([4000, 4000]);
    expect(s.history.get('eth')!.slice(-2)).toEqual([20000, 20000]);
    expect(s.history.get('')!.slice(-2)).toEqual([20000, 20000]);
    // The chart's top label is the series' peak, not the empty-series floor.
    expect(chartText(e, 'eth:ipv4:tcp')).toContain('16.0kb ┼');
    expect(chartText(e, 'eth:ipv4:tcp:http')).toContain('8.00kb ┼');
    expect(chartText(e, 'eth')).toContain('20.0kb ┼');
  });
});
