/** The packet view: what the dashboard needs to mount it and merge its keys. */
export { PacketViewApp } from './packet-view-app.js';
export type { PacketViewAppProps } from './packet-view-app.js';
export { PacketView, PACKET_HINT } from './packet-view.js';
export type { PacketViewProps } from './packet-view.js';
export {
  initialPacketViewState, packetViewReducer, selectedFieldIndex, selectedPacketIndex, selectedPacketNo, treeRowsOf,
} from './packet-view-state.js';
export type { PacketKeyContext, PacketPane, PacketViewAction, PacketViewState } from './packet-view-state.js';
export { PACKET_COMMANDS, PACKETS_REUSED, resolvePacketKey } from './packet-commands.js';
export type { PacketCommand, PacketCommandName } from './packet-commands.js';
export { indexOfPacket } from './packet-data.js';
export type { FieldNode, PacketDetail, PacketSummary } from './packet-data.js';
export { packetLayout } from './packet-layout.js';
export type { PacketLayout } from './packet-layout.js';
export { PACKET_COLUMN_SETS, packetColumns } from './packet-columns.js';
