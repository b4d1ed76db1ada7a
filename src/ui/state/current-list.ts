import type { Snapshot } from '../../engine/snapshot.js';
import type { AlertView, MeterView, UiSnapshot } from '../store/ui-snapshot.js';
import { protocolRows } from '../rows/protocol-rows.js';
import { hostConversationRows, talkerRows } from '../rows/talker-rows.js';
import type { TalkerRow } from '../rows/talker-rows.js';
import type { ProtocolRow } from '../../engine/snapshot.js';
import { topNav } from './ui-state.js';
import type { Cursor, UiState } from './ui-state.js';

export type ListRows =
  | { readonly id: string; readonly kind: 'talkers'; readonly rows: readonly TalkerRow[] }
  | { readonly id: string; readonly kind: 'protocols'; readonly rows: readonly ProtocolRow[] }
  | { readonly id: string; readonly kind: 'alerts'; readonly rows: readonly AlertView[] }
  | { readonly id: string; readonly kind: 'meters'; readonly rows: readonly MeterView[] };

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

export function alertList(snapshot: UiSnapshot): ListRows {
  return { id: 'alerts', kind: 'alerts', rows: snapshot.baseline?.alerts ?? [] };
}

export function meterList(snapshot: UiSnapshot): ListRows {
  return { id: 'meters', kind: 'meters', rows: snapshot.baseline?.meters ?? [] };
}

/** The list the cursor keys act on, or null when the screen has none (detail, stream, health). */
export function activeList(state: UiState, snapshot: UiSnapshot): ListRows | null {
  const nav = topNav(state);
  if (nav === null || nav.kind === 'host') {
    if (state.focus === 'meters' && state.lowerPanel === 'meters') return meterList(snapshot);
    return state.focus === 'protocols' ? protocolList(snapshot) : talkerList(state, snapshot);
  }
  return nav.kind === 'alerts' ? alertList(snapshot) : null;
}

export function rowKey(list: ListRows, index: number): string {
  if (list.kind === 'talkers') return list.rows[index]!.key;
  if (list.kind === 'protocols') return list.rows[index]!.path;
  if (list.kind === 'meters') return list.rows[index]!.name;
  const a = list.rows[index]!;
  return `${a.kind}\u0000${a.subject}`;
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
