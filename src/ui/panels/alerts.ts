import { escapeForTerminal } from '../../util/escape.js';
import { padRight, truncateEnd } from '../format/text.js';
import { formatTimeOfDay } from '../format/time.js';
import { alertList, cursorIndex } from '../state/current-list.js';
import type { Cursor } from '../state/ui-state.js';
import type { AlertView, UiSnapshot } from '../store/ui-snapshot.js';
import { line } from './lines.js';
import type { Line } from './lines.js';
import { windowStart } from './list-window.js';
import { noteLines } from './note-lines.js';
import { meterNumber } from './meters.js';

export interface AlertsProps {
  readonly snapshot: UiSnapshot;
  readonly cursor: Cursor | undefined;
  readonly width: number;
  readonly height: number;
}

/** One line per alert where it fits; on a narrower body two (what and who, then the numbers and the message). */
const ONE_LINE_MIN_WIDTH = 110;

function alertRows(a: AlertView, subjectW: number, isOneLine: boolean): string[] {
  const esc = escapeForTerminal;
  const time = formatTimeOfDay(a.lastSeen).slice(0, 8);
  const count = a.count > 1 ? ` ×${a.count}` : '';
  const vs = `${meterNumber(a.observed)} vs ${meterNumber(a.expected)}`;
  const what = `${time} ${padRight(a.severity, 8)} ${padRight(a.kind + count, 15)} `;
  if (isOneLine) return [`${what}${padRight(esc(a.subject), subjectW)} ${padRight(vs, 15)} ${esc(a.message)}`];
  return [`${what}${esc(a.subject)}`, `${' '.repeat(9)}${padRight(vs, 15)} ${esc(a.message)}`];
}

/** The alerts, most severe then most recent first; cleared ones are dimmed. */
export function alertLines({ snapshot, cursor, width, height }: AlertsProps): Line[] {
  const baseline = snapshot.baseline;
  const alerts = baseline?.alerts ?? [];
  const active = alerts.filter((a) => a.active).length;
  const out: Line[] = [line(padRight(` Alerts: ${alerts.length} (${active} active)  a or Esc back `, width), 'title-focused')];
  if (baseline === undefined) {
    out.push(line(truncateEnd('  (no baseline monitor in this session: alerts need one)', width), 'dim'));
    return out;
  }
  if (baseline.note) out.push(...noteLines(escapeForTerminal(baseline.note), width));
  const isOneLine = width >= ONE_LINE_MIN_WIDTH;
  const subjectW = Math.max(12, Math.min(40, width - 2 - 9 - 9 - 16 - 16 - 20));
  const heads = isOneLine
    ? [`${padRight('subject', subjectW)} ${padRight('observed vs exp', 15)} message`]
    : ['subject', `${padRight('observed vs exp', 15)} message`];
  out.push(line(padRight(`  ${padRight('time', 8)} ${padRight('severity', 8)} ${padRight('kind', 15)} ${heads[0]}`, width), 'header'));
  if (heads[1] !== undefined) out.push(line(padRight(`  ${' '.repeat(9)}${heads[1]}`, width), 'header'));
  if (alerts.length === 0) {
    out.push(line('  (no alerts)', 'dim'));
    return out;
  }
  const list = alertList(snapshot);
  const perAlert = isOneLine ? 1 : 2;
  const size = Math.max(1, Math.floor((height - out.length) / perAlert));
  const selected = cursorIndex(list, cursor);
  const start = windowStart(selected, alerts.length, size);
  for (let i = start; i < Math.min(alerts.length, start + size); i++) {
    const a = alerts[i]!;
    const isSel = i === selected;
    for (const [k, row] of alertRows(a, subjectW, isOneLine).entries()) {
      const text = truncateEnd(`${isSel && k === 0 ? '> ' : '  '}${row}`, width);
      out.push(line(padRight(text, width), isSel ? 'selected' : a.active ? 'plain' : 'dim'));
    }
  }
  return out;
}
