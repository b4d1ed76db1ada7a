import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertManager, DEFAULT_TIMING, MemoryAlertSink, NdjsonAlertSink } from '../../src/baseline/alerts.js';

const timing = { ...DEFAULT_TIMING, clearSec: 10, holdSec: { ...DEFAULT_TIMING.holdSec, deviation: 3 } };

describe('AlertManager', () => {
  it('raises once per kind and subject until it clears, then counts a recurrence', () => {
    const sink = new MemoryAlertSink();
    const m = new AlertManager(timing, [sink]);
    for (let t = 100; t < 110; t++) {
      m.report('port-scan', '10.0.0.9', t, 50 + t, 10, 'high', `scan ${t}`);
      m.endTick(t);
    }
    expect(sink.lines).toHaveLength(1);
    const a = m.list()[0]!;
    expect(a).toMatchObject({ kind: 'port-scan', subject: '10.0.0.9', firstSeen: 100, lastSeen: 109, observed: 159, count: 1, active: true });
    expect(a.message).toBe('scan 109');
    for (let t = 110; t < 125; t++) m.endTick(t);
    expect(m.list()[0]!.active).toBe(false);
    m.report('port-scan', '10.0.0.9', 200, 5, 10, 'critical', 'again');
    expect(sink.lines).toHaveLength(2);
    expect(m.list()).toHaveLength(1);
    expect(m.list()[0]).toMatchObject({ count: 2, severity: 'critical', active: true });
    expect(sink.lines[1]).toEqual({
      kind: 'port-scan',
      subject: '10.0.0.9',
      severity: 'critical',
      firstSeen: new Date(100_000).toISOString(),
      lastSeen: new Date(200_000).toISOString(),
      observed: 5,
      expected: 10,
      message: 'again',
    });
  });

  it('waits for a condition to hold before raising', () => {
    const m = new AlertManager(timing);
    m.report('deviation', 'bits/s', 10, 1, 1, 'high', 'x');
    m.endTick(10);
    m.report('deviation', 'bits/s', 11, 1, 1, 'high', 'x');
    m.endTick(11);
    m.endTick(12); // the condition broke: the hold starts again
    for (let t = 13; t <= 15; t++) {
      m.report('deviation', 'bits/s', t, 1, 1, 'high', 'x');
      m.endTick(t);
    }
    expect(m.list()).toHaveLength(0);
    m.report('deviation', 'bits/s', 16, 1, 1, 'high', 'x');
    expect(m.list()).toHaveLength(1);
    expect(m.list()[0]!.firstSeen).toBe(13);
  });

  it('appends NDJSON lines as alerts are raised', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wiretop-alerts-')), 'alerts.ndjson');
    const m = new AlertManager(timing, [new NdjsonAlertSink(path)]);
    m.report('exfil', '10.0.0.1', 1, 5000, 100, 'critical', 'flood');
    m.report('beacon', '10.0.0.2', 2, 20, 0, 'high', 'beacon');
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(['exfil', 'beacon']);
    expect(lines[0]).toMatchObject({ subject: '10.0.0.1', severity: 'critical', observed: 5000, expected: 100, count: 1 });
  });
});
