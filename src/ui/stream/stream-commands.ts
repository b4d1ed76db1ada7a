import { COMMANDS } from '../commands.js';
import type { CommandName } from '../commands.js';

/**
 * Commands of the stream view, as data in the main table's shape so they can be merged into
 * `COMMANDS` (scope `stream`, `stream-write`). Where the main table already has the meaning
 * (cursor movement, closing, line editing) the view reuses its commands and keys instead of
 * inventing new ones; `STREAM_REUSED` lists them.
 *
 * Key choices, checked against src/ui/commands.ts: in the stream view `f` toggles follow (the main
 * table's `f` narrows the filter to a list selection; there is no list here). `/`, `n` and `N` are
 * search, as in less, shadowing filter.open and names.toggle while the view has focus; `F` is left
 * unbound. `m` cycles the display mode, `[`/`]` jump between request and response blocks, `w`
 * writes the stream to a file. None of m [ ] w are used by the main table.
 */
export interface ViewCommand<N extends string = string> {
  readonly name: N;
  readonly scope: string;
  readonly keys: readonly string[];
  readonly help: string;
}

export type StreamCommandName =
  | 'stream.mode-next'
  | 'stream.follow-toggle'
  | 'stream.search-open'
  | 'stream.search-next'
  | 'stream.search-prev'
  | 'stream.block-next'
  | 'stream.block-prev'
  | 'stream.write-open'
  | 'stream-write.direction-next';

export const STREAM_COMMANDS: readonly ViewCommand<StreamCommandName>[] = [
  { name: 'stream.mode-next', scope: 'stream', keys: ['m'], help: 'text / hex dump / both' },
  { name: 'stream.follow-toggle', scope: 'stream', keys: ['f'], help: 'follow: stay at the end as data arrives' },
  { name: 'stream.search-open', scope: 'stream', keys: ['/'], help: 'search the stream text' },
  { name: 'stream.search-next', scope: 'stream', keys: ['n'], help: 'next match' },
  { name: 'stream.search-prev', scope: 'stream', keys: ['N'], help: 'previous match' },
  { name: 'stream.block-next', scope: 'stream', keys: [']'], help: 'next request/response block' },
  { name: 'stream.block-prev', scope: 'stream', keys: ['['], help: 'previous request/response block' },
  { name: 'stream.write-open', scope: 'stream', keys: ['w'], help: 'write the stream to a file' },
  { name: 'stream-write.direction-next', scope: 'stream-write', keys: ['tab'], help: 'direction: both / client / server' },
];

/** Main-table commands that keep their keys and meaning in the stream view. */
export const STREAM_REUSED: readonly CommandName[] = [
  'cursor.up', 'cursor.down', 'cursor.page-up', 'cursor.page-down', 'cursor.top', 'cursor.bottom', 'drill.out',
];

/** Main-table line editing, used by the search line and the path prompt. */
export const LINE_REUSED: readonly CommandName[] = [
  'line.apply', 'line.cancel', 'line.left', 'line.right', 'line.home', 'line.end',
  'line.backspace', 'line.delete', 'line.kill-line', 'line.kill-word',
];

export type StreamKeyMode = 'stream' | 'search-line' | 'write-prompt';
export type StreamCommand = StreamCommandName | CommandName;

function fromMain(key: string, scope: 'list' | 'filter-line', allowed: readonly CommandName[]): CommandName | null {
  const hit = COMMANDS.find((c) => c.scope === scope && allowed.includes(c.name) && c.keys.includes(key));
  return hit ? hit.name : null;
}

/** The command a key means in the stream view, or null (then a line takes it as typed text). */
export function resolveStreamKey(mode: StreamKeyMode, key: string): StreamCommand | null {
  if (mode === 'stream') {
    const own = STREAM_COMMANDS.find((c) => c.scope === 'stream' && c.keys.includes(key));
    return own ? own.name : fromMain(key, 'list', STREAM_REUSED);
  }
  if (mode === 'write-prompt') {
    const own = STREAM_COMMANDS.find((c) => c.scope === 'stream-write' && c.keys.includes(key));
    if (own) return own.name;
  }
  return fromMain(key, 'filter-line', LINE_REUSED);
}
