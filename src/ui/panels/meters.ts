import { escapeForTerminal } from '../../util/escape.js';
import { padLeft, padRight, textWidth, truncateEnd } from '../format/text.js';
import { formatSi } from '../format/units.js';
import { cursorIndex, meterList } from '../state/current-list.js';
import type { Cursor } from '../state/ui-state.js';
import type { MeterView, UiSnapshot } from '../store/ui-snapshot.js';
import { windowStart } from './list-window.js';
import { line } from './lines.js';
import type { Line, Segment, Tone } from './lines.js';

export interface MetersProps {
  readonly snapshot: UiSnapshot;
  readonly width: number;
  readonly height: number;
  /** The meters have the focus (Tab): a row is selected and Enter shows what drives it. */
  readonly isFocused?: boolean;
  readonly cursor?: Cursor;
}

/** Columns by panel width, widest first: a narrow panel (the chart slot at 80 columns) keeps name, value and level. */
const COLUMN_SETS: readonly { readonly minWidth: number; readonly bar: number; readonly band: number }[] = [
  { minWidth: 90, bar: 20, band: 13 },
  { minWidth: 60, bar: 6, band: 11 },
  { minWidth: 0, bar: 0, band: 0 },
];

/** Where the bar is full: the deviation score of the 'critical' cut and some. */
const FULL_SCALE = 10;

/** Small values keep a decimal (entropy 3.6 bits/char); the rest are SI-prefixed. */
export function meterNumber(v: number): string {
  if (!Number.isFinite(v)) return '-';
  if (Math.abs(v) < 10 && !Number.isInteger(v)) return v.toFixed(1);
  return formatSi(v);
}

/** Bar cells filled: none inside the band, else in proportion to the deviation score. */
export function barFill(m: MeterView, cells: number): number {
  if (m.learning || (m.current >= m.low && m.current <= m.high)) return 0;
  return Math.max(1, Math.min(cells, Math.round((cells * m.deviation) / FULL_SCALE)));
}

function levelTone(m: MeterView): Tone {
  if (m.learning || m.level === 'normal') return 'dim';
  return m.level === 'elevated' ? 'title' : 'error';
}

/**
 * Deviation meters, most severe first (the monitor's order): name, value now, the learned band,
 * a bar that grows the further the value is outside the band, and the level in words.
 */
export function meterLines({ snapshot, width, height, isFocused = false, cursor }: MetersProps): Line[] {
  const baseline = snapshot.baseline;
  const titles = isFocused
    ? [' Deviation meters (Enter: what drives it  d: chart) ', ' Meters (Enter: what drives it  d: chart) ', ' Meters (Enter: drivers  d: chart) ']
    : [' Deviation meters (d: chart  Tab: select) ', ' Meters (d: chart  Tab: select) '];
  const title = titles.find((t) => textWidth(t) <= width) ?? titles[titles.length - 1]!;
  const out: Line[] = [line(padRight(title, width), isFocused ? 'title-focused' : 'title')];
  if (baseline === undefined) {
    out.push(line(truncateEnd('  (no baseline monitor in this session: meters need one)', width), 'dim'));
    return out;
  }
  if (baseline.note) out.push(line(truncateEnd(`  ${escapeForTerminal(baseline.note)}`, width), 'dim'));
  if (baseline.meters.length === 0) {
    out.push(line('  (no meters yet: waiting for the first second of traffic)', 'dim'));
    return out;
  }
  const { bar: barCells, band: bandW } = COLUMN_SETS.find((c) => width >= c.minWidth)!;
  const valueW = 6;
  const levelW = 8;
  const bandCol = bandW > 0 ? bandW + 1 : 0;
  const barCol = barCells > 0 ? barCells + 3 : 0;
  const nameW = Math.max(8, width - 2 - 1 - valueW - 1 - bandCol - barCol - levelW);
  const band = (text: string): string => (bandW > 0 ? `${padRight(text, bandW)} ` : '');
  out.push(line(padRight(`  ${padRight('metric', nameW)} ${padLeft('now', valueW)} ${band('normal band')}${barCells > 0 ? `${padRight('outside', barCells + 2)} ` : ''}level`, width), 'header'));
  const room = Math.max(0, height - out.length);
  const selected = isFocused ? cursorIndex(meterList(snapshot), cursor) : -1;
  const start = windowStart(selected, baseline.meters.length, room);
  const rows = baseline.meters.slice(start, start + room);
  for (const [k, m] of rows.entries()) {
    const isSel = start + k === selected;
    const fill = barFill(m, barCells);
    const segs: Segment[] = [
      // Cut at the end: "distinct internal hosts per source" and "distinct hosts per source" differ early.
      { text: `${isSel ? '> ' : '  '}${padRight(truncateEnd(escapeForTerminal(m.name), nameW), nameW)} ${padLeft(meterNumber(m.current), valueW)} ${band(`${meterNumber(m.low)}–${meterNumber(m.high)}`)}`, tone: isSel ? 'selected' : undefined },
      ...(barCells > 0 ? [{ text: `[${'='.repeat(fill)}${' '.repeat(barCells - fill)}] `, tone: fill > 0 ? levelTone(m) : 'dim' } as const] : []),
      { text: m.learning ? 'learning' : m.level, tone: levelTone(m) },
    ];
    out.push(segs);
  }
  if (start + rows.length < baseline.meters.length && out.length > 0 && !(isFocused && start + rows.length - 1 === selected)) {
    out[out.length - 1] = line(truncateEnd(`  … ${baseline.meters.length - start - rows.length + 1} more meters`, width), 'dim');
  }
  return out;
}
