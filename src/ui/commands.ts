/**
 * The command table: every key the dashboard understands, in one place. Key handling resolves a
 * key to a command through this table and the help overlay is rendered from it, so the two cannot
 * disagree. Key names are produced by `keyName` in `input/key-name.ts`.
 */

export type CommandScope = 'global' | 'list' | 'filter-line' | 'help' | 'export-confirm';

export type CommandName =
  | 'quit'
  | 'help.toggle'
  | 'help.close'
  | 'help.page-down'
  | 'help.page-up'
  | 'panel.next'
  | 'panel.prev'
  | 'cursor.up'
  | 'cursor.down'
  | 'cursor.page-up'
  | 'cursor.page-down'
  | 'cursor.top'
  | 'cursor.bottom'
  | 'drill.in'
  | 'drill.out'
  | 'view.next'
  | 'sort.r2'
  | 'sort.r10'
  | 'sort.r40'
  | 'sort.total'
  | 'unit.toggle'
  | 'pause.toggle'
  | 'names.toggle'
  | 'chart.next'
  | 'meters.toggle'
  | 'alerts.open'
  | 'health.open'
  | 'stream.open'
  | 'packets.open'
  | 'filter.open'
  | 'filter.narrow'
  | 'filter.exclude'
  | 'filter.clear'
  | 'line.apply'
  | 'line.cancel'
  | 'line.left'
  | 'line.right'
  | 'line.home'
  | 'line.end'
  | 'line.backspace'
  | 'line.delete'
  | 'line.kill-line'
  | 'line.kill-word'
  | 'line.history-prev'
  | 'line.history-next'
  | 'line.complete'
  | 'export.open'
  | 'export.overwrite';

export interface Command {
  readonly name: CommandName;
  readonly scope: CommandScope;
  readonly keys: readonly string[];
  readonly help: string;
}

