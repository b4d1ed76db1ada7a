import type { Snapshot } from '../../engine/snapshot.js';
import type { UiSnapshot } from '../store/ui-snapshot.js';
import { resolveCommand } from '../commands.js';
import type { CommandName, InputMode } from '../commands.js';
import { activeList, cursorIndex, rowKey } from './current-list.js';
import { combineFilter, protocolExpr, talkerExpr } from './filter-exprs.js';
import { editLine, insertText, openLine, pushHistory } from './filter-line-state.js';
import type { Completer } from './filter-line-state.js';
import { HISTORY_LIMIT, PANELS, topNav } from './ui-state.js';
import type { NavEntry, UiState } from './ui-state.js';
import { protocolRows } from '../rows/protocol-rows.js';
import { exportFinished, exportPromptKey, openExport } from '../export/export-prompt-state.js';
import type { ExportOutcome } from '../export/export-target.js';
import type { DriverView } from '../store/drivers.js';
import { driversExpr } from './driver-exprs.js';

export type FilterCheck = { readonly ok: true } | { readonly ok: false; readonly column: number; readonly message: string };
export type FilterValidator = (text: string) => FilterCheck;

/** What a key needs to know about the screen; read at the moment the key arrives. */
export interface KeyContext {
  readonly snapshot: UiSnapshot;
  /** Rows visible in the active list, for PgUp/PgDn. */
  readonly pageSize: number;
  /** Pages the help overlay takes at the current size (1 when absent). */
  readonly helpPages?: number;
  /** Drivers of the meter whose drill-down is on screen (what `f` filters to there). */
  readonly drivers?: readonly DriverView[];
}

export type UiAction =
  | { readonly type: 'key-pressed'; readonly key: string; readonly input: string; readonly context: KeyContext }
  | { readonly type: 'command-run'; readonly command: CommandName; readonly context: KeyContext }
  /** A view with its own keys (stream view) closed itself: go back one level. */
  | { readonly type: 'view-closed'; readonly kind: NavEntry['kind'] }
  | { readonly type: 'notice-shown'; readonly text: string }
  | { readonly type: 'notice-cleared' }
  /** The `W` prompt's write finished (or found the file there). */
  | { readonly type: 'export-finished'; readonly outcome: ExportOutcome };

export interface ReducerDeps {
  readonly validate: FilterValidator;
  readonly complete: Completer;
}

const VIEWS = ['hosts', 'conversations', 'ports'] as const;

export function inputMode(state: UiState): InputMode {
  if (state.isHelpOpen) return 'help';
  if (state.filterLine !== null) return 'filter-line';
  return 'normal';
}

function moveCursor(state: UiState, ctx: KeyContext, to: (index: number, count: number) => number): UiState {
  const list = activeList(state, ctx.snapshot);
  if (list === null || list.rows.length === 0) return state;
  const at = cursorIndex(list, state.cursors[list.id]);
  const next = Math.min(Math.max(0, to(at, list.rows.length)), list.rows.length - 1);
  const cur = state.cursors[list.id];
  const key = rowKey(list, next);
  if (cur && cur.index === next && cur.key === key) return state;
  return { ...state, cursors: { ...state.cursors, [list.id]: { key, index: next } } };
}

function selected(state: UiState, ctx: KeyContext) {
  const list = activeList(state, ctx.snapshot);
  if (list === null || list.rows.length === 0) return null;
  const i = cursorIndex(list, state.cursors[list.id]);
  if (list.kind === 'talkers') return { kind: 'talker' as const, row: list.rows[i]! };
  if (list.kind === 'protocols') return { kind: 'protocol' as const, row: list.rows[i]! };
  return null;
}

/** The conversation a view key applies to: the one on screen, else the selected row's. */
function conversationTarget(state: UiState, ctx: KeyContext): string | null {
  const nav = topNav(state);
  if (nav?.kind === 'conversation' || nav?.kind === 'stream') return nav.id;
  if (nav?.kind === 'packets') return nav.id;
  const sel = selected(state, ctx);
  return sel?.kind === 'talker' && sel.row.kind === 'conversation' ? sel.row.conv.id : null;
}

function sameEntry(a: NavEntry | null, b: NavEntry): boolean {
  if (a === null || a.kind !== b.kind) return false;
  return ('id' in a ? a.id : null) === ('id' in b ? b.id : null);
}

/** Everything raised so far counts as seen. */
function markAlertsSeen(state: UiState, ctx: KeyContext): UiState {
  const raised = ctx.snapshot.baseline?.raised ?? state.alertsSeen;
  return raised === state.alertsSeen ? state : { ...state, alertsSeen: raised };
}

