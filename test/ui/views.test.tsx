import { describe, expect, test } from 'vitest';
import { alertLines } from '../../src/ui/panels/alerts.js';
import { detailLines } from '../../src/ui/panels/conversation-detail.js';
import { headerLines } from '../../src/ui/panels/header.js';
import { healthLines } from '../../src/ui/panels/health.js';
import type { Line } from '../../src/ui/panels/lines.js';
import { barFill, meterLines, meterNumber } from '../../src/ui/panels/meters.js';
import { streamPlaceholder } from '../../src/ui/panels/placeholders.js';
import { newAlertCount } from '../../src/ui/screen.js';
import { initialUiState } from '../../src/ui/state/ui-state.js';
import { alert, baselineView, meter } from './helpers/baseline.js';
import { busySnapshot, conversation, T0 } from './helpers/snapshots.js';

const text = (lines: readonly Line[]): string[] => lines.map((l) => l.map((s) => s.text).join(''));

describe('deviation meters panel', () => {
  test('one row per metric in severity order: name, value, band, bar, level in words', () => {
    const out = text(meterLines({ snapshot: busySnapshot({ baseline: baselineView() }), width: 100, height: 12 }));
    expect(out[0]).toContain('Deviation meters');
    expect(out[1]).toContain('no baseline');
    expect(out[2]).toMatch(/metric.*now.*normal band.*outside.*level/);
    const rows = out.slice(3);
    expect(rows[0]).toMatch(/distinct ports per source\s+212 0–64\s+\[=+\s*\] critical/);
    expect(rows[1]).toMatch(/SYNs per target\s+700 0–1\.00k\s+\[\s+\] elevated/);
    expect(rows[3]).toMatch(/new flows\/s .*\[\s+\] learning/);
    expect(rows[4]).toContain('3.6 0–4');
    for (const l of out) expect([...l].length).toBeLessThanOrEqual(100);
  });

  test('the bar is empty inside the band and grows with the deviation outside it', () => {
    expect(barFill(meter({ current: 1_000_000 }), 20)).toBe(0);
    const a = barFill(meter({ current: 3_000_000, deviation: 4, level: 'elevated' }), 20);
    const b = barFill(meter({ current: 9_000_000, deviation: 9, level: 'critical' }), 20);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(barFill(meter({ current: 1e12, deviation: 500, level: 'critical' }), 20)).toBe(20);
    expect(barFill(meter({ current: 9_000_000, deviation: 9, learning: true }), 20)).toBe(0);
    expect(meterNumber(3.62)).toBe('3.6');
    expect(meterNumber(1_250_000)).toBe('1.25M');
  });

  test('without a monitor, or before any meter, it says so; long lists say how many are left', () => {
    expect(text(meterLines({ snapshot: busySnapshot(), width: 60, height: 8 })).join('\n')).toContain('no baseline monitor in this session');
    expect(text(meterLines({ snapshot: busySnapshot({ baseline: baselineView({ meters: [], note: '' }) }), width: 60, height: 8 })).join('\n')).toContain('no meters yet');
    const few = text(meterLines({ snapshot: busySnapshot({ baseline: baselineView() }), width: 60, height: 5 }));
    expect(few).toHaveLength(5);
    expect(few[4]).toContain('4 more meters');
  });
});

describe('alerts view', () => {
  test('time, severity, kind, subject, observed vs expected, message; escaped; cleared ones dimmed', () => {
    const lines = alertLines({ snapshot: busySnapshot({ baseline: baselineView() }), cursor: undefined, width: 140, height: 10 });
    const out = text(lines);
    expect(out[0]).toContain('Alerts: 2 (1 active)');
    expect(out[2]).toMatch(/time\s+severity\s+kind\s+subject\s+observed vs exp\s+message/);
    expect(out[3]).toMatch(/^> 22:13:40 high\s+port-scan\s+10\.0\.0\.9\s+212 vs 64\s+10\.0\.0\.9 probed 212 ports/);
    expect(out[4]).toContain('dns-tunnel ×3');
    expect(out[4]).toContain('evil\\x1b[2J.example');
    expect(out.join('')).not.toContain('\x1b');
    expect(lines[4]![0]!.tone).toBe('dim');
  });

  test('the cursor row is kept in view', () => {
    const many = Array.from({ length: 30 }, (_, i) => alert({ subject: `10.0.1.${i}` }));
    const out = text(alertLines({ snapshot: busySnapshot({ baseline: baselineView({ alerts: many }) }), cursor: { key: 'port-scan\u000010.0.1.25', index: 25 }, width: 120, height: 10 }));
    expect(out).toHaveLength(10);
    expect(out.find((l) => l.startsWith('> '))).toContain('10.0.1.25');
  });

  test('without a monitor it says so', () => {
    expect(text(alertLines({ snapshot: busySnapshot(), cursor: undefined, width: 80, height: 10 })).join('\n')).toContain('no baseline monitor');
  });
});

