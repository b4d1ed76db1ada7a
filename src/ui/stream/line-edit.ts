import type { CommandName } from '../commands.js';

/** A one-line text field (search text, file path): text and a cursor in code units. */
export interface LineEdit {
  readonly text: string;
  readonly cursor: number;
}

export function openEdit(text = ''): LineEdit {
  return { text, cursor: text.length };
}

/** The editing commands of the main table's filter line, applied to any line. */
export function applyLineCommand(e: LineEdit, command: CommandName): LineEdit {
  const { text, cursor } = e;
  switch (command) {
    case 'line.left':
      return cursor === 0 ? e : { text, cursor: cursor - 1 };
    case 'line.right':
      return cursor >= text.length ? e : { text, cursor: cursor + 1 };
    case 'line.home':
      return cursor === 0 ? e : { text, cursor: 0 };
    case 'line.end':
      return cursor === text.length ? e : { text, cursor: text.length };
    case 'line.backspace':
      return cursor === 0 ? e : { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
    case 'line.delete':
      return cursor >= text.length ? e : { text: text.slice(0, cursor) + text.slice(cursor + 1), cursor };
    case 'line.kill-line':
      return cursor === 0 ? e : { text: text.slice(cursor), cursor: 0 };
    case 'line.kill-word': {
      const before = text.slice(0, cursor).replace(/\S*\s*$/, '');
      return before.length === cursor ? e : { text: before + text.slice(cursor), cursor: before.length };
    }
    default:
      return e;
  }
}

/** Typed text, with control characters dropped (a paste cannot put ESC into a path or a query). */
export function insertTyped(e: LineEdit, input: string): LineEdit {
  let clean = '';
  for (const ch of input) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp <= 0x9f)) clean += ch;
  }
  if (clean === '') return e;
  return { text: e.text.slice(0, e.cursor) + clean + e.text.slice(e.cursor), cursor: e.cursor + clean.length };
}
