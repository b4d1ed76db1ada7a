import type { Snapshot } from '../../engine/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { padLeft, padRight, truncateMiddle } from '../format/text.js';
import { cellText, columnsFor, columnTitle } from '../layout/talker-columns.js';
import type { ColumnSpec } from '../layout/talker-columns.js';
import type { TalkerRow, TalkerView } from '../rows/talker-rows.js';
import { cursorIndex, talkerList } from '../state/current-list.js';
import { topNav } from '../state/ui-state.js';
import type { UiState } from '../state/ui-state.js';
import { line } from './lines.js';
import type { Line } from './lines.js';
import { windowStart } from './list-window.js';

export type NameOf = (addr: string) => string | undefined;

export interface TalkersProps {
  readonly snapshot: Snapshot;
  readonly state: UiState;
  readonly width: number;
  readonly height: number;
  readonly isFocused: boolean;
  readonly nameOf: NameOf;
}

const MARKER = 2;

function hostLabel(addr: string, nameOf: NameOf): string {
  const name = nameOf(addr);
  return name === undefined ? addr : escapeForTerminal(name);
}

function endpoint(addr: string, port: number | null, nameOf: NameOf, width: number): string {
  const host = hostLabel(addr, nameOf);
  const shown = host.includes(':') && port !== null ? `[${host}]` : host;
  const suffix = port === null ? '' : `:${port}`;
  return truncateMiddle(shown, Math.max(1, width - suffix.length)) + suffix;
}

/** The name column: both ends of a conversation stay visible however narrow it gets. */
export function rowLabel(row: TalkerRow, nameOf: NameOf, width: number): string {
  if (row.kind === 'host') return truncateMiddle(hostLabel(row.host.addr, nameOf), width);
  if (row.kind === 'port') return truncateMiddle(escapeForTerminal(row.port.key), width);
  const c = row.conv;
  const room = width - 3;
  const left = endpoint(c.a, c.aPort, nameOf, Infinity);
  const right = endpoint(c.b, c.bPort, nameOf, Infinity);
  // Each end gets what it needs when the other leaves room; otherwise they share the width.
  const half = Math.max(4, Math.floor(room / 2));
  const leftWidth = right.length <= half ? room - right.length : left.length <= half ? left.length : half;
  const rightWidth = room - Math.min(left.length, leftWidth);
  return truncateMiddle(`${endpoint(c.a, c.aPort, nameOf, Math.max(4, leftWidth))} ↔ ${endpoint(c.b, c.bPort, nameOf, Math.max(4, rightWidth))}`, width);
}

function nameWidth(width: number, columns: readonly ColumnSpec[]): number {
  return Math.max(8, width - MARKER - columns.reduce((n, c) => n + c.width + 1, 0));
}

function title(props: TalkersProps, view: TalkerView, count: number): string {
  const nav = topNav(props.state);
  const sortName = props.state.sort === 'total' ? 'total' : props.state.sort.slice(1) + 's';
  const what = nav?.kind === 'host'
    ? `Conversations of ${hostLabel(nav.addr, props.nameOf)} (Esc back)`
    : `Top talkers: ${view} (t)`;
  const names = props.state.isNamesOn ? '  names on (n)' : '';
  return `${props.isFocused ? '» ' : '  '}${what}  ${count} rows  sort ${sortName}  ${props.state.unit}/s${names} `;
}

export function talkerLines(props: TalkersProps): Line[] {
  const { snapshot, state, width, height } = props;
  const list = talkerList(state, snapshot);
  const rows = list.kind === 'talkers' ? list.rows : [];
  const view: TalkerView = topNav(state)?.kind === 'host' ? 'conversations' : state.view;
  const columns = columnsFor(view, width, state.sort);
  const nw = nameWidth(width, columns);
  const lines: Line[] = [line(padRight(title(props, view, rows.length), width), props.isFocused ? 'title-focused' : 'title')];
  const head = columns
    .map((c) => {
      const t = columnTitle(c.id, view) + (c.sort === state.sort ? '▼' : '');
      return c.align === 'right' ? padLeft(t, c.width) : padRight(t, c.width);
    })
    .join(' ');
  const nameTitle = view === 'hosts' ? 'host' : view === 'ports' ? 'port' : 'conversation';
  lines.push(line(padRight(' '.repeat(MARKER) + padRight(nameTitle, nw) + ' ' + head, width), 'header'));
  const size = Math.max(0, height - 2);
  if (rows.length === 0) {
    // Without a display filter there is nothing to match: the capture has no IP traffic (ARP only...).
    const why = snapshot.firstSeen === null ? '(no packets yet)' : snapshot.source.displayFilter === null ? '(none: talkers count IP traffic only)' : '(nothing matches)';
    lines.push(line(padRight(`  ${why}`, width), 'dim'));
    return lines;
  }
  const selected = cursorIndex(list, state.cursors[list.id]);
  const start = windowStart(selected, rows.length, size);
  const now = snapshot.time;
  for (let i = start; i < Math.min(rows.length, start + size); i++) {
    const row = rows[i]!;
    const cells = columns
      .map((c) => (c.align === 'right' ? padLeft(cellText(row, c.id, state.unit, now), c.width) : padRight(cellText(row, c.id, state.unit, now), c.width)))
      .join(' ');
    const isSel = i === selected;
    const text = padRight(`${isSel ? '> ' : '  '}${padRight(rowLabel(row, props.nameOf, nw), nw)} ${cells}`, width);
    lines.push(line(text, isSel ? (props.isFocused ? 'selected' : 'cursor-row') : 'plain'));
  }
  return lines;
}
