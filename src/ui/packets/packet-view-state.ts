import { allParentKeys, visibleTreeRows } from './field-tree.js';
import type { Expanded, TreeRow } from './field-tree.js';
import { resolvePacketKey } from './packet-commands.js';
import type { PacketCommand } from './packet-commands.js';
import { indexOfPacket } from './packet-data.js';
import type { PacketDetail, PacketSummary } from './packet-data.js';

export type PacketPane = 'list' | 'tree';

/** A selection kept by key (packet number, tree path) with its last index as a fallback. */
export interface Selection<K> {
  readonly key: K;
  readonly index: number;
}

export interface PacketViewState {
  readonly focus: PacketPane;
  readonly packet: Selection<number> | null;
  readonly field: Selection<string> | null;
  /** Expanded tree paths; kept across packets, so the same layers stay open while browsing. */
  readonly expanded: Expanded;
  readonly isClosing: boolean;
}

/** Read when a key arrives. */
export interface PacketKeyContext {
  readonly summaries: readonly PacketSummary[];
  readonly detail: PacketDetail | null;
  readonly listPage: number;
  readonly treePage: number;
}

export type PacketViewAction =
  | { readonly type: 'key-pressed'; readonly key: string; readonly context: PacketKeyContext }
  | { readonly type: 'command-run'; readonly command: PacketCommand; readonly context: PacketKeyContext };

export function initialPacketViewState(init: { readonly packetNo?: number; readonly expanded?: readonly string[] } = {}): PacketViewState {
  const expanded: Record<string, true> = {};
  for (const k of init.expanded ?? []) expanded[k] = true;
  return { focus: 'list', packet: init.packetNo === undefined ? null : { key: init.packetNo, index: 0 }, field: null, expanded, isClosing: false };
}

/** Index of the selected packet in the list (last one if the selection is gone, first if none). */
export function selectedPacketIndex(state: PacketViewState, summaries: readonly PacketSummary[]): number {
  if (summaries.length === 0) return -1;
  if (state.packet === null) return 0;
  const i = indexOfPacket(summaries, state.packet.key);
  return i >= 0 ? i : Math.min(state.packet.index, summaries.length - 1);
}

/** The selected packet's number, for the wiring to fetch its detail. */
export function selectedPacketNo(state: PacketViewState, summaries: readonly PacketSummary[]): number | null {
  const i = selectedPacketIndex(state, summaries);
  return i < 0 ? null : summaries[i]!.no;
}

export function treeRowsOf(state: PacketViewState, detail: PacketDetail | null): TreeRow[] {
  return detail === null ? [] : visibleTreeRows(detail.tree, state.expanded);
}

export function selectedFieldIndex(state: PacketViewState, rows: readonly TreeRow[]): number {
  if (rows.length === 0) return -1;
  if (state.field === null) return 0;
  const i = rows.findIndex((r) => r.key === state.field!.key);
  return i >= 0 ? i : Math.min(state.field.index, rows.length - 1);
}

function movePacket(state: PacketViewState, ctx: PacketKeyContext, to: (i: number, n: number) => number): PacketViewState {
  const n = ctx.summaries.length;
  if (n === 0) return state;
  const at = selectedPacketIndex(state, ctx.summaries);
  const next = Math.min(Math.max(0, to(at, n)), n - 1);
  const key = ctx.summaries[next]!.no;
  if (next === at && (state.packet === null || (state.packet.key === key && state.packet.index === next))) return state;
  return { ...state, packet: { key, index: next } };
}

function moveField(state: PacketViewState, ctx: PacketKeyContext, to: (i: number, n: number, rows: readonly TreeRow[]) => number): PacketViewState {
  const rows = treeRowsOf(state, ctx.detail);
  if (rows.length === 0) return state;
  const at = selectedFieldIndex(state, rows);
  const next = Math.min(Math.max(0, to(at, rows.length, rows)), rows.length - 1);
  const key = rows[next]!.key;
  if (next === at && (state.field === null || (state.field.key === key && state.field.index === next))) return state;
  return { ...state, field: { key, index: next } };
}

function setExpanded(state: PacketViewState, key: string, isOpen: boolean): PacketViewState {
  if ((state.expanded[key] === true) === isOpen) return state;
  const expanded = { ...state.expanded };
  if (isOpen) expanded[key] = true;
  else delete expanded[key];
  return { ...state, expanded };
}

function currentRow(state: PacketViewState, ctx: PacketKeyContext): TreeRow | null {
  const rows = treeRowsOf(state, ctx.detail);
  const i = selectedFieldIndex(state, rows);
  return i < 0 ? null : rows[i]!;
}

function expand(state: PacketViewState, ctx: PacketKeyContext): PacketViewState {
  const row = currentRow(state, ctx);
  if (row === null || !row.hasChildren) return state;
  if (!row.isExpanded) return setExpanded(state, row.key, true);
  return moveField(state, ctx, (i) => i + 1);
}

function collapse(state: PacketViewState, ctx: PacketKeyContext): PacketViewState {
  const row = currentRow(state, ctx);
  if (row === null) return state;
  if (row.isExpanded) return setExpanded(state, row.key, false);
  if (row.parent === null) return state;
  const parent = row.parent;
  return moveField(state, ctx, (_i, _n, rows) => rows.findIndex((r) => r.key === parent));
}

function runCommand(state: PacketViewState, command: PacketCommand, ctx: PacketKeyContext): PacketViewState {
  const inTree = state.focus === 'tree';
  const move = (to: (i: number, n: number) => number): PacketViewState => (inTree ? moveField(state, ctx, to) : movePacket(state, ctx, to));
  const page = Math.max(1, inTree ? ctx.treePage : ctx.listPage);
  switch (command) {
    case 'cursor.up':
      return move((i) => i - 1);
    case 'cursor.down':
      return move((i) => i + 1);
    case 'cursor.page-up':
      return move((i) => i - page);
    case 'cursor.page-down':
      return move((i) => i + page);
    case 'cursor.top':
      return move(() => 0);
    case 'cursor.bottom':
      return move((_i, n) => n - 1);
    case 'panel.next':
    case 'panel.prev':
      return { ...state, focus: inTree ? 'list' : 'tree' };
    case 'packets.toggle': {
      if (!inTree) return { ...state, focus: 'tree' };
      const row = currentRow(state, ctx);
      return row === null || !row.hasChildren ? state : setExpanded(state, row.key, !row.isExpanded);
    }
    case 'packets.expand':
      return inTree ? expand(state, ctx) : { ...state, focus: 'tree' };
    case 'packets.collapse':
      return inTree ? collapse(state, ctx) : state;
    case 'packets.expand-all': {
      if (ctx.detail === null) return state;
      const expanded: Record<string, true> = { ...state.expanded };
      for (const k of allParentKeys(ctx.detail.tree)) expanded[k] = true;
      return { ...state, expanded };
    }
    case 'packets.collapse-all':
      return Object.keys(state.expanded).length === 0 ? state : { ...state, expanded: {}, field: state.field && { key: state.field.key.split('.')[0]!, index: 0 } };
    case 'drill.out':
      if (inTree) return { ...state, focus: 'list' };
      return state.isClosing ? state : { ...state, isClosing: true };
    default:
      return state;
  }
}

export function packetViewReducer(state: PacketViewState, action: PacketViewAction): PacketViewState {
  if (action.type === 'command-run') return runCommand(state, action.command, action.context);
  const command = resolvePacketKey(action.key);
  return command === null ? state : runCommand(state, command, action.context);
}
