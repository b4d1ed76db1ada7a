import { resolveStreamKey } from './stream-commands.js';
import type { StreamCommand, StreamKeyMode } from './stream-commands.js';
import { applyLineCommand, insertTyped, openEdit } from './line-edit.js';
import type { LineEdit } from './line-edit.js';
import { STREAM_MODES, blockAtRow } from './stream-layout.js';
import type { StreamMode } from './stream-layout.js';
import type { StreamModel } from './stream-model.js';
import { rowOfMatch } from './stream-search.js';
import { openWritePrompt, writePromptReducer } from './write-prompt-state.js';
import type { WritePromptState } from './write-prompt-state.js';

export interface StreamViewState {
  readonly mode: StreamMode;
  /** First row shown while not following (clamped when drawn). */
  readonly top: number;
  /** Pinned to the end: the shown top is derived from the row count, so new data scrolls in. */
  readonly isFollowing: boolean;
  /** The search line while it is being edited. */
  readonly searchLine: LineEdit | null;
  /** The applied search, or null. */
  readonly query: string | null;
  /** Index of the current match in the model's matches, or -1. */
  readonly matchIndex: number;
  readonly write: WritePromptState | null;
  readonly notice: string | null;
  /** Esc/Backspace asked to leave the view; the owner pops it (as the dashboard's isQuitting). */
  readonly isClosing: boolean;
}

/** Read when a key arrives: the model on screen and the body height. */
export interface StreamKeyContext {
  readonly model: StreamModel;
  readonly pageSize: number;
}

export type StreamViewAction =
  | { readonly type: 'key-pressed'; readonly key: string; readonly input: string; readonly context: StreamKeyContext }
  | { readonly type: 'command-run'; readonly command: StreamCommand; readonly context: StreamKeyContext }
  | { readonly type: 'write-finished'; readonly message: string };

export function initialStreamViewState(init: { readonly mode?: StreamMode; readonly isFollowing?: boolean } = {}): StreamViewState {
  return { mode: init.mode ?? 'ascii', top: 0, isFollowing: init.isFollowing ?? false, searchLine: null, query: null, matchIndex: -1, write: null, notice: null, isClosing: false };
}

export function streamKeyMode(state: StreamViewState): StreamKeyMode {
  if (state.write !== null) return 'write-prompt';
  if (state.searchLine !== null) return 'search-line';
  return 'stream';
}

/** The top row actually shown: the end while following, else `top` kept inside the rows. */
export function shownTop(state: StreamViewState, rowCount: number, pageSize: number): number {
  const last = Math.max(0, rowCount - Math.max(1, pageSize));
  return state.isFollowing ? last : Math.min(Math.max(0, state.top), last);
}

function scrollTo(state: StreamViewState, ctx: StreamKeyContext, to: (top: number, last: number) => number): StreamViewState {
  const rows = ctx.model.layout(state.mode).rows.length;
  const last = Math.max(0, rows - Math.max(1, ctx.pageSize));
  const now = shownTop(state, rows, ctx.pageSize);
  const top = Math.min(Math.max(0, to(now, last)), last);
  // Moving up leaves follow mode (as in less +F); moving down keeps it only if it was on.
  const isFollowing = state.isFollowing && top >= last;
  if (top === state.top && isFollowing === state.isFollowing && state.notice === null) return state;
  return { ...state, top, isFollowing, notice: null };
}

function showMatch(state: StreamViewState, ctx: StreamKeyContext, index: number): StreamViewState {
  const m = ctx.model.matches(state.query)[index];
  if (!m) return state;
  const layout = ctx.model.layout(state.mode);
  const row = rowOfMatch(layout, ctx.model.blocks, m);
  const now = shownTop(state, layout.rows.length, ctx.pageSize);
  const page = Math.max(1, ctx.pageSize);
  const top = row >= now && row < now + page ? now : Math.max(0, row - Math.min(2, page - 1));
  return { ...state, matchIndex: index, top, isFollowing: false, notice: null };
}

function stepMatch(state: StreamViewState, ctx: StreamKeyContext, step: 1 | -1): StreamViewState {
  if (state.query === null) return { ...state, notice: 'no search yet: / searches' };
  const n = ctx.model.matches(state.query).length;
  if (n === 0) return { ...state, notice: `not found: ${state.query}` };
  const from = state.matchIndex < 0 ? (step === 1 ? -1 : 0) : state.matchIndex;
  return showMatch(state, ctx, (from + step + n) % n);
}

function applySearch(state: StreamViewState, ctx: StreamKeyContext, text: string): StreamViewState {
  if (text === '') return { ...state, searchLine: null, query: null, matchIndex: -1, notice: null };
  const cleared = { ...state, searchLine: null, query: text, matchIndex: -1, notice: null };
  const matches = ctx.model.matches(text);
  if (matches.length === 0) return { ...cleared, notice: `not found: ${text}` };
  // The first hit at or below the top of the screen, as less does.
  const layout = ctx.model.layout(state.mode);
  const now = shownTop(state, layout.rows.length, ctx.pageSize);
  let first = matches.findIndex((m) => rowOfMatch(layout, ctx.model.blocks, m) >= now);
  if (first < 0) first = 0;
  return showMatch(cleared, ctx, first);
}

