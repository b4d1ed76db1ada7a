import { escapeForTerminal } from '../../util/escape.js';
import type { ViewLine } from './view-lines.js';
import type { WritePromptState } from './write-prompt-state.js';
import type { LineEdit } from './line-edit.js';

/** A prompt line with an inverse caret, scrolled so the caret stays visible. */
export function editLine(label: string, edit: LineEdit, width: number): ViewLine {
  const room = Math.max(4, width - label.length - 1);
  const from = Math.max(0, edit.cursor - room + 1);
  const shown = edit.text.slice(from, from + room);
  const at = edit.cursor - from;
  const before = escapeForTerminal(shown.slice(0, at));
  const under = shown.slice(at, at + 1);
  const after = escapeForTerminal(shown.slice(at + 1));
  return [
    { text: label, tone: 'header' },
    { text: before },
    { text: under === '' ? ' ' : escapeForTerminal(under), tone: 'caret' },
    { text: after },
  ];
}

/** The `w` prompt: `write [both] to: path_` and what Tab/Enter/Esc do. */
export function writePromptLines(state: WritePromptState, width: number): ViewLine[] {
  if (state.phase === 'writing') return [[{ text: `writing ${state.direction} to ${escapeForTerminal(state.edit.text)}…`, tone: 'dim' }]];
  return [editLine(`write [${state.direction}] to: `, state.edit, width)];
}

export const WRITE_PROMPT_HINT = 'Tab direction  Enter write  Esc cancel';
