import { escapeForTerminal } from '../../util/escape.js';
import { formatBytes } from '../format/units.js';
import { truncateEnd } from '../format/text.js';
import { MAX_MATCHES } from './stream-search.js';
import type { StreamMode } from './stream-layout.js';
import { SIDE_MARK } from './stream-lines.js';
import type { ViewLine, ViewSegment } from './view-lines.js';

export interface StreamStatusInput {
  readonly bytes: readonly [number, number];
  readonly missing: readonly [number, number];
  readonly dropped: readonly [number, number];
  readonly mode: StreamMode;
  readonly isFollowing: boolean;
  readonly query: string | null;
  readonly matchIndex: number;
  readonly matchCount: number;
  readonly top: number;
  readonly rowCount: number;
  readonly width: number;
}

const MODE_LABEL: Readonly<Record<StreamMode, string>> = { ascii: 'ascii', hex: 'hex', both: 'ascii+hex' };

function sideBytes(d: 0 | 1, s: StreamStatusInput): string {
  const extra = s.missing[d] + s.dropped[d] > 0 ? ` (${formatBytes(s.missing[d] + s.dropped[d])} lost)` : '';
  return `${SIDE_MARK[d]}${formatBytes(s.bytes[d])}${extra}`;
}

function searchText(s: StreamStatusInput): string {
  if (s.query === null) return '';
  const q = truncateEnd(escapeForTerminal(s.query), 16);
  if (s.matchCount === 0) return `/${q} not found`;
  const count = s.matchCount >= MAX_MATCHES ? `${MAX_MATCHES}+` : String(s.matchCount);
  return `/${q} ${s.matchIndex >= 0 ? s.matchIndex + 1 : '-'}/${count}`;
}

/**
 * Bytes per direction (with missing + dropped as `lost`), mode, follow, search and position.
 * Parts are dropped from the right when the line is too narrow, position first.
 */
export function streamStatusLine(s: StreamStatusInput): ViewLine {
  const pos = s.rowCount === 0 ? '' : `row ${Math.min(s.rowCount, s.top + 1)}/${s.rowCount}`;
  const parts: ViewSegment[] = [
    { text: sideBytes(0, s), tone: 'client' },
    { text: sideBytes(1, s), tone: 'server' },
    { text: MODE_LABEL[s.mode] },
    { text: s.isFollowing ? 'follow ON' : 'follow off', tone: s.isFollowing ? 'ok' : 'dim' },
  ];
  const search = searchText(s);
  if (search !== '') parts.push({ text: search, tone: s.matchCount === 0 ? 'error' : 'plain' });
  if (pos !== '') parts.push({ text: pos, tone: 'dim' });
  const out: ViewSegment[] = [];
  let used = 0;
  for (const p of parts) {
    const w = (out.length > 0 ? 2 : 0) + p.text.length;
    if (used + w > s.width) break;
    if (out.length > 0) out.push({ text: '  ' });
    out.push(p);
    used += w;
  }
  return out;
}
