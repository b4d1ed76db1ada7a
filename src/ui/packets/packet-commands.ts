import { COMMANDS } from '../commands.js';
import type { CommandName } from '../commands.js';
import type { ViewCommand } from '../stream/stream-commands.js';

/**
 * Commands of the packet view (scope `packets`), in the main table's shape for merging. Movement,
 * pane switching (Tab) and closing reuse the main table's commands and keys (`PACKETS_REUSED`).
 * Enter shadows drill.in: in the list it opens the field tree, in the tree it toggles the node.
 * Space is deliberately not bound so pause.toggle keeps working here, nor h/l (h is health.open).
 */
export type PacketCommandName = 'packets.toggle' | 'packets.expand' | 'packets.collapse' | 'packets.expand-all' | 'packets.collapse-all';

export const PACKET_COMMANDS: readonly ViewCommand<PacketCommandName>[] = [
  { name: 'packets.toggle', scope: 'packets', keys: ['enter'], help: 'list: open the field tree; tree: expand/collapse' },
  { name: 'packets.expand', scope: 'packets', keys: ['right'], help: 'expand the field, or go to its first child' },
  { name: 'packets.collapse', scope: 'packets', keys: ['left'], help: 'collapse the field, or go to its parent' },
  { name: 'packets.expand-all', scope: 'packets', keys: ['e'], help: 'expand every field' },
  { name: 'packets.collapse-all', scope: 'packets', keys: ['E'], help: 'collapse every field' },
];

export const PACKETS_REUSED: readonly CommandName[] = [
  'cursor.up', 'cursor.down', 'cursor.page-up', 'cursor.page-down', 'cursor.top', 'cursor.bottom',
  'panel.next', 'panel.prev', 'drill.out',
];

export type PacketCommand = PacketCommandName | CommandName;

export function resolvePacketKey(key: string): PacketCommand | null {
  const own = PACKET_COMMANDS.find((c) => c.keys.includes(key));
  if (own) return own.name;
  const hit = COMMANDS.find((c) => (c.scope === 'list' || c.scope === 'global') && PACKETS_REUSED.includes(c.name) && c.keys.includes(key));
  return hit ? hit.name : null;
}
