/**
 * The dashboard at 80x24: the help overlay reads in full (wrapped, in pages), and the header keeps
 * its fields in every state (shorter forms, cut names, a wrapped row) while the panels still fit.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { COMMANDS, keyLabel } from '../../src/ui/commands.js';
import { Dashboard } from '../../src/ui/dashboard.js';
import { meterDriverLines } from '../../src/ui/panels/meter-drivers.js';
import { PACKET_COMMANDS } from '../../src/ui/packets/packet-commands.js';
import { STREAM_COMMANDS } from '../../src/ui/stream/stream-commands.js';
import type { UiSnapshot } from '../../src/ui/store/ui-snapshot.js';
import { alert, baselineView } from './helpers/baseline.js';
import { testEnv } from './helpers/env.js';
import { FakeStore } from './helpers/fake-store.js';
import { renderSized } from './helpers/render-sized.js';
import type { Rendered } from './helpers/render-sized.js';
import { busySnapshot, conversation } from './helpers/snapshots.js';

const DOWN = '\x1b[B';
const LONG_NAME = '/home/analyst/captures/2026-01-01-incident-4711-border-router-eth0.pcapng';
const LONG_FILTER = 'ip.addr == 192.168.1.22 && tcp.port == 443 && !(ip.addr == 10.0.0.1)';

let app: Rendered | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

function start(snapshot: UiSnapshot = busySnapshot()) {
  const store = new FakeStore(snapshot);
  app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 80, 24);
  return { app, store };
}

const lines = (frame: string): string[] => frame.split('\n');
const width = (l: string): number => [...l].length;

function expectFits(frame: string): void {
  expect(lines(frame).length).toBeLessThanOrEqual(23);
  for (const l of lines(frame)) expect(width(l)).toBeLessThanOrEqual(80);
}

describe('help at 80x24', () => {
  test('every entry of the command tables reads in full over the pages ↓ turns', async () => {
    const { app } = start();
    await app.waitFor((f) => f.includes('Top talkers'));
    let frame = await app.press('?');
    const count = Number(/page 1 of (\d+)/.exec(frame)?.[1]);
    expect(count).toBeGreaterThan(1);
    // Two columns of 39: read each column down, so that wrapped entries read as one line.
    const columns: string[] = [];
    for (let p = 1; p <= count; p++) {
      expect(frame).toContain(`page ${p} of ${count}`);
      expectFits(frame);
      expect(frame).not.toContain('…');
      const body = lines(frame).slice(1);
      columns.push(body.map((l) => l.slice(0, 39)).join(' '), body.map((l) => l.slice(39)).join(' '));
      if (p < count) frame = await app.press(DOWN);
    }
    const read = columns.join(' ').replace(/\s+/g, ' ');
    for (const c of [...COMMANDS, ...STREAM_COMMANDS, ...PACKET_COMMANDS].filter((x) => x.scope !== 'help')) {
      expect(read).toContain(`${c.keys.map(keyLabel).join(' ')} ${c.help}`);
    }
  });
});

describe('header at 80x24', () => {
  const base = busySnapshot();
  const states: { name: string; snapshot: UiSnapshot; keys?: string[]; expect: (RegExp | string)[] }[] = [
    { name: 'plain', snapshot: base, expect: ['wiretop', 'file fixtures/demo.pcap', 'filter: none', 'now 200 pkt/s', 'total 12.0k pkts', 'drops: n/a', 'malformed: 3 (h)', /flows:? 40.*2 evicted/, /hosts:? 30/] },
    { name: 'paused at the end of the capture', snapshot: { ...base, source: { ...base.source, ended: true } }, keys: [' '], expect: ['PAUSED', 'end of capture', 'filter: none', 'malformed: 3 (h)', /hosts:? 30/] },
    { name: 'a long file name', snapshot: { ...base, source: { ...base.source, name: LONG_NAME, ended: true } }, expect: ['/home/analyst', 'eth0.pcapng', 'end of capture', 'filter: none', /hosts:? 30/] },
    {
      name: 'a long display filter, PAUSED, a long file name',
      snapshot: { ...base, source: { ...base.source, name: LONG_NAME, displayFilter: LONG_FILTER, ended: true }, rawPps: 900, rawBps: 9e6, totals: { ...base.totals, packetsRead: 90_000, bytesRead: 80e6 } },
      keys: [' '],
      expect: ['PAUSED', 'end of capture', '/home/', 'pcapng', `filter: ${LONG_FILTER.slice(0, 20)}`, 'now 200 pkt/s', '(all', 'total', 'of 80.0MB', 'malformed: 3 (h)', /hosts:? 30/],
    },
    {
      name: 'flows evicted, malformed, warnings, new alerts, counts from the ring',
      snapshot: {
        ...base, displaySince: base.time - 30, baseline: baselineView({ raised: 12 }),
        source: { ...base.source, warnings: ['w1', 'w2'], dropped: 1234, dropNote: 'interface counters' },
        totals: { ...base.totals, malformed: 56_789, flowsTracked: 100_000, flowsEvicted: 2_345_678, flowsExpired: 99_999, hostsTracked: 54_321 },
      },
      expect: ['12 new alerts (a)', 'last 30s (ring)', 'dropped: 1.23k', 'malformed: 56.8k (h)', '2.35M evicted', /hosts:? 54.3k/, /warn(ings:)? 2/],
    },
  ];
  for (const s of states) {
    test(s.name, async () => {
      const { app } = start(s.snapshot);
      let frame = await app.waitFor((f) => f.includes('Top talkers'));
      for (const k of s.keys ?? []) frame = await app.press(k);
      expectFits(frame);
      const header = lines(frame).slice(0, lines(frame).findIndex((l) => l.includes('Top talkers'))).join('\n');
      for (const e of s.expect) expect(header).toMatch(typeof e === 'string' ? new RegExp(e.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : e);
      // The panels are still all there under it.
      for (const part of ['Top talkers', 'Protocols', '? help']) expect(frame).toContain(part);
    });
  }

  test('a header that wraps gives its line back when it no longer needs it', async () => {
    const wide = { ...base, totals: { ...base.totals, malformed: 56_789, flowsEvicted: 2_345_678, flowsExpired: 99_999 }, source: { ...base.source, warnings: ['w'] }, baseline: baselineView({ raised: 12 }) };
    const { app, store } = start(wide);
    const frame = await app.waitFor((f) => f.includes('Top talkers'));
    const at = (f: string): number => lines(f).findIndex((l) => l.includes('Top talkers'));
    expect(at(frame)).toBe(4);
    expectFits(frame);
    store.publish(base);
    expect(at(await app.waitFor((f) => at(f) === 3, 'three header lines'))).toBe(3);
  });
});

describe('deviation meters at 80x24', () => {
  test('in the chart slot: the whole title, each meter with its name, value and level in words', async () => {
    const { app } = start(busySnapshot({ baseline: baselineView() }));
    await app.waitFor((f) => f.includes('Top talkers'));
    const frame = await app.press('d');
    expectFits(frame);
    expect(frame).toContain('Meters (d: chart  Tab: select)');
    expect(frame).toMatch(/distinct ports per sou…\s+212 critical/);
    expect(frame).toMatch(/SYNs per target\s+700 elevated/);
    expect(frame).toMatch(/new flows\/s\s+0 learning/);
    const focused = await app.press('\t', { expectChange: true }).then(() => app.press('\t'));
    expect(focused).toContain('Meters (Enter: drivers  d: chart)');
    expect(focused).toMatch(/> distinct ports per sou…\s+212 critical/);
  });
});

describe('alerts, health and a meter drill-down at 80x24', () => {
  const NOTE = 'no baseline: scans, sweeps, SYN floods and DNS tunnels use built-in limits; everything else learns for 900 s first';
  const alerts = [
    alert(),
    alert({ kind: 'exfil-volume', subject: '192.168.100.200 → 203.0.113.250', message: '192.168.100.200 sent 1.2 GB to 203.0.113.250 in 60 s' }),
  ];
  const snapshot = busySnapshot({ baseline: baselineView({ note: NOTE, alerts }) });
  const flat = (frame: string): string => frame.replace(/\s+/g, ' ');

  test('alerts take two lines each: subject and message whole; the note wraps', async () => {
    const { app } = start(snapshot);
    await app.waitFor((f) => f.includes('Top talkers'));
    const frame = await app.press('a');
    expectFits(frame);
    expect(frame).toMatch(/^> \S+ high\s+port-scan\s+10\.0\.0\.9\s*$/m);
    expect(frame).toMatch(/^\s+212 vs 64\s+10\.0\.0\.9 probed 212 ports\s*$/m);
    expect(frame).toContain('exfil-volume    192.168.100.200 → 203.0.113.250');
    expect(frame).toContain('192.168.100.200 sent 1.2 GB to 203.0.113.250 in 60 s');
    expect(flat(frame)).toContain(NOTE);
  });

  test('capture health wraps the baseline note under its column', async () => {
    const { app } = start(snapshot);
    await app.waitFor((f) => f.includes('Top talkers'));
    const frame = await app.press('h');
    expectFits(frame);
    expect(frame).not.toContain('…');
    expect(flat(frame)).toContain(`baseline ${NOTE}`);
  });

  test('a meter nothing drives says why, wrapped', () => {
    const out = meterDriverLines({ snapshot, metric: 'bits/s', drivers: [], width: 80, height: 20 }).map((l) => l.map((x) => x.text).join(''));
    for (const l of out) expect(width(l)).toBeLessThanOrEqual(80);
    expect(flat(out.join(' '))).toContain('(nothing drives this meter now: it has no per-host, per-port or per-name breakdown, or no traffic)');
  });
});

describe('conversations at 80x24', () => {
  test('both IPv4 endpoints whole: one rate column gives way, the sorted one stays', async () => {
    const conv = conversation(1, '192.168.100.200', '203.0.113.250');
    const { app } = start(busySnapshot({ conversations: [{ ...conv, aPort: 54321 }] }));
    await app.waitFor((f) => f.includes('Top talkers'));
    let frame = await app.press('t');
    expect(frame).toContain('> 192.168.100.200:54321 ↔ 203.0.113.250:443 ');
    expect(frame).toMatch(/conversation\s+service\s+2s▼\s+10s\s+total/);
    frame = await app.press('3');
    expect(frame).toMatch(/conversation\s+service\s+2s\s+40s▼\s+total/);
    expect(frame).toContain('> 192.168.100.200:54321 ↔ 203.0.113.250:443 ');
    expectFits(frame);
  });
});

describe('footer at 80x24', () => {
  test('key hints are whole: as many as fit, none cut in the middle', async () => {
    const { app } = start();
    const frame = await app.waitFor((f) => f.includes('Top talkers'));
    const footer = lines(frame).at(-1)!;
    expect(footer).toMatch(/^\? help  q quit  \/ filter .*Enter drill$/);
    expect(footer).not.toContain('…');
  });
});
