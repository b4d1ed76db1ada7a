import { describe, expect, it } from 'vitest';
import { openDefaultSession } from '../../src/cli/dashboard-session.js';
import { filterToolsFrom } from '../../src/ui/filter-tools.js';

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
