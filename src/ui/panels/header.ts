import type { Snapshot } from '../../engine/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { formatClock, formatDuration } from '../format/time.js';
import { formatBitRate, formatBytes, formatCount } from '../format/units.js';
import type { RateUnit } from '../format/units.js';
import { fitRow } from './header-fit.js';
import type { HeaderField } from './header-fit.js';
import type { Line } from './lines.js';

export interface HeaderProps {
  readonly snapshot: Snapshot;
  readonly isPaused: boolean;
  /** The filter the UI applied; the snapshot's own is shown until the engine echoes it. */
  readonly displayFilter: string | null;
  readonly unit: RateUnit;
  readonly width: number;
  /** Alerts raised since the alerts view was last open; null when no baseline monitor runs. */
  readonly newAlerts?: number | null;
}

function sourceForms(s: Snapshot['source']): string[] {
  const name = escapeForTerminal(s.name || '-');
  const kind = s.kind === 'interface' ? 'if' : s.kind === 'stdin' ? 'stdin' : s.kind === 'demo' ? 'demo' : 'file';
  const cap = s.captureFilter ? ` [capture: ${escapeForTerminal(s.captureFilter)}]` : '';
  return [`${kind} ${name}${cap}`, `${name}${cap}`];
}

function rateText(pps: number, bps: number, unit: RateUnit): string {
  return `${formatCount(pps)} pkt/s ${formatBitRate(bps, unit)}/s`;
}

/** Drops, malformed, flows, hosts, warnings: the health counters, shortest last. */
function healthFields(snapshot: Snapshot): HeaderField[] {
  const { source, totals } = snapshot;
  const note = source.dropNote ? ` (${escapeForTerminal(source.dropNote)})` : '';
  const drops = source.dropped === null
    ? [`drops: n/a${note}`, 'drops: n/a']
    : [`dropped: ${formatCount(source.dropped)}${note}`, `dropped: ${formatCount(source.dropped)}`, `drop ${formatCount(source.dropped)}`];
  const flows = formatCount(totals.flowsTracked);
  const evicted = `${formatCount(totals.flowsEvicted)} evicted`;
  const expired = totals.flowsExpired === undefined ? '' : `, ${formatCount(totals.flowsExpired)} expired`;
  const fields: HeaderField[] = [
    { forms: drops, tone: 'dim', rank: 2 },
    // The reasons are one key away; say so where the count is.
    { forms: [`malformed: ${formatCount(totals.malformed)}${totals.malformed > 0 ? ' (h)' : ''}`, `malf ${formatCount(totals.malformed)}${totals.malformed > 0 ? ' (h)' : ''}`], tone: 'dim', rank: 3 },
    { forms: [`flows: ${flows} tracked, ${evicted}${expired}`, `flows: ${flows}, ${evicted}${expired}`, `flows: ${flows}, ${evicted}`, `flows ${flows} (${evicted})`], tone: 'dim', rank: 1 },
    { forms: [`hosts: ${formatCount(totals.hostsTracked)}`, `hosts ${formatCount(totals.hostsTracked)}`], tone: 'dim', rank: 1 },
  ];
  if (source.warnings.length > 0) fields.push({ forms: [`warnings: ${source.warnings.length}`, `warn ${source.warnings.length}`], tone: 'dim', rank: 2 });
  return fields;
}

function reachSpan(snapshot: Snapshot): string | null {
  const since = snapshot.displaySince ?? null;
  return since === null ? null : formatDuration(Math.max(0, snapshot.time - since));
}

/**
 * How far back the filtered counts reach when not to the start of the capture: the runtime re-applies a
 * new display filter to the packets its ring still holds (or, without a ring, counts from the change).
 */
export function reachText(snapshot: Snapshot, filter: string | null): string | null {
  const span = reachSpan(snapshot);
  if (span === null) return null;
  return filter ? `filter applied to the last ${span} (ring)` : `counts cover the last ${span} (ring)`;
}

/** Most lines the header takes on a terminal too narrow for its three. */
const MAX_LINES = 6;

export function headerLines(props: HeaderProps): Line[] {
  const { snapshot, unit, width } = props;
  const filter = props.displayFilter ?? snapshot.source.displayFilter;
  const first: HeaderField[] = [{ forms: ['wiretop'], tone: 'title', gap: 1 }];
  if (props.isPaused || snapshot.paused === true) first.push({ forms: [' PAUSED '], tone: 'warn', gap: 1 });
  if (snapshot.source.ended) first.push({ forms: [' end of capture '], tone: 'warn', gap: 1 });
  first.push(
    // A long filter is cut (at its end; the filter line shows it whole) before a long file name (in the middle).
    { forms: sourceForms(snapshot.source), rank: 1, cut: { at: 'middle', min: 12 } },
    filter
      ? { forms: [`filter: ${escapeForTerminal(filter)}`], tone: 'ok', cut: { at: 'end', min: 30 } }
      : { forms: ['filter: none'], tone: 'dim' },
  );
  const { totals } = snapshot;
  const elapsed = snapshot.firstSeen === null ? 0 : snapshot.time - snapshot.firstSeen;
  const clock = snapshot.firstSeen === null
    ? ['waiting for packets']
    : [`${formatClock(snapshot.time)} +${formatDuration(elapsed)}`, `${formatClock(snapshot.time).slice(11)} +${formatDuration(elapsed)}`];
  const now = `now ${rateText(snapshot.pps, snapshot.bps, unit)}`;
  const total = `total ${formatCount(totals.packets)} pkts ${formatBytes(totals.bytes)}`;
  const second: HeaderField[] = [
    { forms: clock },
    filter
      ? { forms: [`${now} (all ${rateText(snapshot.rawPps, snapshot.rawBps, unit)})`, `${now} (all ${formatBitRate(snapshot.rawBps, unit)}/s)`], rank: 1 }
      : { forms: [now] },
    filter
      ? { forms: [`${total} of ${formatCount(totals.packetsRead)} pkts ${formatBytes(totals.bytesRead)}`, `${total} of ${formatBytes(totals.bytesRead)}`, `total ${formatBytes(totals.bytes)} of ${formatBytes(totals.bytesRead)}`], rank: 1 }
      : { forms: [total] },
  ];
  const third: HeaderField[] = [];
  const fresh = props.newAlerts ?? null;
  // First, so that the health counters give way before the alerts.
  if (fresh !== null && fresh > 0) third.push({ forms: [` ${formatCount(fresh)} new alert${fresh === 1 ? '' : 's'} (a) `], tone: 'warn', gap: 1, rank: 9 });
  else if (fresh !== null) third.push({ forms: ['alerts: 0 new', 'alerts: 0'], tone: 'dim', rank: 2 });
  const since = reachSpan(snapshot);
  if (since !== null) third.push({ forms: [reachText(snapshot, filter)!, `last ${since} (ring)`], tone: 'warn', rank: 1 });
  third.push(...healthFields(snapshot));
  return [...fitRow(first, width), ...fitRow(second, width), ...fitRow(third, width)].slice(0, MAX_LINES);
}
