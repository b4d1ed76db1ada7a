import { renderToString } from 'ink';
import { describe, expect, test } from 'vitest';
import { COMMANDS, keyLabel } from '../../src/ui/commands.js';
import { computeLayout } from '../../src/ui/layout/layout.js';
import { columnsFor } from '../../src/ui/layout/talker-columns.js';
import { detailLines } from '../../src/ui/panels/conversation-detail.js';
import { footerLines } from '../../src/ui/panels/footer.js';
import { headerLines } from '../../src/ui/panels/header.js';
import { helpLines, helpPageCount } from '../../src/ui/panels/help.js';
import { PACKET_COMMANDS } from '../../src/ui/packets/packet-commands.js';
import { STREAM_COMMANDS } from '../../src/ui/stream/stream-commands.js';
import type { Line } from '../../src/ui/panels/lines.js';
import { protocolLines } from '../../src/ui/panels/protocols.js';
import { rateChartLines } from '../../src/ui/panels/rate-chart.js';
import { talkerLines } from '../../src/ui/panels/talkers.js';
import { Screen } from '../../src/ui/screen.js';
import { initialUiState } from '../../src/ui/state/ui-state.js';
import type { UiState } from '../../src/ui/state/ui-state.js';
import { busySnapshot, conversation, host, T0 } from './helpers/snapshots.js';

const text = (lines: readonly Line[]): string[] => lines.map((l) => l.map((s) => s.text).join(''));
const noNames = (): undefined => undefined;

/** All help pages read column by column, whitespace collapsed: wrapped entries read as one line. */
function helpText(width: number, height: number): string {
  const words: string[] = [];
  for (let p = 0; p < helpPageCount(width, height); p++) {
    const rows = helpLines(width, height, p).slice(1);
    const columns = Math.max(...rows.map((r) => r.length));
    for (let c = 0; c < columns; c++) for (const r of rows) words.push(r[c]?.text ?? '');
  }
  return words.join(' ').replace(/\s+/g, ' ');
}
const WIDTHS = [80, 120, 200] as const;

function screen(width: number, rows: number, state: UiState = initialUiState(), snapshot = busySnapshot()): string {
  const layout = computeLayout(width, rows, 1);
  return renderToString(<Screen snapshot={snapshot} state={state} layout={layout} check={null} nameOf={noNames} isColor={false} />, { columns: width });
}

describe('whole screen at several sizes', () => {
  for (const [w, h] of [[80, 24], [120, 40], [200, 60]] as const) {
    test(`${w}x${h}: fits, and every panel is there`, () => {
      const out = screen(w, h);
      const lines = out.split('\n');
      expect(lines.length).toBeLessThanOrEqual(h - 1);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(w);
      for (const part of ['wiretop', 'Top talkers: hosts', '10.0.0.1', 'Protocols', 'tcp', 'Rate of all traffic', '? help']) {
        expect(out).toContain(part);
      }
    });
  }

  test('80x24 layout', () => {
    expect(screen(80, 24)).toMatchSnapshot();
  });

  test('160x48 puts protocols beside talkers', () => {
    const out = screen(160, 48);
    const row = out.split('\n').find((l) => l.includes('Top talkers'))!;
    expect(row).toContain('Protocols');
  });
});

