import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_START, generateAnomalyFrames, writeAnomalyPcap } from '../../src/fixtures-gen/anomalies/generate.js';
import { INJECTION_KINDS } from '../../src/fixtures-gen/anomalies/injections.js';

const digest = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('anomaly capture generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wiretop-anom-'));
    const s = { seed: 7, durationSec: 120, hosts: 5, injections: INJECTION_KINDS.map((kind) => ({ kind, atSec: 30 })) };
    writeAnomalyPcap(join(dir, 'a.pcap'), s);
    writeAnomalyPcap(join(dir, 'b.pcap'), s);
    writeAnomalyPcap(join(dir, 'c.pcap'), { ...s, seed: 8 });
    const a = readFileSync(join(dir, 'a.pcap'));
    expect(digest(a)).toBe(digest(readFileSync(join(dir, 'b.pcap'))));
    expect(digest(a)).not.toBe(digest(readFileSync(join(dir, 'c.pcap'))));
  });

  it('yields frames in time order inside the capture window', () => {
    const f = generateAnomalyFrames({ seed: 1, durationSec: 60, hosts: 8, injections: [{ kind: 'syn-flood', atSec: 10 }] });
    expect(f.length).toBeGreaterThan(8000);
    for (let i = 1; i < f.length; i++) expect(f[i]!.t).toBeGreaterThanOrEqual(f[i - 1]!.t);
    expect(f[0]!.t).toBeGreaterThanOrEqual(DEFAULT_START);
    expect(f[f.length - 1]!.t).toBeLessThan(DEFAULT_START + 60);
    for (const x of f) expect(x.origLen).toBeGreaterThanOrEqual(x.data.length);
  });
});
