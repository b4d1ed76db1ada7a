import type { Snapshot } from '../../engine/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { padLeft, padRight } from '../format/text.js';
import { formatBitRate, formatCount, formatShare } from '../format/units.js';
import type { RateUnit } from '../format/units.js';
import { protocolDepth, protocolLeaf } from '../rows/protocol-rows.js';
import { cursorIndex, protocolList } from '../state/current-list.js';
import type { Cursor } from '../state/ui-state.js';
import { line } from './lines.js';
import type { Line } from './lines.js';
import { windowStart } from './list-window.js';

export interface ProtocolTableProps {
  readonly snapshot: Snapshot;
  readonly cursor: Cursor | undefined;
  readonly chartPath: string;
  readonly unit: RateUnit;
  readonly width: number;
  readonly height: number;
  readonly isFocused: boolean;
}

export function protocolLines(props: ProtocolTableProps): Line[] {
  const { width, height } = props;
  const list = protocolList(props.snapshot);
  const rows = list.kind === 'protocols' ? list.rows : [];
  const nameWidth = Math.max(6, width - 3 - 7 - 1 - 7 - 1 - 6 - 1);
  const lines: Line[] = [line(padRight(`${props.isFocused ? '» ' : '  '}Protocols (Enter/p: chart) `, width), props.isFocused ? 'title-focused' : 'title')];
  lines.push(line(padRight(`   ${padRight('protocol', nameWidth)} ${padLeft('pkt/s', 7)} ${padLeft('rate', 7)} ${padLeft('share', 6)}`, width), 'header'));
  if (rows.length === 0) {
    lines.push(line(padRight('   (no packets yet)', width), 'dim'));
    return lines;
  }
  const size = Math.max(0, height - 2);
  const selected = cursorIndex(list, props.cursor);
  const start = windowStart(selected, rows.length, size);
  for (let i = start; i < Math.min(rows.length, start + size); i++) {
    const p = rows[i]!;
    const isSel = i === selected;
    const charted = p.path === props.chartPath ? '*' : ' ';
    const name = '  '.repeat(Math.min(4, protocolDepth(p.path))) + escapeForTerminal(protocolLeaf(p.path));
    const text = `${isSel ? '>' : ' '}${charted} ${padRight(name, nameWidth)} ${padLeft(formatCount(p.pps), 7)} ${padLeft(formatBitRate(p.bps, props.unit), 7)} ${padLeft(formatShare(p.share), 6)}`;
    lines.push(line(padRight(text, width), isSel ? (props.isFocused ? 'selected' : 'cursor-row') : 'plain'));
  }
  return lines;
}
