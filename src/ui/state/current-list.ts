import type { Snapshot } from '../../engine/snapshot.js';
import { protocolRows } from '../rows/protocol-rows.js';
import { hostConversationRows, talkerRows } from '../rows/talker-rows.js';
import type { TalkerRow } from '../rows/talker-rows.js';
import type { ProtocolRow } from '../../engine/snapshot.js';
import { topNav } from './ui-state.js';
import type { Cursor, UiState } from './ui-state.js';

export type ListRows =
  | { readonly id: string; readonly kind: 'talkers'; readonly rows: readonly TalkerRow[] }
  | { readonly id: string; readonly kind: 'protocols'; readonly rows: readonly ProtocolRow[] };

/** The talkers list on screen: the view's rows, or a drilled-into host's conversations. */
export function talkerList(state: UiState, snapshot: Snapshot): ListRows {
  const nav = topNav(state);
  if (nav?.kind === 'host') {
    return { id: `host:${nav.addr}`, kind: 'talkers', rows: hostConversationRows(snapshot, nav.addr, state.sort) };
  }
  return { id: state.view, kind: 'talkers', rows: talkerRows(snapshot, state.view, state.sort) };
}

export function protocolList(snapshot: Snapshot): ListRows {
  return { id: 'protocols', kind: 'protocols', rows: protocolRows(snapshot) };
}

/** The list the cursor keys act on, or null when the screen has none (conversation detail). */
export function activeList(state: UiState, snapshot: Snapshot): ListRows | null {
  const nav = topNav(state);
  if (nav?.kind === 'conversation') return null;
  return state.focus === 'protocols' ? protocolList(snapshot) : talkerList(state, snapshot);
}

export function rowKey(list: ListRows, index: number): string {
  return list.kind === 'talkers' ? list.rows[index]!.key : list.rows[index]!.path;
}

/** Where the cursor is in this list now: the row with its key, else its old index clamped. */
export function cursorIndex(list: ListRows, cursor: Cursor | undefined): number {
  const n = list.rows.length;
  if (n === 0) return -1;
  if (!cursor) return 0;
  if (cursor.key !== null) {
    for (let i = 0; i < n; i++) if (rowKey(list, i) === cursor.key) return i;
  }
  return Math.min(Math.max(0, cursor.index), n - 1);
}
