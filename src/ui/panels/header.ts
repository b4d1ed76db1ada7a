import type { Snapshot } from '../../engine/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { truncateEnd } from '../format/text.js';
import { formatClock, formatDuration } from '../format/time.js';
import { formatBitRate, formatBytes, formatCount } from '../format/units.js';
import type { RateUnit } from '../format/units.js';
import type { Line, Segment } from './lines.js';

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

/** Cut segments so the whole line fits `width`. */
function fit(segments: readonly Segment[], width: number): Line {
  const out: Segment[] = [];
  let left = width;
  for (const s of segments) {
    if (left <= 0) break;
    const text = truncateEnd(s.text, left);
    out.push({ text, tone: s.tone });
    left -= Array.from(text).length;
  }
  return out;
}

function sourceText(s: Snapshot['source']): string {
  const name = escapeForTerminal(s.name || '-');
  const kind = s.kind === 'interface' ? 'if' : s.kind === 'stdin' ? 'stdin' : s.kind === 'demo' ? 'demo' : 'file';
  const cap = s.captureFilter ? ` [capture: ${escapeForTerminal(s.captureFilter)}]` : '';
  return `${kind} ${name}${cap}`;
}

function rateText(pps: number, bps: number, unit: RateUnit): string {
  return `${formatCount(pps)} pkt/s ${formatBitRate(bps, unit)}/s`;
}

function healthText(snapshot: Snapshot): string {
  const { source, totals } = snapshot;
  const drops = source.dropped === null
    ? `drops: n/a${source.dropNote ? ` (${escapeForTerminal(source.dropNote)})` : ''}`
    : `dropped: ${formatCount(source.dropped)}${source.dropNote ? ` (${escapeForTerminal(source.dropNote)})` : ''}`;
  const parts = [
    drops,
    // The reasons are one key away; say so where the count is.
    `malformed: ${formatCount(totals.malformed)}${totals.malformed > 0 ? ' (h)' : ''}`,
    `flows: ${formatCount(totals.flowsTracked)} tracked, ${formatCount(totals.flowsEvicted)} evicted` +
      (totals.flowsExpired === undefined ? '' : `, ${formatCount(totals.flowsExpired)} expired`),
    `hosts: ${formatCount(totals.hostsTracked)}`,
  ];
  if (source.warnings.length > 0) parts.push(`warnings: ${source.warnings.length}`);
  return parts.join('  ');
}

/**
 * How far back the filtered counts reach when not to the start of the capture: the runtime re-applies a
 * new display filter to the packets its ring still holds (or, without a ring, counts from the change).
 */
export function reachText(snapshot: Snapshot, filter: string | null): string | null {
  const since = snapshot.displaySince ?? null;
  if (since === null) return null;
  const span = formatDuration(Math.max(0, snapshot.time - since));
  return filter ? `filter applied to the last ${span} (ring)` : `counts cover the last ${span} (ring)`;
}

export function headerLines(props: HeaderProps): Line[] {
  const { snapshot, unit, width } = props;
  const filter = props.displayFilter ?? snapshot.source.displayFilter;
  const markers: Segment[] = [];
  if (props.isPaused || snapshot.paused === true) markers.push({ text: ' PAUSED ', tone: 'warn' }, { text: ' ' });
  if (snapshot.source.ended) markers.push({ text: ' end of capture ', tone: 'warn' }, { text: ' ' });
  const first: Segment[] = [
    { text: 'wiretop ', tone: 'title' },
    ...markers,
    { text: sourceText(snapshot.source) },
    { text: filter ? `  filter: ${escapeForTerminal(filter)}` : '  filter: none', tone: filter ? 'ok' : 'dim' },
  ];
  const { totals } = snapshot;
  const elapsed = snapshot.firstSeen === null ? 0 : snapshot.time - snapshot.firstSeen;
  const clock = snapshot.firstSeen === null ? 'waiting for packets' : `${formatClock(snapshot.time)} +${formatDuration(elapsed)}`;
  const now = filter
    ? `now ${rateText(snapshot.pps, snapshot.bps, unit)} (all ${rateText(snapshot.rawPps, snapshot.rawBps, unit)})`
    : `now ${rateText(snapshot.pps, snapshot.bps, unit)}`;
  const total = filter
    ? `total ${formatCount(totals.packets)} pkts ${formatBytes(totals.bytes)} of ${formatCount(totals.packetsRead)} pkts ${formatBytes(totals.bytesRead)}`
    : `total ${formatCount(totals.packets)} pkts ${formatBytes(totals.bytes)}`;
  const second: Segment[] = [{ text: `${clock}  ` }, { text: now }, { text: `  ${total}` }];
  const third: Segment[] = [];
  const fresh = props.newAlerts ?? null;
  // First, so that a narrow terminal cuts the health counters rather than the alerts.
  if (fresh !== null && fresh > 0) third.push({ text: ` ${formatCount(fresh)} new alert${fresh === 1 ? '' : 's'} (a) `, tone: 'warn' }, { text: ' ' });
  else if (fresh !== null) third.push({ text: 'alerts: 0 new  ', tone: 'dim' });
  const reach = reachText(snapshot, filter);
  if (reach !== null) third.push({ text: reach, tone: 'warn' }, { text: '  ' });
  third.push({ text: healthText(snapshot), tone: 'dim' });
  return [fit(first, width), fit(second, width), fit(third, width)];
}
