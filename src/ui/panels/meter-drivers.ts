import { escapeForTerminal } from '../../util/escape.js';
import { padLeft, padRight, truncateEnd } from '../format/text.js';
import type { DriverView } from '../store/drivers.js';
import type { UiSnapshot } from '../store/ui-snapshot.js';
import { line } from './lines.js';
import type { Line } from './lines.js';
import { noteLines } from './note-lines.js';
import { meterNumber } from './meters.js';

export interface MeterDriversProps {
  readonly snapshot: UiSnapshot;
  readonly metric: string;
  /** undefined: the session has no baseline monitor. */
  readonly drivers: readonly DriverView[] | undefined;
  readonly width: number;
  readonly height: number;
}

/**
 * What drives one deviation meter: the meter's line, then its top contributors (hosts, pairs,
 * ports or names) with their values, largest first. Labels come off the wire: escaped.
 */
export function meterDriverLines({ snapshot, metric, drivers, width, height }: MeterDriversProps): Line[] {
  const name = escapeForTerminal(metric);
  const out: Line[] = [line(padRight(truncateEnd(` What drives "${name}"  f filter to them  F filter them out  Esc back `, width), width), 'title-focused')];
  const m = snapshot.baseline?.meters.find((x) => x.name === metric);
  if (m) {
    const state = m.learning ? 'learning' : m.level;
    out.push(line(truncateEnd(`  now ${meterNumber(m.current)} ${escapeForTerminal(m.unit)}, normal ${meterNumber(m.low)}–${meterNumber(m.high)}: ${state}`, width), 'dim'));
  }
  if (drivers === undefined) {
    out.push(line(truncateEnd('  (no baseline monitor in this session: drivers need one)', width), 'dim'));
    return out;
  }
  if (drivers.length === 0) {
    out.push(...noteLines('(nothing drives this meter now: it has no per-host, per-port or per-name breakdown, or no traffic)', width));
    return out;
  }
  const valueW = 8;
  const labelW = Math.max(10, width - 4 - valueW - 1);
  out.push(line(padRight(`  ${padRight('contributor', labelW)} ${padLeft('value', valueW)}`, width), 'header'));
  const room = Math.max(0, height - out.length);
  const shown = drivers.slice(0, room);
  for (const d of shown) out.push(line(`  ${padRight(truncateEnd(escapeForTerminal(d.label), labelW), labelW)} ${padLeft(meterNumber(d.value), valueW)}`));
  if (drivers.length > shown.length && shown.length > 0) {
    out[out.length - 1] = line(truncateEnd(`  … ${drivers.length - shown.length + 1} more`, width), 'dim');
  }
  return out;
}