/** Opens a view over the current screen; the same key again closes it. */
function toggleView(state: UiState, entry: NavEntry, ctx: KeyContext): UiState {
  const isOpen = sameEntry(topNav(state), entry);
  const next: UiState = { ...state, nav: isOpen ? state.nav.slice(0, -1) : [...state.nav, entry], notice: null };
  return entry.kind === 'alerts' ? markAlertsSeen(next, ctx) : next;
}

function openConversationView(state: UiState, kind: 'stream' | 'packets', ctx: KeyContext): UiState {
  const id = conversationTarget(state, ctx);
  if (kind === 'stream' && id === null) return { ...state, notice: 's opens the stream of a conversation: select one first (t: conversations)' };
  const entry: NavEntry = kind === 'stream' ? { kind, id: id! } : { kind, id };
  if (sameEntry(topNav(state), entry)) return state;
  return { ...state, nav: [...state.nav, entry], notice: null };
}

function applyFilter(state: UiState, text: string, deps: ReducerDeps): UiState {
  const trimmed = text.trim();
  if (trimmed === '') return { ...state, filterLine: null, displayFilter: null, notice: null };
  const check = deps.validate(trimmed);
  if (!check.ok) return { ...state, filterLine: openLine(trimmed), notice: null };
  return {
    ...state,
    filterLine: null,
    displayFilter: trimmed,
    history: pushHistory(state.history, trimmed, HISTORY_LIMIT),
    notice: null,
  };
}

function narrow(state: UiState, ctx: KeyContext, isExclude: boolean, deps: ReducerDeps): UiState {
  if (topNav(state)?.kind === 'drivers') {
    const expr = driversExpr(ctx.drivers ?? []);
    if (expr === null) return { ...state, notice: 'no drivers to filter on' };
    // Applied: back to the main screen to see what the filter leaves; rejected: the filter line shows why.
    const next = applyFilter(state, combineFilter(state.displayFilter, expr, isExclude), deps);
    return next.filterLine === null ? { ...next, nav: next.nav.slice(0, -1) } : next;
  }
  const sel = selected(state, ctx);
  if (sel === null) return { ...state, notice: 'nothing selected to filter on' };
  const expr = sel.kind === 'talker' ? talkerExpr(sel.row) : protocolExpr(sel.row);
  return applyFilter(state, combineFilter(state.displayFilter, expr, isExclude), deps);
}

function drillIn(state: UiState, ctx: KeyContext): UiState {
  const list = activeList(state, ctx.snapshot);
  if (list?.kind === 'meters' && list.rows.length > 0) {
    const metric = list.rows[cursorIndex(list, state.cursors[list.id])]!.name;
    return { ...state, nav: [...state.nav, { kind: 'drivers', metric }], notice: null };
  }
  const sel = selected(state, ctx);
  if (sel === null) return state;
  if (sel.kind === 'protocol') return sel.row.path === state.chartPath ? state : { ...state, chartPath: sel.row.path };
  const row = sel.row;
  if (row.kind === 'host') return { ...state, nav: [...state.nav, { kind: 'host', addr: row.host.addr }], notice: null };
  if (row.kind === 'conversation') return { ...state, nav: [...state.nav, { kind: 'conversation', id: row.conv.id }], notice: null };
  return { ...state, notice: 'ports have no drill-down: f narrows the filter to one' };
}

function nextChart(state: UiState, snapshot: Snapshot): UiState {
  const paths = ['', ...protocolRows(snapshot).map((p) => p.path)];
  const at = paths.indexOf(state.chartPath);
  return { ...state, chartPath: paths[(at + 1) % paths.length]! };
}

