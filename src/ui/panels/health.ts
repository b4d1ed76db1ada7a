import { escapeForTerminal } from '../../util/escape.js';
import { padRight, truncateEnd, wrapWords } from '../format/text.js';
import { formatBytes, formatCount } from '../format/units.js';
import type { UiSnapshot } from '../store/ui-snapshot.js';
import { line } from './lines.js';
import type { Line } from './lines.js';

export interface HealthProps {
  readonly snapshot: UiSnapshot;
  readonly width: number;
  readonly height: number;
}

/**
 * Capture health in full: what the header's third line sums up. Malformed packets are listed by
 * reason, most frequent first, because "malformed: 212" alone does not say what to look at.
 */
export function healthLines({ snapshot, width, height }: HealthProps): Line[] {
  const { source, totals } = snapshot;
  const esc = escapeForTerminal;
  const out: Line[] = [line(padRight(' Capture health (h or Esc back) ', width), 'title-focused')];
  const body: Line[] = [];
  const kv = (k: string, v: string): void => {
    body.push(line(truncateEnd(`  ${padRight(k, 16)} ${v}`, width)));
  };
  kv('source', `${source.kind} ${esc(source.name || '-')}${source.linkTypes.length ? `  link ${source.linkTypes.map((l) => esc(l)).join(', ')}` : ''}`);
  kv('read', `${formatCount(totals.packetsRead)} pkts ${formatBytes(totals.bytesRead)}${source.ended ? '  (end of capture)' : ''}`);
  kv('dropped', source.dropped === null ? `n/a${source.dropNote ? ` (${esc(source.dropNote)})` : ''}` : `${formatCount(source.dropped)}${source.dropNote ? ` (${esc(source.dropNote)})` : ''}`);
  kv('flows', `${formatCount(totals.flowsTracked)} tracked, ${formatCount(totals.flowsEvicted)} evicted${totals.flowsExpired === undefined ? '' : `, ${formatCount(totals.flowsExpired)} expired`}`);
  kv('hosts', `${formatCount(totals.hostsTracked)} tracked, ${formatCount(totals.hostsEvicted)} evicted`);
  // The note is a sentence: wrapped under its value column, not cut.
  if (snapshot.baseline) {
    for (const [i, t] of wrapWords(esc(snapshot.baseline.note) || '-', width - 19).entries()) body.push(line(`  ${padRight(i === 0 ? 'baseline' : '', 16)} ${t}`));
  }
  body.push(line(padRight(` Malformed packets: ${formatCount(totals.malformed)}`, width), 'header'));
  const reasons = [...snapshot.malformedReasons].sort((a, b) => b.count - a.count);
  if (reasons.length === 0) body.push(line('  (none)', 'dim'));
  for (const r of reasons) body.push(line(truncateEnd(`  ${formatCount(r.count).padStart(6)}  ${esc(r.reason)}`, width)));
  body.push(line(padRight(` Source warnings: ${source.warnings.length}`, width), 'header'));
  if (source.warnings.length === 0) body.push(line('  (none)', 'dim'));
  for (const w of source.warnings) body.push(line(truncateEnd(`  ${esc(w)}`, width)));
  const room = Math.max(1, height - 1);
  if (body.length > room) return [...out, ...body.slice(0, room - 1), line(`  … ${body.length - room + 1} more lines`, 'dim')];
  return [...out, ...body];
}
