import { Box } from 'ink';
import type { ReactElement } from 'react';
import { truncateEnd } from '../format/text.js';
import { ViewLines, viewLine } from '../stream/view-lines.js';
import { fieldTreeLines } from './field-tree-lines.js';
import type { PacketDetail, PacketSummary } from './packet-data.js';
import { packetHexLines } from './packet-hex-lines.js';
import { packetLayout } from './packet-layout.js';
import { packetListLines } from './packet-list-lines.js';
import { selectedFieldIndex, selectedPacketIndex, treeRowsOf } from './packet-view-state.js';
import type { PacketViewState } from './packet-view-state.js';

export const PACKET_HINT = 'Tab list/tree  Enter open/toggle  ←/→ collapse/expand  e/E all  Esc back';

export interface PacketViewProps {
  readonly summaries: readonly PacketSummary[];
  /** Detail of the selected packet (`selectedPacketNo`), or null while it is not available. */
  readonly detail: PacketDetail | null;
  readonly state: PacketViewState;
  readonly width: number;
  readonly height: number;
  readonly isColor: boolean;
}

/** Packet list, field tree and hex dump of the selected packet, as a pure function of data and state. */
export function PacketView({ summaries, detail, state, width, height, isColor }: PacketViewProps): ReactElement {
  const layout = packetLayout(width, height);
  const selected = selectedPacketIndex(state, summaries);
  const rows = treeRowsOf(state, detail);
  const fieldAt = selectedFieldIndex(state, rows);
  const field = fieldAt >= 0 ? rows[fieldAt]!.node : null;
  const highlight = field !== null && field.off >= 0 && field.len > 0 ? ([field.off, field.off + field.len] as const) : null;
  const list = packetListLines({ summaries, selected, isFocused: state.focus === 'list', ...layout.list });
  const title = detail === null ? 'Packet details' : `Packet ${detail.no}: ${detail.bytes.length} bytes captured`
    + (highlight ? `, field at ${highlight[0]}..${highlight[1] - 1}` : '');
  const tree = fieldTreeLines({ title, rows, selected: fieldAt, isFocused: state.focus === 'tree', ...layout.tree });
  const hex = detail === null ? [] : packetHexLines({ bytes: detail.bytes, highlight, ...layout.hex });
  const lower = layout.arrangement === 'side' ? (
    <Box flexDirection="row" columnGap={1}>
      <ViewLines lines={tree} {...layout.tree} isColor={isColor} />
      <ViewLines lines={hex} {...layout.hex} isColor={isColor} />
    </Box>
  ) : (
    <Box flexDirection="column">
      <ViewLines lines={tree} {...layout.tree} isColor={isColor} />
      <ViewLines lines={hex} {...layout.hex} isColor={isColor} />
    </Box>
  );
  return (
    <Box flexDirection="column" width={width} height={height}>
      <ViewLines lines={list} {...layout.list} isColor={isColor} />
      {lower}
      <ViewLines lines={[viewLine(truncateEnd(PACKET_HINT, width), 'dim')]} {...layout.footer} isColor={isColor} />
    </Box>
  );
}
