import type { CommandName } from '../commands.js';
import type { FilterLineState } from './ui-state.js';

export interface Completion {
  readonly text: string;
  readonly cursor: number;
}
export type Completer = (text: string, cursor: number) => Completion | null;

export function openLine(text: string): FilterLineState {
  return { text, cursor: text.length, historyIndex: null, draft: text };
}

export function insertText(line: FilterLineState, chars: string): FilterLineState {
  // Pasted text arrives in one piece; line breaks would end the line, so they become spaces.
  const clean = chars.replace(/[\r\n\t]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '');
  if (clean === '') return line;
  const text = line.text.slice(0, line.cursor) + clean + line.text.slice(line.cursor);
  return { ...line, text, cursor: line.cursor + clean.length, historyIndex: null };
}

function wordStart(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && text[i - 1] === ' ') i--;
  while (i > 0 && text[i - 1] !== ' ') i--;
  return i;
}

function fromHistory(line: FilterLineState, history: readonly string[], index: number | null): FilterLineState {
  const text = index === null ? line.draft : history[index]!;
  return { ...line, text, cursor: text.length, historyIndex: index };
}

/** Editing commands on the filter line; apply and cancel are handled by the caller. */
export function editLine(
  line: FilterLineState,
  command: CommandName,
  history: readonly string[],
  complete: Completer,
): FilterLineState {
  const { text, cursor } = line;
  switch (command) {
    case 'line.left':
      return cursor === 0 ? line : { ...line, cursor: cursor - 1 };
    case 'line.right':
      return cursor >= text.length ? line : { ...line, cursor: cursor + 1 };
    case 'line.home':
      return cursor === 0 ? line : { ...line, cursor: 0 };
    case 'line.end':
      return cursor === text.length ? line : { ...line, cursor: text.length };
    case 'line.backspace':
      if (cursor === 0) return line;
      return { ...line, text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1, historyIndex: null };
    case 'line.delete':
      if (cursor >= text.length) return line;
      return { ...line, text: text.slice(0, cursor) + text.slice(cursor + 1), historyIndex: null };
    case 'line.kill-line':
      if (cursor === 0) return line;
      return { ...line, text: text.slice(cursor), cursor: 0, historyIndex: null };
    case 'line.kill-word': {
      const start = wordStart(text, cursor);
      if (start === cursor) return line;
      return { ...line, text: text.slice(0, start) + text.slice(cursor), cursor: start, historyIndex: null };
    }
    case 'line.history-prev': {
      if (history.length === 0) return line;
      const at = line.historyIndex;
      if (at === 0) return line;
      let next = at === null ? history.length - 1 : at - 1;
      // Past entries equal to the line as shown (it opens with the filter in force, the newest entry):
      // showing one would look as if the key did nothing.
      while (next >= 0 && history[next] === text) next--;
      if (next < 0) return line;
      return fromHistory(at === null ? { ...line, draft: text } : line, history, next);
    }
    case 'line.history-next': {
      const at = line.historyIndex;
      if (at === null) return line;
      return fromHistory(line, history, at + 1 < history.length ? at + 1 : null);
    }
    case 'line.complete': {
      const done = complete(text, cursor);
      if (done === null || (done.text === text && done.cursor === cursor)) return line;
      return { ...line, text: done.text, cursor: Math.min(done.cursor, done.text.length), historyIndex: null };
    }
    default:
      return line;
  }
}

/** The history after applying `text`: deduplicated, newest last, bounded. */
export function pushHistory(history: readonly string[], text: string, limit: number): readonly string[] {
  if (text === '') return history;
  if (history[history.length - 1] === text) return history;
  return [...history.filter((h) => h !== text), text].slice(-limit);
}