describe('header', () => {
  const base = busySnapshot();
  test('drops unknown, filter with unfiltered rates beside, markers', () => {
    const snap = { ...base, source: { ...base.source, dropped: null, dropNote: 'cap', ended: true }, rawPps: 500, rawBps: 4e6 };
    const lines = text(headerLines({ snapshot: snap, isPaused: true, displayFilter: 'tcp', unit: 'bits', width: 200 }));
    expect(lines[0]).toContain('PAUSED');
    expect(lines[0]).toContain('end of capture');
    expect(lines[0]).toContain('filter: tcp');
    expect(lines[1]).toContain('now 200 pkt/s 1.60Mb/s (all 500 pkt/s 4.00Mb/s)');
    expect(lines[2]).toContain('drops: n/a (cap)');
    expect(lines[2]).toContain('malformed: 3');
    expect(lines[2]).toContain('flows: 40 tracked, 2 evicted');
  });

  test('known drops and no filter; lines fit at 80', () => {
    const snap = { ...base, source: { ...base.source, dropped: 12, dropNote: null } };
    const lines = text(headerLines({ snapshot: snap, isPaused: false, displayFilter: null, unit: 'bytes', width: 80 }));
    expect(lines[2]).toContain('dropped: 12');
    expect(lines[1]).not.toContain('(all');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
  });

  test('says how far back the counts reach when the ring no longer held the start of the capture', () => {
    const whole = text(headerLines({ snapshot: { ...base, displaySince: null }, isPaused: false, displayFilter: 'udp', unit: 'bits', width: 200 }));
    expect(whole.join('\n')).not.toContain('the last');
    const snap = { ...base, displaySince: base.time - 192 };
    const filtered = text(headerLines({ snapshot: snap, isPaused: false, displayFilter: 'udp', unit: 'bits', width: 200 }));
    expect(filtered[2]).toContain('filter applied to the last 3m12s (ring)');
    expect(filtered[2]).toContain('drops:');
    const cleared = text(headerLines({ snapshot: { ...snap, source: { ...snap.source, displayFilter: null } }, isPaused: false, displayFilter: null, unit: 'bits', width: 200 }));
    expect(cleared[2]).toContain('counts cover the last 3m12s (ring)');
  });

  test('every field at every width from 40 to 200: shorter forms, cuts and wrapping, never past the width', () => {
    const snap = {
      ...base, displaySince: base.time - 30,
      source: { ...base.source, name: '/captures/2026-01-01-border-router-eth0.pcapng', ended: true, warnings: ['w'], dropped: 1234, dropNote: 'interface counters' },
      totals: { ...base.totals, malformed: 56_789, flowsEvicted: 2_345_678, flowsExpired: 99_999 },
    };
    for (let width = 40; width <= 200; width++) {
      const lines = text(headerLines({ snapshot: snap, isPaused: true, displayFilter: 'tcp.port == 443', unit: 'bits', width, newAlerts: 7 }));
      expect(lines.length).toBeGreaterThanOrEqual(3);
      expect(lines.length).toBeLessThanOrEqual(6);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
      const all = lines.join('\n');
      for (const part of ['PAUSED', 'end of capture', 'filter: tcp', '7 new alerts (a)', '(ring)']) expect(all).toContain(part);
      if (width >= 60) for (const part of ['56.8k (h)', '2.35M evicted', 'hosts', 'warn']) expect(all).toContain(part);
      if (width >= 80) expect(lines.length).toBeLessThanOrEqual(4);
      if (width >= 80) for (const part of ['/captures/', 'pcapng', 'filter: tcp.port == 443', 'now 200 pkt/s']) expect(all).toContain(part);
      if (width >= 80) expect(all).toMatch(/drop(ped:)? 1.23k/);
    }
  });

  test('wire strings are escaped', () => {
    const snap = { ...base, source: { ...base.source, name: 'evil\x1b[2Jname', warnings: [] } };
    const out = text(headerLines({ snapshot: snap, isPaused: false, displayFilter: '\x9b31m', unit: 'bits', width: 200 })).join('\n');
    expect(out).toContain('evil\\x1b[2Jname');
    expect(out).toContain('\\x9b31m');
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});

describe('talkers', () => {
  const snapshot = busySnapshot();
  for (const width of WIDTHS) {
    for (const view of ['hosts', 'conversations', 'ports'] as const) {
      test(`${view} at ${width}`, () => {
        const state = { ...initialUiState(), view };
        const lines = text(talkerLines({ snapshot, state, width, height: 12, isFocused: true, nameOf: noNames }));
        expect(lines.length).toBe(Math.min(12, 2 + (view === 'ports' ? 3 : 30)));
        for (const l of lines) expect([...l].length).toBe(width);
        expect(lines[2]!.startsWith('> ')).toBe(true);
        expect(lines[1]).toContain('2s▼');
        const cols = columnsFor(view, width).length;
        expect(cols).toBeGreaterThanOrEqual(4);
      });
    }
  }

  test('wider terminals get more columns', () => {
    expect(columnsFor('hosts', 80).map((c) => c.id)).toEqual(['r2', 'r10', 'r40', 'total']);
    expect(columnsFor('hosts', 120).map((c) => c.id)).toContain('sent2');
    expect(columnsFor('conversations', 200).map((c) => c.id)).toContain('packets');
    // At 80 a conversation gives up the 40 s column, unless the rows are sorted by it.
    expect(columnsFor('conversations', 80).map((c) => c.id)).toEqual(['service', 'r2', 'r10', 'total']);
    expect(columnsFor('conversations', 80, 'r40').map((c) => c.id)).toEqual(['service', 'r2', 'r40', 'total']);
    expect(columnsFor('conversations', 80, 'total').map((c) => c.id)).toEqual(['service', 'r2', 'r10', 'total']);
    expect(columnsFor('conversations', 100, 'r40').map((c) => c.id)).toEqual(['service', 'r2', 'r10', 'r40', 'total']);
  });

  test('conversation names keep both ends; IPv6 endpoints are bracketed', () => {
    const c = conversation(1, '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1', '2001:db8::53');
    const snap = { ...snapshot, conversations: [c] };
    const lines = text(talkerLines({ snapshot: snap, state: { ...initialUiState(), view: 'conversations' }, width: 120, height: 5, isFocused: true, nameOf: noNames }));
    expect(lines[2]).toContain(':40001 ↔ [2001:db8::53]:443');
  });

  test('names from the resolver are shown and escaped', () => {
    const lines = text(talkerLines({ snapshot, state: initialUiState(), width: 80, height: 5, isFocused: true, nameOf: (a) => (a === '10.0.0.1' ? 'gw\x1b]0;x\x07' : undefined) }));
    expect(lines[2]).toContain('gw\\x1b]0;x\\x07');
  });

  test('the window scrolls to keep the selection visible', () => {
    const state = { ...initialUiState(), cursors: { hosts: { key: '10.0.0.20', index: 19 } } };
    const lines = text(talkerLines({ snapshot, state, width: 80, height: 7, isFocused: true, nameOf: noNames }));
    expect(lines[6]).toMatch(/^> 10\.0\.0\.20 /);
  });

  test('empty states', () => {
    const empty = { ...snapshot, hosts: [], firstSeen: null };
    expect(text(talkerLines({ snapshot: empty, state: initialUiState(), width: 80, height: 5, isFocused: false, nameOf: noNames }))[2]).toContain('no packets yet');
  });

  test('no rows and no display filter (an ARP-only capture): not "nothing matches"', () => {
    const arpOnly = { ...snapshot, hosts: [] };
    const row = (s: typeof snapshot) => text(talkerLines({ snapshot: s, state: initialUiState(), width: 80, height: 5, isFocused: false, nameOf: noNames }))[2];
    expect(row(arpOnly)).toContain('(none: talkers count IP traffic only)');
    expect(row({ ...arpOnly, source: { ...arpOnly.source, displayFilter: 'tcp' } })).toContain('(nothing matches)');
  });

  test('host drill-down lists that host\'s conversations', () => {
    const state = { ...initialUiState(), nav: [{ kind: 'host' as const, addr: '10.0.0.3' }] };
    const lines = text(talkerLines({ snapshot, state, width: 120, height: 6, isFocused: true, nameOf: noNames }));
    expect(lines[0]).toContain('Conversations of 10.0.0.3');
    expect(lines.slice(2).filter((l) => l.includes('10.0.0.3:40003'))).toHaveLength(1);
  });
});

describe('protocols and chart', () => {
  const snapshot = busySnapshot();
  for (const width of [38, 56, 80]) {
    test(`table at ${width}`, () => {
      const lines = text(protocolLines({ snapshot, cursor: undefined, chartPath: 'eth:ipv4:tcp', unit: 'bits', width, height: 8, isFocused: true }));
      expect(lines[1]).toContain('share');
      expect(lines.find((l) => l.includes('tcp'))).toMatch(/^ \*/);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(width);
    });
  }

  test('chart has a title, labelled axis and time axis', () => {
    const lines = text(rateChartLines({ snapshot, chartPath: 'eth:ipv4:tcp', unit: 'bits', width: 60, height: 9 }));
    expect(lines).toHaveLength(9);
    expect(lines[0]).toContain('Rate of eth:ipv4:tcp, bits/s');
    expect(lines[8]).toContain('now');
    expect(lines[8]).toContain('-51s');
    expect(lines.some((l) => l.includes('kb ┤') || l.includes('kb ┼'))).toBe(true);
  });

  test('a protocol without history charts a flat zero line', () => {
    const lines = text(rateChartLines({ snapshot, chartPath: 'eth:arp', unit: 'bytes', width: 40, height: 6 }));
    expect(lines).toHaveLength(6);
    expect(lines.join('\n')).toContain('0B');
  });
});

describe('detail, help, footer', () => {
  test('conversation detail with recent packets, escaped', () => {
    const c = conversation(1);
    const snap = busySnapshot({
      focus: { conversation: c, recentPackets: [{ time: T0 + 1.5, src: '10.0.0.1', dst: '192.168.1.1', len: 60, info: 'GET /\x1b[31m' }] },
    });
    const out = text(detailLines({ snapshot: snap, conversationId: 'c1', unit: 'bits', width: 80, height: 15, nameOf: noNames })).join('\n');
    for (const part of ['10.0.0.1:40001', '192.168.1.1:443', 'https', 'established', 'first seen', 'Recent packets', 'GET /\\x1b[31m', '00:00:01']) {
      if (part === '00:00:01') continue;
      expect(out).toContain(part);
    }
  });

  test('detail for a vanished conversation says so', () => {
    const out = text(detailLines({ snapshot: busySnapshot(), conversationId: 'gone', unit: 'bits', width: 80, height: 10, nameOf: noNames })).join('\n');
    expect(out).toContain('no longer tracked');
  });

  test('help lists every command from the table', () => {
    const out = text(helpLines(200, 60)).join('\n');
    for (const part of ['quit', 'Ctrl-C', 'Shift-Tab', 'PgUp', 'filter to the selection', 'Ctrl-W', 'reverse DNS']) expect(out).toContain(part);
    // At 80x23 the help takes pages; together they list every command.
    const pages = helpPageCount(80, 23);
    expect(pages).toBeGreaterThan(1);
    const all: string[] = [];
    for (let p = 0; p < pages; p++) {
      const small = text(helpLines(80, 23, p));
      expect(small.length).toBeLessThanOrEqual(23);
      for (const l of small) expect([...l].length).toBeLessThanOrEqual(80);
      expect(small[0]).toContain(`page ${p + 1} of ${pages}`);
      all.push(...small);
    }
    // Read column by column (a row's segments are its columns), entries wrap but are never cut.
    const read = helpText(80, 23);
    for (const c of [...COMMANDS, ...STREAM_COMMANDS, ...PACKET_COMMANDS].filter((x) => x.scope !== 'help')) expect(read).toContain(c.help);
    expect(helpPageCount(200, 60)).toBe(1);
  });

  test('help at 80x23 and 160x47: every entry in full, with its keys, nothing cut off', () => {
    for (const [w, h] of [[80, 23], [160, 47]] as const) {
      const read = helpText(w, h);
      expect(read).not.toContain('…');
      for (const c of [...COMMANDS, ...STREAM_COMMANDS, ...PACKET_COMMANDS].filter((x) => x.scope !== 'help')) {
        expect(read).toContain(`${c.keys.map(keyLabel).join(' ')} ${c.help}`);
      }
    }
    // A large terminal shows it all on one page; 80x23 needs no more than three.
    expect(helpPageCount(160, 47)).toBe(1);
    expect(helpPageCount(80, 23)).toBeLessThanOrEqual(3);
  });

  test('footer: hints, valid mark, invalid mark with caret under the column', () => {
    expect(text(footerLines({ filterLine: null, check: null, notice: null, width: 80 }))[0]).toContain('? help');
    const line = { text: 'tcp ?? udp', cursor: 10, historyIndex: null, draft: '' };
    const bad = text(footerLines({ filterLine: line, check: { ok: false, column: 5, message: 'unexpected "??"' }, notice: null, width: 80 }));
    expect(bad[0]).toContain('✗ invalid');
    expect(bad[1]!.indexOf('^')).toBe('filter> '.length + 4);
    expect(bad[2]).toContain('column 5: unexpected "??"');
    const good = text(footerLines({ filterLine: { ...line, text: 'tcp' }, check: { ok: true }, notice: null, width: 80 }));
    expect(good[0]).toContain('✓ valid');
  });
});

describe('colour', () => {
  test('monochrome output has no colour codes; colour output does', () => {
    const layout = computeLayout(80, 24, 1);
    const snapshot = busySnapshot();
    const mono = renderToString(<Screen snapshot={snapshot} state={initialUiState()} layout={layout} check={null} nameOf={noNames} isColor={false} />, { columns: 80 });
    expect(mono).not.toMatch(/\x1b\[3\dm/);
    expect(mono).toContain('> 10.0.0.1');
  });
});
