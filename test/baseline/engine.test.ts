import { describe, expect, it } from 'vitest';
import { PacketRecord } from '../../src/capture/record.js';
import { Engine } from '../../src/engine/engine.js';
import { BaselineMonitor } from '../../src/baseline/monitor.js';
import { generateAnomalyFrames } from '../../src/fixtures-gen/anomalies/generate.js';

describe('as an engine observer', () => {
  it('sees packets through Engine.ingest and alerts on a host sweep', () => {
    const engine = new Engine({ rates: false, idleTimeoutSec: 0 });
    const m = new BaselineMonitor({});
    engine.addObserver(m);
    const rec = new PacketRecord();
    for (const f of generateAnomalyFrames({ seed: 8, durationSec: 300, hosts: 10, injections: [{ kind: 'host-sweep', atSec: 60 }] })) {
      rec.buf = f.data;
      rec.off = 0;
      rec.capLen = f.data.length;
      rec.origLen = f.origLen;
      rec.linkType = 1;
      rec.tsSec = Math.floor(f.t);
      rec.tsNsec = Math.min(999_999_999, Math.round((f.t - rec.tsSec) * 1e9));
      engine.ingest(rec);
    }
    m.finish();
    expect(m.packets).toBe(engine.packets);
    expect(m.reportAlerts().map((a) => `${a.kind} ${a.subject}`)).toEqual(['host-sweep 10.1.0.67']);
  });
});
