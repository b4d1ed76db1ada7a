import { useEffect, useMemo, useReducer, useRef } from 'react';
import type { ReactElement } from 'react';
import { fieldTreePage } from './field-tree-lines.js';
import type { PacketDetail, PacketSummary } from './packet-data.js';
import { packetLayout } from './packet-layout.js';
import { packetListPage } from './packet-list-lines.js';
import { PacketView } from './packet-view.js';
import { initialPacketViewState, packetViewReducer, selectedPacketNo } from './packet-view-state.js';
import type { PacketKeyContext, PacketViewState } from './packet-view-state.js';
import { usePacketViewInput } from './use-packet-view-input.js';

export interface PacketViewAppProps {
  readonly summaries: readonly PacketSummary[];
  /** Detail of one packet (bytes + `packetTree`), or null if it is no longer held. Called for the selected packet only. */
  readonly detailOf: (no: number) => PacketDetail | null;
  readonly width: number;
  readonly height: number;
  readonly isColor: boolean;
  readonly isActive?: boolean;
  readonly initialState?: PacketViewState;
  readonly onClose?: () => void;
}

/** The packet view with its own state and keys, ready to mount as a drill-down body. */
export function PacketViewApp({ summaries, detailOf, width, height, isColor, isActive = true, initialState, onClose }: PacketViewAppProps): ReactElement {
  const [state, dispatch] = useReducer(packetViewReducer, initialState ?? initialPacketViewState());
  const no = selectedPacketNo(state, summaries);
  // Dissect the selected packet once per selection, not once per frame.
  const detail = useMemo(() => (no === null ? null : detailOf(no)), [no, detailOf]);
  const layout = packetLayout(width, height);
  const context = useRef<PacketKeyContext>({ summaries, detail, listPage: 1, treePage: 1 });
  context.current = { summaries, detail, listPage: packetListPage(layout.list.height), treePage: fieldTreePage(layout.tree.height) };
  usePacketViewInput(dispatch, context, isActive);
  useEffect(() => {
    if (state.isClosing) onClose?.();
  }, [state.isClosing, onClose]);
  return <PacketView summaries={summaries} detail={detail} state={state} width={width} height={height} isColor={isColor} />;
}