describe('header and health', () => {
  test('the header counts new alerts; the alerts view and a session without monitor show none', () => {
    const snapshot = busySnapshot({ baseline: baselineView({ raised: 5 }) });
    const state = { ...initialUiState(), alertsSeen: 3 };
    expect(newAlertCount(snapshot, state)).toBe(2);
    expect(newAlertCount(snapshot, { ...state, nav: [{ kind: 'alerts' }] })).toBe(0);
    expect(newAlertCount(busySnapshot(), state)).toBeNull();
    const third = (n: number | null) => text(headerLines({ snapshot, isPaused: false, displayFilter: null, unit: 'bits', width: 80, newAlerts: n }))[2]!;
    expect(third(2)).toMatch(/^ 2 new alerts \(a\)  drops/);
    expect(third(1)).toContain('1 new alert (a)');
    expect(third(0)).toMatch(/^alerts: 0 new  drops/);
    expect(third(null)).toMatch(/^drops/);
    expect(third(null)).toContain('malformed: 3 (h)');
  });

  test('health lists malformed reasons by count, warnings, drops; escaped', () => {
    const snap = busySnapshot({
      malformedReasons: [{ reason: 'IPv4 header length < 20', count: 2 }, { reason: 'TCP header truncated', count: 40 }],
      source: { ...busySnapshot().source, warnings: ['odd \x1b]0;pwned\x07 block'], dropped: 7, dropNote: 'kernel' },
      baseline: baselineView(),
    });
    const out = text(healthLines({ snapshot: snap, width: 80, height: 20 }));
    expect(out[0]).toContain('Capture health');
    const joined = out.join('\n');
    expect(joined).toContain('dropped          7 (kernel)');
    expect(joined).toContain('Malformed packets: 3');
    expect(joined.indexOf('TCP header truncated')).toBeLessThan(joined.indexOf('IPv4 header length'));
    expect(joined).toContain('Source warnings: 1');
    expect(joined).not.toContain('\x1b');
    expect(joined).toContain('baseline         no baseline');
    const short = text(healthLines({ snapshot: snap, width: 80, height: 6 }));
    expect(short).toHaveLength(6);
    expect(short[5]).toMatch(/more lines/);
    expect(text(healthLines({ snapshot: busySnapshot(), width: 80, height: 20 })).join('\n')).toMatch(/Malformed packets: 3\s*\n\s+\(none\)/);
  });
});

describe('conversation detail and placeholders', () => {
  test('an idle focused conversation explains why no packets are listed', () => {
    const c = conversation(1);
    const snapshot = busySnapshot({ focus: { conversation: c, recentPackets: [] } });
    const out = text(detailLines({ snapshot, conversationId: c.id, unit: 'bits', width: 160, height: 20, nameOf: () => undefined }));
    expect(out[0]).toContain('s stream');
    expect(out.at(-1)).toContain('none since this view opened');
    expect(out.at(-1)).toContain(`last one ${T0 + 60 - c.lastSeen}s ago`);
  });

  test('kept packets fill the detail, also from before it was opened, newest last and escaped', () => {
    const c = conversation(1);
    const snapshot = busySnapshot({ focus: { conversation: c, recentPackets: [] } });
    const kept = Array.from({ length: 30 }, (_, i) => ({ no: i + 1, time: i / 10, src: c.a, dst: c.b, proto: 'TCP', len: 60, info: i === 29 ? 'GET /\x1b[2J' : 'ACK' }));
    const out = text(detailLines({ snapshot, conversationId: c.id, unit: 'bits', width: 120, height: 16, nameOf: () => undefined, kept }));
    expect(out).toHaveLength(16);
    expect(out[8]).toContain('Recent packets (No., seconds since the first packet; v lists them all)');
    expect(out[15]).toMatch(/^\s+30\s+2\.900 10\.0\.0\.1 → 192\.168\.1\.1 TCP 60 GET \/\\x1b\[2J/);
    expect(out.join('')).not.toContain('\x1b');
  });

  test('the stream placeholder says why there is nothing to show', () => {
    expect(text(streamPlaceholder(undefined, 100)).join('\n')).toContain('not running in this session');
    expect(text(streamPlaceholder(null, 100)).join('\n')).toContain('only TCP and UDP conversations have streams');
  });
});
