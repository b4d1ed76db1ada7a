import { escapeForTerminal } from '../../util/escape.js';
import { padRight, truncateEnd } from '../format/text.js';
import { formatTimeOfDay } from '../format/time.js';
import { alertList, cursorIndex } from '../state/current-list.js';
import type { Cursor } from '../state/ui-state.js';
import type { AlertView, UiSnapshot } from '../store/ui-snapshot.js';
import { line } from './lines.js';
import type { Line } from './lines.js';
import { windowStart } from './list-window.js';
import { meterNumber } from './meters.js';

export interface AlertsProps {
  readonly snapshot: UiSnapshot;
  readonly cursor: Cursor | undefined;
  readonly width: number;
  readonly height: number;
}

function alertText(a: AlertView, subjectW: number): string {
  const esc = escapeForTerminal;
  const time = formatTimeOfDay(a.lastSeen).slice(0, 8);
  const count = a.count > 1 ? ` ×${a.count}` : '';
  const vs = `${meterNumber(a.observed)} vs ${meterNumber(a.expected)}`;
  return `${time} ${padRight(a.severity, 8)} ${padRight(a.kind + count, 15)} ${padRight(esc(a.subject), subjectW)} ${padRight(vs, 15)} ${esc(a.message)}`;
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
  if (baseline.note) out.push(line(truncateEnd(`  ${escapeForTerminal(baseline.note)}`, width), 'dim'));
  const subjectW = Math.max(12, Math.min(40, width - 2 - 9 - 9 - 16 - 16 - 20));
  out.push(line(padRight(`  ${padRight('time', 8)} ${padRight('severity', 8)} ${padRight('kind', 15)} ${padRight('subject', subjectW)} ${padRight('observed vs exp', 15)} message`, width), 'header'));
  if (alerts.length === 0) {
    out.push(line('  (no alerts)', 'dim'));
    return out;
  }
  const list = alertList(snapshot);
  const size = Math.max(1, height - out.length);
  const selected = cursorIndex(list, cursor);
  const start = windowStart(selected, alerts.length, size);
  for (let i = start; i < Math.min(alerts.length, start + size); i++) {
    const a = alerts[i]!;
    const isSel = i === selected;
    const text = truncateEnd(`${isSel ? '> ' : '  '}${alertText(a, subjectW)}`, width);
    out.push(line(padRight(text, width), isSel ? 'selected' : a.active ? 'plain' : 'dim'));
  }
  return out;
}
