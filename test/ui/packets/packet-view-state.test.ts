import { describe, expect, test } from 'vitest';
import { COMMANDS } from '../../../src/ui/commands.js';
import { PACKET_COMMANDS, resolvePacketKey } from '../../../src/ui/packets/packet-commands.js';
import { initialPacketViewState, packetViewReducer, selectedFieldIndex, selectedPacketNo, treeRowsOf } from '../../../src/ui/packets/packet-view-state.js';
import type { PacketKeyContext, PacketViewState } from '../../../src/ui/packets/packet-view-state.js';
import type { PacketSummary } from '../../../src/ui/packets/packet-data.js';
import { decodeAll } from './packet-fixtures.js';

const { summaries, details } = decodeAll();

function ctx(state: PacketViewState, list: readonly PacketSummary[] = summaries): PacketKeyContext {
  const no = selectedPacketNo(state, list);
  return { summaries: list, detail: no === null ? null : details[no - 1] ?? null, listPage: 2, treePage: 3 };
}

function keys(state: PacketViewState, ...list: string[]): PacketViewState {
  return list.reduce((s, key) => packetViewReducer(s, { type: 'key-pressed', key, context: ctx(s) }), state);
}

describe('packet view reducer', () => {
  test('no-ops return the same state object', () => {
    const s = initialPacketViewState();
    expect(keys(s, 'k')).toBe(s);
    expect(keys(s, 'left')).toBe(s);
    expect(keys(s, 'x')).toBe(s);
  });

  test('the selection follows the packet number as the list changes', () => {
    const s = keys(initialPacketViewState(), 'j', 'j');
    expect(selectedPacketNo(s, summaries)).toBe(3);
    // Older packets dropped from the front: packet 3 is still the one selected.
    expect(selectedPacketNo(s, summaries.slice(1))).toBe(3);
    // Packet 3 gone too: the same position is kept.
    expect(selectedPacketNo(s, summaries.slice(3))).toBe(4);
  });

  test('page keys move by a page in the focused pane', () => {
    let s = keys(initialPacketViewState(), 'pagedown');
    expect(selectedPacketNo(s, summaries)).toBe(3);
    s = keys(s, 'tab', 'pagedown');
    expect(selectedPacketNo(s, summaries)).toBe(3);
    expect(s.field?.index).toBe(3);
  });

  test('expand, walk into children, collapse to the parent', () => {
    let s = keys(initialPacketViewState(), 'enter'); // focus the tree
    expect(s.focus).toBe('tree');
    s = keys(s, 'j', 'right'); // Ethernet II open
    expect(s.expanded['1']).toBe(true);
    s = keys(s, 'right', 'j'); // Source
    const rows = treeRowsOf(s, ctx(s).detail);
    expect(rows[selectedFieldIndex(s, rows)]!.node.label).toBe('Source: 02:00:00:00:00:01');
    s = keys(s, 'left');
    expect(s.field?.key).toBe('1');
    s = keys(s, 'left');
    expect(s.expanded['1']).toBeUndefined();
    s = keys(s, 'escape');
    expect(s.focus).toBe('list');
    expect(s.isClosing).toBe(false);
    expect(keys(s, 'escape').isClosing).toBe(true);
  });

  test('expanded layers stay open on the next packet', () => {
    const s = keys(initialPacketViewState(), 'enter', 'j', 'right', 'tab', 'j');
    expect(selectedPacketNo(s, summaries)).toBe(2);
    expect(treeRowsOf(s, ctx(s).detail).map((r) => r.node.label)).toContain('Type: 0x0800');
  });
});

describe('packet commands', () => {
  test('own keys are unique and only Enter shadows a main-table list key', () => {
    const own = PACKET_COMMANDS.flatMap((c) => c.keys);
    expect(new Set(own).size).toBe(own.length);
    const main = new Set(COMMANDS.filter((c) => c.scope === 'list' || c.scope === 'global').flatMap((c) => c.keys));
    expect(own.filter((k) => main.has(k))).toEqual(['enter']);
    expect(own).not.toContain('space');
  });

  test('movement, Tab and Esc reuse the main table', () => {
    expect(resolvePacketKey('down')).toBe('cursor.down');
    expect(resolvePacketKey('G')).toBe('cursor.bottom');
    expect(resolvePacketKey('tab')).toBe('panel.next');
    expect(resolvePacketKey('escape')).toBe('drill.out');
    expect(resolvePacketKey('q')).toBeNull();
  });
});
