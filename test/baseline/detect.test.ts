import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryAlertSink } from '../../src/baseline/alerts.js';
import { readBaseline, writeBaseline, type BaselineFileV1 } from '../../src/baseline/baseline-file.js';
import { BaselineMonitor } from '../../src/baseline/monitor.js';
import { createBaselineMonitor } from '../../src/baseline/setup.js';
import { DEFAULT_START, generateAnomalyFrames } from '../../src/fixtures-gen/anomalies/generate.js';
import { INJECTION_KINDS, INJECTION_SUBJECT, type InjectionKind } from '../../src/fixtures-gen/anomalies/injections.js';
import { feed } from './feed.js';

const BUILT_IN: readonly InjectionKind[] = ['port-scan', 'host-sweep', 'syn-flood', 'dns-tunnel'];
const INJECT_AT = 150;

let baseline: BaselineFileV1;

beforeAll(() => {
  const learn = new BaselineMonitor({ mode: 'learn' });
  feed(generateAnomalyFrames({ seed: 1, durationSec: 900 }), learn);
  baseline = learn.toBaseline('clean seed 1');
});

const cache = new Map<InjectionKind, ReturnType<typeof generateAnomalyFrames>>();

/** 450 s of background (seed 3) with one injection at 150 s; generated once per kind. */
function injected(kind: InjectionKind) {
  let f = cache.get(kind);
  if (!f) cache.set(kind, (f = generateAnomalyFrames({ seed: 3, durationSec: 450, injections: [{ kind, atSec: INJECT_AT }] })));
  return f;
}

describe('learning', () => {
  it('writes a version 1 baseline that reads back the same', () => {
    expect(baseline.version).toBe(1);
    expect(baseline.spanSeconds).toBeGreaterThan(890);
    expect(baseline.rates['bits/s']!.all.n).toBeGreaterThanOrEqual(80);
    expect(baseline.scan.ports!.peak).toBeLessThan(10);
    const path = join(mkdtempSync(join(tmpdir(), 'wiretop-baseline-')), 'b.json');
    writeBaseline(path, baseline);
    expect(readBaseline(path)).toEqual(baseline);
    expect(JSON.parse(readFileSync(path, 'utf8')).version).toBe(1);
  });

  it('raises nothing while learning, even on an attack', () => {
    const m = new BaselineMonitor({ mode: 'learn' });
    feed(injected('port-scan'), m);
    expect(m.alerts()).toEqual([]);
    expect(m.meters().every((r) => r.learning)).toBe(true);
  });
});

describe('with a learned baseline', () => {
  it.each(INJECTION_KINDS)('%s: alerts the right kind with the right subject, and nothing else', (kind) => {
    const sink = new MemoryAlertSink();
    const m = new BaselineMonitor({ baseline, sinks: [sink] });
    feed(injected(kind), m);
    const alerts = m.reportAlerts();
    expect(alerts.map((a) => `${a.kind} ${a.subject}`)).toEqual([`${kind} ${INJECTION_SUBJECT[kind]}`]);
    const a = alerts[0]!;
    expect(Date.parse(a.firstSeen) / 1000).toBeGreaterThanOrEqual(DEFAULT_START + INJECT_AT);
    expect(['high', 'critical']).toContain(a.severity);
    expect(a.observed).toBeGreaterThan(a.expected);
    expect(a.message.startsWith(INJECTION_SUBJECT[kind]) || a.message.includes(INJECTION_SUBJECT[kind])).toBe(true);
    expect(sink.lines).toHaveLength(1);
  });

  it('says what normal is, in plain words', () => {
    const m = new BaselineMonitor({ baseline });
    feed(injected('port-scan'), m);
    expect(m.alerts()[0]!.message).toMatch(/^10\.1\.0\.66 tried (about )?[\d,]+ distinct ports on 10\.1\.0\.20 in \d+ s; normal for this network is under \d+$/);
  });

  it('raises no alert in an hour of clean capture with another seed and more hosts', () => {
    const m = new BaselineMonitor({ baseline });
    feed(generateAnomalyFrames({ seed: 2, durationSec: 3600, hosts: 40 }), m);
    expect(m.reportAlerts()).toEqual([]);
    expect(m.meters().filter((r) => r.level === 'high' || r.level === 'critical')).toEqual([]);
  });

  it('shows the scan on the meters, most severe first, with the scanner as the driver', () => {
    const m = new BaselineMonitor({ baseline });
    feed(generateAnomalyFrames({ seed: 3, durationSec: 400, injections: [{ kind: 'port-scan', atSec: 100 }] }), m);
    const rows = m.meters();
    expect(rows[0]).toMatchObject({ name: 'distinct ports per source', level: 'critical', learning: false });
    expect(rows[0]!.current).toBeGreaterThan(rows[0]!.high);
    for (const r of rows) for (const k of ['current', 'low', 'high', 'deviation'] as const) expect(Number.isFinite(r[k]), `${r.name} ${k}`).toBe(true);
    expect(m.drivers('distinct ports per source')[0]!.label).toBe('10.1.0.66');
    expect(m.drivers('port-scan')[0]!.label).toBe('10.1.0.66');
    expect(m.drivers('bits/s').length).toBeGreaterThan(0);
    expect(m.drivers('no such metric')).toEqual([]);
  });
});

describe('without a baseline', () => {
  it.each(BUILT_IN)('%s: built-in limits catch it from the first minute', (kind) => {
    const m = new BaselineMonitor({});
    feed(injected(kind), m);
    const a = m.alerts().find((x) => x.kind === kind);
    expect(a?.subject).toBe(INJECTION_SUBJECT[kind]);
    expect(a!.message).toMatch(/the built-in limit is [\d,]+$/);
  });

  it.each(['exfil', 'beacon', 'volume-spike'] as const)('%s waits for learning and says so', (kind) => {
    const m = new BaselineMonitor({});
    feed(injected(kind), m);
    expect(m.alerts()).toEqual([]);
    const st = m.status();
    expect(st.learned).toBe(false);
    expect(st.note).toMatch(/start after learning/);
    expect(m.meters().find((r) => r.name === 'outbound bytes per host and destination')!.learning).toBe(true);
  });

  it('--learn DURATION learns online, then alerts', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wiretop-alerts-')), 'alerts.ndjson');
    const m = createBaselineMonitor({ learn: '10m', alerts: path });
    expect(m.status().learning).toBe(true);
    feed(generateAnomalyFrames({ seed: 4, durationSec: 1000, injections: [{ kind: 'exfil', atSec: 800 }] }), m);
    expect(m.status()).toMatchObject({ learning: false, learned: true, learnedFrom: 'online' });
    expect(m.reportAlerts().map((a) => `${a.kind} ${a.subject}`)).toEqual(['exfil 10.1.0.50']);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'exfil', subject: '10.1.0.50', count: 1 });
  });
});
