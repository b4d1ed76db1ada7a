import { COMMANDS, resolveCommand } from '../commands.js';
import { activeList, cursorIndex } from '../state/current-list.js';
import { topNav } from '../state/ui-state.js';
import type { UiState } from '../state/ui-state.js';
import type { UiSnapshot } from '../store/ui-snapshot.js';
import { applyLineCommand, insertTyped, openEdit } from '../stream/line-edit.js';
import type { LineEdit } from '../stream/line-edit.js';
import { conversationTarget, defaultExportPath } from './export-target.js';
import type { ExportOutcome, ExportTarget } from './export-target.js';

/**
 * The `W` prompt at the bottom: the path being edited; `confirm` when that file exists (y
 * overwrites); `writing` once Enter was pressed, until the effect that writes reports back.
 */
export interface ExportPromptState {
  readonly target: ExportTarget;
  readonly edit: LineEdit;
  readonly phase: 'editing' | 'confirm' | 'writing';
  readonly overwrite: boolean;
}

/** The selection `W` writes, or why there is none (a notice). */
export function exportTargetOf(state: UiState, snapshot: UiSnapshot): ExportTarget | string {
  const nav = topNav(state);
  if (nav !== null && (nav.kind === 'conversation' || nav.kind === 'stream' || (nav.kind === 'packets' && nav.id !== null))) {
    const id = nav.id;
    const c = snapshot.focus?.conversation.id === id ? snapshot.focus.conversation : snapshot.conversations.find((x) => x.id === id);
    return c ? conversationTarget(c) : 'that conversation is no longer tracked: select it again to write its packets';
  }
  const why = "W writes a host's or a conversation's packets: select one first";
  if (nav !== null && nav.kind !== 'host') return why;
  const list = activeList(state, snapshot);
  if (list === null || list.kind !== 'talkers' || list.rows.length === 0) return why;
  const row = list.rows[cursorIndex(list, state.cursors[list.id])]!;
  if (row.kind === 'host') return { kind: 'host', addr: row.host.addr };
  if (row.kind === 'conversation') return conversationTarget(row.conv);
  return 'W writes hosts and conversations; for a port, filter to it (f) and write a conversation';
}

export function openExport(state: UiState, snapshot: UiSnapshot): UiState {
  const target = exportTargetOf(state, snapshot);
  if (typeof target === 'string') return { ...state, notice: target };
  const prompt: ExportPromptState = { target, edit: openEdit(defaultExportPath(target, snapshot.time)), phase: 'editing', overwrite: false };
  return { ...state, exportPrompt: prompt, notice: null };
}

function withPrompt(state: UiState, prompt: ExportPromptState | null): UiState {
  return prompt === state.exportPrompt ? state : { ...state, exportPrompt: prompt };
}

/** A key while the prompt is open: it has all keys but Ctrl-C. */
export function exportPromptKey(state: UiState, key: string, input: string): UiState {
  const p = state.exportPrompt;
  if (p === null) return state;
  if (key === 'ctrl+c') return { ...state, isQuitting: true };
  if (p.phase === 'writing') return state;
  if (p.phase === 'confirm') {
    const yes = COMMANDS.some((c) => c.name === 'export.overwrite' && c.keys.includes(key));
    return withPrompt(state, { ...p, phase: yes ? 'writing' : 'editing', overwrite: yes });
  }
  const command = resolveCommand('filter-line', key);
  if (command === 'line.cancel') return { ...state, exportPrompt: null, notice: 'not written' };
  if (command === 'line.apply') return p.edit.text.trim() === '' ? state : withPrompt(state, { ...p, phase: 'writing', overwrite: false });
  if (command !== null) {
    const edit = applyLineCommand(p.edit, command);
    return edit === p.edit ? state : withPrompt(state, { ...p, edit });
  }
  if (key.startsWith('ctrl+')) return state;
  const edit = insertTyped(p.edit, key === 'space' ? ' ' : input);
  return edit === p.edit ? state : withPrompt(state, { ...p, edit });
}

/** The write reported back: a result line, or the overwrite question when the file exists. */
export function exportFinished(state: UiState, outcome: ExportOutcome): UiState {
  const p = state.exportPrompt;
  if (p === null || p.phase !== 'writing') return state;
  if (outcome.ok) {
    const n = outcome.packets;
    const how = outcome.format === 'pcapng' ? ' (pcapng: mixed link types)' : '';
    return { ...state, exportPrompt: null, notice: `wrote ${n.toLocaleString('en-US')} packet${n === 1 ? '' : 's'} to ${outcome.path}${how}` };
  }
  if (outcome.exists) return { ...state, exportPrompt: { ...p, phase: 'confirm' } };
  return { ...state, exportPrompt: null, notice: `not written: ${outcome.message}` };
}