export const COMMANDS: readonly Command[] = [
  { name: 'quit', scope: 'global', keys: ['q', 'ctrl+c'], help: 'quit' },
  { name: 'help.toggle', scope: 'global', keys: ['?'], help: 'show or hide this help' },
  { name: 'help.close', scope: 'help', keys: ['escape', '?'], help: 'close help' },
  { name: 'help.page-down', scope: 'help', keys: ['down', 'pagedown', 'j', 'space'], help: 'next page of help' },
  { name: 'help.page-up', scope: 'help', keys: ['up', 'pageup', 'k'], help: 'previous page of help' },
  { name: 'panel.next', scope: 'global', keys: ['tab'], help: 'next panel' },
  { name: 'panel.prev', scope: 'global', keys: ['shift+tab'], help: 'previous panel' },
  { name: 'cursor.up', scope: 'list', keys: ['up', 'k'], help: 'move up' },
  { name: 'cursor.down', scope: 'list', keys: ['down', 'j'], help: 'move down' },
  { name: 'cursor.page-up', scope: 'list', keys: ['pageup'], help: 'page up' },
  { name: 'cursor.page-down', scope: 'list', keys: ['pagedown'], help: 'page down' },
  { name: 'cursor.top', scope: 'list', keys: ['g', 'home'], help: 'go to top' },
  { name: 'cursor.bottom', scope: 'list', keys: ['G', 'end'], help: 'go to bottom' },
  { name: 'drill.in', scope: 'list', keys: ['enter'], help: 'drill down / chart it' },
  { name: 'drill.out', scope: 'list', keys: ['escape', 'backspace', 'delete'], help: 'go back' },
  { name: 'view.next', scope: 'global', keys: ['t'], help: 'talkers view: next' },
  { name: 'sort.r2', scope: 'global', keys: ['1'], help: 'sort by 2 s average' },
  { name: 'sort.r10', scope: 'global', keys: ['2'], help: 'sort by 10 s average' },
  { name: 'sort.r40', scope: 'global', keys: ['3'], help: 'sort by 40 s average' },
  { name: 'sort.total', scope: 'global', keys: ['c'], help: 'sort by cumulative total' },
  { name: 'unit.toggle', scope: 'global', keys: ['b'], help: 'bits/s or bytes/s' },
  { name: 'pause.toggle', scope: 'global', keys: ['space'], help: 'pause/resume the display' },
  { name: 'names.toggle', scope: 'global', keys: ['n'], help: 'reverse DNS names on/off' },
  { name: 'chart.next', scope: 'global', keys: ['p'], help: 'protocol charted: next' },
  { name: 'meters.toggle', scope: 'global', keys: ['d'], help: 'deviation meters or rate chart' },
  { name: 'alerts.open', scope: 'global', keys: ['a'], help: 'alerts (header counts new ones)' },
  { name: 'health.open', scope: 'global', keys: ['h'], help: 'capture health: drops, malformed reasons, warnings' },
  { name: 'filter.open', scope: 'global', keys: ['/'], help: 'edit the display filter' },
  { name: 'stream.open', scope: 'list', keys: ['s'], help: "conversation's reassembled stream" },
  { name: 'packets.open', scope: 'list', keys: ['v'], help: "conversation's packets (all packets elsewhere)" },
  { name: 'filter.narrow', scope: 'list', keys: ['f'], help: 'filter to the selection' },
  { name: 'filter.exclude', scope: 'list', keys: ['F'], help: 'filter out the selection' },
  { name: 'export.open', scope: 'list', keys: ['W'], help: "write the selection's packets (host, conversation, stream) to a pcap" },
  { name: 'filter.clear', scope: 'global', keys: ['x'], help: 'clear the display filter' },
  { name: 'line.apply', scope: 'filter-line', keys: ['enter'], help: 'apply the filter' },
  { name: 'line.cancel', scope: 'filter-line', keys: ['escape'], help: 'cancel' },
  { name: 'line.left', scope: 'filter-line', keys: ['left'], help: 'cursor left' },
  { name: 'line.right', scope: 'filter-line', keys: ['right'], help: 'cursor right' },
  { name: 'line.home', scope: 'filter-line', keys: ['home', 'ctrl+a'], help: 'start of line' },
  { name: 'line.end', scope: 'filter-line', keys: ['end', 'ctrl+e'], help: 'end of line' },
  { name: 'line.backspace', scope: 'filter-line', keys: ['backspace', 'delete'], help: 'delete before the cursor' },
  { name: 'line.delete', scope: 'filter-line', keys: ['ctrl+d'], help: 'delete under the cursor' },
  { name: 'line.kill-line', scope: 'filter-line', keys: ['ctrl+u'], help: 'delete to start of line' },
  { name: 'line.kill-word', scope: 'filter-line', keys: ['ctrl+w'], help: 'delete the previous word' },
  { name: 'line.history-prev', scope: 'filter-line', keys: ['up'], help: 'older filter (history)' },
  { name: 'line.history-next', scope: 'filter-line', keys: ['down'], help: 'newer filter (history)' },
  { name: 'line.complete', scope: 'filter-line', keys: ['tab'], help: 'complete field or value' },
  // The W prompt edits its path with the filter line's keys (Enter writes, Esc cancels).
  { name: 'export.overwrite', scope: 'export-confirm', keys: ['y'], help: 'the file exists: overwrite it (other keys: back to the name)' },
];

/** Input modes, most specific first: the first scope that binds a key wins. */
export type InputMode = 'normal' | 'help' | 'filter-line';

const SCOPES: Readonly<Record<InputMode, readonly CommandScope[]>> = {
  normal: ['list', 'global'],
  help: ['help'],
  'filter-line': ['filter-line'],
};

export function resolveCommand(mode: InputMode, key: string): CommandName | null {
  if (key === 'ctrl+c') return 'quit';
  for (const scope of SCOPES[mode]) {
    const hit = COMMANDS.find((c) => c.scope === scope && c.keys.includes(key));
    if (hit) return hit.name;
  }
  // q quits from the help overlay too; on the filter line it is just a letter.
  if (mode === 'help' && COMMANDS.some((c) => c.name === 'quit' && c.keys.includes(key))) return 'quit';
  return null;
}

/** How a key is shown in help: `ctrl+c` -> `Ctrl-C`. */
export function keyLabel(key: string): string {
  const names: Readonly<Record<string, string>> = {
    up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home',
    end: 'End', enter: 'Enter', escape: 'Esc', backspace: 'Bksp', delete: 'Del', tab: 'Tab',
    'shift+tab': 'Shift-Tab', space: 'Space',
  };
  if (names[key]) return names[key]!;
  if (key.startsWith('ctrl+')) return `Ctrl-${key.slice(5).toUpperCase()}`;
  return key;
}
