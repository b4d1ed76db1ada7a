import { escapeForTerminal } from '../../util/escape.js';
import { padLeft, padRight, truncateEnd } from '../format/text.js';
import { windowStart } from '../panels/list-window.js';
import type { ViewLine } from '../stream/view-lines.js';
import { packetColumns } from './packet-columns.js';
import type { PacketColumn } from './packet-columns.js';
import type { PacketSummary } from './packet-data.js';

function cell(p: PacketSummary, c: PacketColumn): string {
  switch (c.id) {
    case 'no':
      return String(p.no);
    case 'time':
      return p.time.toFixed(6);
    case 'src':
      return escapeForTerminal(p.src);
    case 'dst':
      return escapeForTerminal(p.dst);
    case 'proto':
      return escapeForTerminal(p.proto);
    case 'len':
      return String(p.len);
  }
}

function fit(text: string, c: PacketColumn): string {
  return c.align === 'right' ? padLeft(text, c.width) : padRight(text, c.width);
}

export interface PacketListInput {
  readonly summaries: readonly PacketSummary[];
  readonly selected: number;
  readonly isFocused: boolean;
  readonly width: number;
  /** Rows including the header. */
  readonly height: number;
}

/** Rows visible under the header. */
export function packetListPage(height: number): number {
  return Math.max(1, height - 1);
}

/**
 * Header plus a window of one-line summaries. The selected row is marked `>` (`·` while the tree has
 * the keys) and drawn in inverse video.
 */
export function packetListLines({ summaries, selected, isFocused, width, height }: PacketListInput): ViewLine[] {
  const cols = packetColumns(width);
  const fixed = cols.reduce((n, c) => n + c.width + 1, 2);
  const infoWidth = Math.max(0, width - fixed);
  const header = '  ' + cols.map((c) => fit(c.title, c)).join(' ') + ' ' + padRight('Info', infoWidth);
  const out: ViewLine[] = [[{ text: truncateEnd(header, width), tone: 'header' }]];
  const page = packetListPage(height);
  const from = windowStart(selected, summaries.length, page);
  for (const [k, p] of summaries.slice(from, from + page).entries()) {
    const isSel = from + k === selected;
    const text = cols.map((c) => fit(cell(p, c), c)).join(' ') + ' ' + truncateEnd(escapeForTerminal(p.info), infoWidth);
    const marker = isSel ? (isFocused ? '> ' : '· ') : '  ';
    out.push([{ text: truncateEnd(marker + text, width), tone: isSel ? (isFocused ? 'selected' : 'header') : 'plain' }]);
  }
  if (summaries.length === 0) out.push([{ text: '  (no packets)', tone: 'dim' }]);
  return out;
}