function jumpBlock(state: StreamViewState, ctx: StreamKeyContext, step: 1 | -1): StreamViewState {
  const layout = ctx.model.layout(state.mode);
  const now = shownTop(state, layout.rows.length, ctx.pageSize);
  const starts = layout.blockStart;
  const target = step === 1 ? starts.find((r) => r > now) : [...starts].reverse().find((r) => r < now);
  if (target === undefined) return { ...state, notice: step === 1 ? 'last block' : 'first block' };
  return { ...state, top: target, isFollowing: false, notice: null };
}

function nextMode(state: StreamViewState, ctx: StreamKeyContext): StreamViewState {
  const mode = STREAM_MODES[(STREAM_MODES.indexOf(state.mode) + 1) % STREAM_MODES.length]!;
  const before = ctx.model.layout(state.mode);
  const block = blockAtRow(before, shownTop(state, before.rows.length, ctx.pageSize));
  const top = block < 0 ? 0 : ctx.model.layout(mode).blockStart[block] ?? 0;
  return { ...state, mode, top, notice: null };
}

function defaultPath(ctx: StreamKeyContext): string {
  const s = ctx.model.source;
  return `${s.proto}-stream-${s.index}.bin`;
}

function runCommand(state: StreamViewState, command: StreamCommand, ctx: StreamKeyContext): StreamViewState {
  if (state.write !== null) {
    if (command === 'line.cancel') return state.write.phase === 'writing' ? state : { ...state, write: null };
    if (command === 'line.apply') {
      if (state.write.phase === 'writing' || state.write.edit.text.trim() === '') return state;
      return { ...state, write: { ...state.write, phase: 'writing' } };
    }
    if (command === 'stream-write.direction-next' || command.startsWith('line.')) {
      const write = writePromptReducer(state.write, { type: 'command-run', command: command as 'stream-write.direction-next' });
      return write === state.write ? state : { ...state, write };
    }
    return state;
  }
  if (state.searchLine !== null) {
    if (command === 'line.cancel') return { ...state, searchLine: null };
    if (command === 'line.apply') return applySearch(state, ctx, state.searchLine.text);
    if (command.startsWith('line.')) {
      const searchLine = applyLineCommand(state.searchLine, command as Parameters<typeof applyLineCommand>[1]);
      return searchLine === state.searchLine ? state : { ...state, searchLine };
    }
    return state;
  }
  const page = Math.max(1, ctx.pageSize);
  switch (command) {
    case 'cursor.up':
      return scrollTo(state, ctx, (t) => t - 1);
    case 'cursor.down':
      return scrollTo(state, ctx, (t) => t + 1);
    case 'cursor.page-up':
      return scrollTo(state, ctx, (t) => t - page);
    case 'cursor.page-down':
      return scrollTo(state, ctx, (t) => t + page);
    case 'cursor.top':
      return scrollTo({ ...state, isFollowing: false }, ctx, () => 0);
    case 'cursor.bottom':
      return scrollTo(state, ctx, (_t, last) => last);
    case 'stream.mode-next':
      return nextMode(state, ctx);
    case 'stream.follow-toggle': {
      if (state.isFollowing) {
        const rows = ctx.model.layout(state.mode).rows.length;
        return { ...state, isFollowing: false, top: shownTop(state, rows, ctx.pageSize), notice: null };
      }
      return { ...state, isFollowing: true, notice: null };
    }
    case 'stream.search-open':
      return { ...state, searchLine: openEdit(''), notice: null };
    case 'stream.search-next':
      return stepMatch(state, ctx, 1);
    case 'stream.search-prev':
      return stepMatch(state, ctx, -1);
    case 'stream.block-next':
      return jumpBlock(state, ctx, 1);
    case 'stream.block-prev':
      return jumpBlock(state, ctx, -1);
    case 'drill.out':
      return state.isClosing ? state : { ...state, isClosing: true };
    case 'stream.write-open':
      return { ...state, write: openWritePrompt(defaultPath(ctx)), notice: null };
    default:
      return state;
  }
}

export function streamViewReducer(state: StreamViewState, action: StreamViewAction): StreamViewState {
  switch (action.type) {
    case 'write-finished':
      return { ...state, write: null, notice: action.message };
    case 'command-run':
      return runCommand(state, action.command, action.context);
    case 'key-pressed': {
      const mode = streamKeyMode(state);
      const command = resolveStreamKey(mode, action.key);
      if (command !== null) return runCommand(state, command, action.context);
      if (mode === 'search-line') {
        const searchLine = insertTyped(state.searchLine!, action.input);
        return searchLine === state.searchLine ? state : { ...state, searchLine };
      }
      if (mode === 'write-prompt') {
        const write = writePromptReducer(state.write!, { type: 'text-typed', input: action.input });
        return write === state.write ? state : { ...state, write };
      }
      return state;
    }
  }
}
