/**
 * The packet list's Time column is tshark's frame.time_relative: seconds since the capture's first
 * packet, whatever the display filter shows (tshark -Y keeps the capture's origin).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { PacketRing } from '../../src/capture/packet-ring.js';
import { Engine, type PacketPredicate } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';
import { PacketStore } from '../../src/ui/store/packet-store.js';
import { haveTool } from '../filter/oracle.js';

const clock: RuntimeClock = { now: () => 0, setInterval: () => 0, clearInterval: () => {} };
const mdnsPort: PacketPredicate = (p) => p.ipProto === 17 && (p.srcPort === 5353 || p.dstPort === 5353);
const FILE = 'fixtures/demo.pcap';

async function filteredTimes(): Promise<number[]> {
  const engine = new Engine();
  const ring = new PacketRing({ bytes: 64 << 20 });
  const runtime = new Runtime({ engine, source: openFileSource({ path: FILE }), clock, compileDisplayFilter: () => mdnsPort, ring });
  const store = new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame, () => engine.firstRead);
  engine.addObserver(store);
  // As -Y on the command line: the first packet counted is not the capture's first.
  runtime.setDisplayFilter('udp.port == 5353');
  await runtime.start();
  runtime.stop();
  return store.view(null)!.summaries.slice(0, 5).map((s) => Number(s.time.toFixed(6)));
}

describe('packet list Time column', () => {
  it('counts from the capture\'s first packet under a display filter set from the start (-Y)', async () => {
    const got = await filteredTimes();
    expect(got[0]).toBeGreaterThan(0);
    if (haveTool('tshark')) {
      const want = execFileSync('tshark', ['-r', FILE, '-Y', 'udp.port == 5353', '-T', 'fields', '-e', 'frame.time_relative', '-c', '100000'], { encoding: 'utf8' })
        .trim().split('\n').slice(0, 5).map((l) => Number(Number(l).toFixed(6)));
      expect(got).toEqual(want);
    }
  });
});
