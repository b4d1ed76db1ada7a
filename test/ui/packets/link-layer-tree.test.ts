/**
 * The packet view's field tree names the link layer of cooked (SLL, SLL2) and loopback captures,
 * so their first bytes in the hex dump belong to a field, as Ethernet's do.
 */
import { describe, expect, test } from 'vitest';
import { openFileSource } from '../../../src/capture/file-source.js';
import { Decoder } from '../../../src/decode/decoder.js';
import { DecodedPacket } from '../../../src/decode/packet.js';
import { dissectPacket } from '../../../src/dissect/dissect.js';
import { packetTree } from '../../../src/dissect/tree.js';
import type { FieldNode } from '../../../src/dissect/tree.js';

async function firstTree(file: string): Promise<FieldNode[]> {
  const d = new Decoder();
  const p = new DecodedPacket();
  let tree: FieldNode[] | null = null;
  await openFileSource({ path: `fixtures/${file}` }).start((r) => {
    if (tree) return;
    d.decode(r, p);
    tree = packetTree(p, dissectPacket(p));
  });
  return tree!;
}

describe('field tree: link layers without Ethernet', () => {
  test.each([
    ['sll.pcap', 'Linux cooked capture v1', 16, /^Protocol: 0x0800$/],
    ['sll2.pcap', 'Linux cooked capture v2', 20, /^Protocol: 0x0800$/],
    ['null-loopback.pcap', 'Null/Loopback', 4, /^Family: \d+$/],
  ])('%s: %s, bytes 0..%i, between Frame and the network layer', async (file, name, len, child) => {
    const tree = await firstTree(file);
    expect(tree[0]!.label).toMatch(/^Frame: /);
    expect(tree[1]).toMatchObject({ label: name, off: 0, len });
    expect(tree[1]!.children!.some((c) => child.test(c.label))).toBe(true);
    expect(tree[2]!.label).toMatch(/^Internet Protocol Version [46]/);
    expect(tree[2]!.off).toBe(len);
  });

  test('Ethernet keeps its own node, once', async () => {
    const tree = await firstTree('http.pcap');
    expect(tree.map((n) => n.label).filter((l) => /Ethernet|cooked|Loopback/.test(l))).toEqual(['Ethernet II']);
  });
});
