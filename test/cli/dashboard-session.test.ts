import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { openDefaultSession } from '../../src/cli/dashboard-session.js';
import type { StreamViewSource } from '../../src/ui/stream/stream-data.js';
import { filterToolsFrom, loadFilterTools } from '../../src/ui/filter-tools.js';

const tools = await loadFilterTools(() => import('../../src/filter/index.js') as unknown as Promise<Record<string, unknown>>);

/** The dashboard's session over a file at full speed, to its end; the stream of its largest TCP conversation. */
async function largestStream(extra: { streamBytes?: string; ringMb?: number }): Promise<StreamViewSource> {
  const s = await openDefaultSession({ read: 'fixtures/demo.pcap', speed: 'max', ...extra }, tools);
  try {
    await s.start();
    const snap = s.store.getSnapshot();
    const tcp = snap.conversations.filter((c) => c.proto.toLowerCase() === 'tcp').sort((a, b) => b.bytes - a.bytes)[0]!;
    return s.store.getStream!(tcp.id)!;
  } finally {
    s.stop();
  }
}

const held = (v: StreamViewSource, dir: 0 | 1): number => v.chunks.filter((c) => c.dir === dir).reduce((n, c) => n + c.data.length, 0);

describe('dashboard session: --stream-bytes', () => {
  it('caps what a viewed stream keeps per direction, and says why bytes are missing (from the ring and without one)', async () => {
    const whole = await largestStream({});
    expect(whole.dropped).toEqual([0, 0]);
    const big = held(whole, 0) >= held(whole, 1) ? 0 : 1;
    expect(held(whole, big)).toBeGreaterThan(4096);
    for (const ringMb of [64, 0]) {
      const capped = await largestStream({ streamBytes: '1K', ringMb });
      expect(held(capped, big)).toBeLessThanOrEqual(1024);
      expect(capped.dropped[big]).toBe(held(whole, big) - held(capped, big));
      // Without a ring every stream is kept as it arrives, and the view says the same by default (stream-data.ts).
      expect(capped.droppedWhy).toBe(ringMb > 0 ? 'over the stream byte limit (--stream-bytes)' : undefined);
    }
  });

  it('a size that is not one: one line, exit 2', async () => {
    const err = await openDefaultSession({ read: 'fixtures/http.pcap', streamBytes: 'lots' }, tools).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect([(err as CaptureError).exitCode, (err as Error).message]).toEqual([2, '--stream-bytes: not a byte size: lots']);
  });
});

describe('dashboard session: --max-flows', () => {
  it('bounds the flow table and counts what it evicted', async () => {
    const s = await openDefaultSession({ read: 'fixtures/demo.pcap', speed: 'max', maxFlows: 10 }, tools);
    try {
      await s.start();
      const t = s.store.getSnapshot().totals;
      expect(t.flowsTracked).toBeLessThanOrEqual(10);
      expect(t.flowsEvicted).toBeGreaterThan(100);
    } finally {
      s.stop();
    }
  });
});

describe('dashboard session: display filters typed after the start', () => {
  it('frame.time_relative counts from the first packet of the capture, also once the ring has dropped it', async () => {
    // demo.pcap spans 209 s; a 1 MiB ring keeps only its last ~50 s.
    const s = await openDefaultSession({ read: 'fixtures/demo.pcap', speed: 'max', ringMb: 1 }, filterToolsFrom(null));
    try {
      await s.start();
      s.store.setDisplayFilter('frame.time_relative < 10');
      expect(s.store.getSnapshot().totals.packets).toBe(0);
      s.store.setDisplayFilter('frame.time_relative >= 10');
      const all = s.store.getSnapshot().totals.packets;
      expect(all).toBeGreaterThan(1000);
      s.store.setDisplayFilter(null);
      expect(s.store.getSnapshot().totals.packets).toBe(all);
    } finally {
      s.stop();
    }
  });
});