function runCommand(state: UiState, command: CommandName, ctx: KeyContext, deps: ReducerDeps): UiState {
  switch (command) {
    case 'quit':
      return state.isQuitting ? state : { ...state, isQuitting: true };
    case 'help.toggle':
      return { ...state, isHelpOpen: !state.isHelpOpen, helpPage: 0 };
    case 'help.page-down': {
      const last = Math.max(0, (ctx.helpPages ?? 1) - 1);
      return state.helpPage >= last ? state : { ...state, helpPage: state.helpPage + 1 };
    }
    case 'help.page-up': {
      // The page drawn is kept inside the page count, which shrinks when the terminal grows: go back from it.
      const shown = Math.min(state.helpPage, Math.max(0, (ctx.helpPages ?? 1) - 1));
      return shown === 0 && state.helpPage === 0 ? state : { ...state, helpPage: Math.max(0, shown - 1) };
    }
    case 'help.close':
      return { ...state, isHelpOpen: false };
    case 'panel.next':
    case 'panel.prev': {
      const panels = state.lowerPanel === 'meters' ? [...PANELS, 'meters' as const] : PANELS;
      const step = command === 'panel.next' ? 1 : panels.length - 1;
      return { ...state, focus: panels[(Math.max(0, panels.indexOf(state.focus)) + step) % panels.length]! };
    }
    case 'cursor.up':
      return moveCursor(state, ctx, (i) => i - 1);
    case 'cursor.down':
      return moveCursor(state, ctx, (i) => i + 1);
    case 'cursor.page-up':
      return moveCursor(state, ctx, (i) => i - Math.max(1, ctx.pageSize));
    case 'cursor.page-down':
      return moveCursor(state, ctx, (i) => i + Math.max(1, ctx.pageSize));
    case 'cursor.top':
      return moveCursor(state, ctx, () => 0);
    case 'cursor.bottom':
      return moveCursor(state, ctx, (_i, n) => n - 1);
    case 'drill.in':
      return drillIn(state, ctx);
    case 'drill.out': {
      if (state.nav.length === 0) return state.notice === null ? state : { ...state, notice: null };
      const back = { ...state, nav: state.nav.slice(0, -1) };
      return topNav(state)?.kind === 'alerts' ? markAlertsSeen(back, ctx) : back;
    }
    case 'view.next':
      return { ...state, view: VIEWS[(VIEWS.indexOf(state.view) + 1) % VIEWS.length]!, nav: [], focus: 'talkers' };
    case 'sort.r2':
      return { ...state, sort: 'r2' };
    case 'sort.r10':
      return { ...state, sort: 'r10' };
    case 'sort.r40':
      return { ...state, sort: 'r40' };
    case 'sort.total':
      return { ...state, sort: 'total' };
    case 'unit.toggle':
      return { ...state, unit: state.unit === 'bits' ? 'bytes' : 'bits' };
    case 'pause.toggle':
      return { ...state, isPaused: !state.isPaused };
    case 'names.toggle':
      return { ...state, isNamesOn: !state.isNamesOn };
    case 'chart.next':
      return nextChart(state, ctx.snapshot);
    case 'meters.toggle':
      if (state.lowerPanel === 'meters') return { ...state, lowerPanel: 'chart', focus: state.focus === 'meters' ? 'talkers' : state.focus };
      return { ...state, lowerPanel: 'meters' };
    case 'alerts.open':
      return toggleView(state, { kind: 'alerts' }, ctx);
    case 'health.open':
      return toggleView(state, { kind: 'health' }, ctx);
    case 'stream.open':
      return openConversationView(state, 'stream', ctx);
    case 'packets.open':
      return openConversationView(state, 'packets', ctx);
    case 'filter.open':
      return { ...state, filterLine: openLine(state.displayFilter ?? ''), notice: null };
    case 'filter.narrow':
      return narrow(state, ctx, false, deps);
    case 'filter.exclude':
      return narrow(state, ctx, true, deps);
    case 'export.open':
      return openExport(state, ctx.snapshot);
    case 'filter.clear':
      return state.displayFilter === null ? state : { ...state, displayFilter: null, notice: null };
    case 'line.apply':
      return state.filterLine === null ? state : applyFilter(state, state.filterLine.text, deps);
    case 'line.cancel':
      return { ...state, filterLine: null };
    default: {
      if (state.filterLine === null) return state;
      const line = editLine(state.filterLine, command, state.history, deps.complete);
      return line === state.filterLine ? state : { ...state, filterLine: line };
    }
  }
}

export function createUiReducer(deps: ReducerDeps): (state: UiState, action: UiAction) => UiState {
  return (state, action) => {
    switch (action.type) {
      case 'key-pressed': {
        // A notice answers the previous key; the next key dismisses it (and may set another).
        if (state.notice !== null) state = { ...state, notice: null };
        if (state.exportPrompt !== null) return exportPromptKey(state, action.key, action.input);
        const mode = inputMode(state);
        const command = resolveCommand(mode, action.key);
        if (command !== null) return runCommand(state, command, action.context, deps);
        if (mode === 'filter-line' && state.filterLine !== null && !action.key.startsWith('ctrl+')) {
          const text = action.key === 'space' ? ' ' : action.input;
          const line = insertText(state.filterLine, text);
          return line === state.filterLine ? state : { ...state, filterLine: line };
        }
        return state;
      }
      case 'command-run':
        return runCommand(state, action.command, action.context, deps);
      case 'view-closed':
        return topNav(state)?.kind === action.kind ? { ...state, nav: state.nav.slice(0, -1) } : state;
      case 'notice-shown':
        return state.notice === action.text ? state : { ...state, notice: action.text };
      case 'notice-cleared':
        return state.notice === null ? state : { ...state, notice: null };
      case 'export-finished':
        return exportFinished(state, action.outcome);
    }
  };
}

export { topNav };
