import type { CommandName } from '../commands.js';
import type { StreamDirection } from './export-stream.js';
import { applyLineCommand, insertTyped, openEdit } from './line-edit.js';
import type { LineEdit } from './line-edit.js';

/** The `w` prompt: a path and which direction to write; `writing` once Enter was pressed. */
export interface WritePromptState {
  readonly edit: LineEdit;
  readonly direction: StreamDirection;
  readonly phase: 'editing' | 'writing';
}

export type WritePromptAction =
  | { readonly type: 'command-run'; readonly command: CommandName | 'stream-write.direction-next' }
  | { readonly type: 'text-typed'; readonly input: string };

const DIRECTIONS: readonly StreamDirection[] = ['both', 'client', 'server'];

export function openWritePrompt(defaultPath: string): WritePromptState {
  return { edit: openEdit(defaultPath), direction: 'both', phase: 'editing' };
}

/** Editing and the direction toggle; Enter and Esc are the owner's (they close the prompt). */
export function writePromptReducer(state: WritePromptState, action: WritePromptAction): WritePromptState {
  if (state.phase === 'writing') return state;
  if (action.type === 'text-typed') {
    const edit = insertTyped(state.edit, action.input);
    return edit === state.edit ? state : { ...state, edit };
  }
  if (action.command === 'stream-write.direction-next') {
    return { ...state, direction: DIRECTIONS[(DIRECTIONS.indexOf(state.direction) + 1) % DIRECTIONS.length]! };
  }
  const edit = applyLineCommand(state.edit, action.command);
  return edit === state.edit ? state : { ...state, edit };
}
