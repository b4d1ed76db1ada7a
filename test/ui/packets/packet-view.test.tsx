import { afterEach, describe, expect, test } from 'vitest';
import { PacketViewApp } from '../../../src/ui/packets/packet-view-app.js';
import type { PacketDetail } from '../../../src/ui/packets/packet-data.js';
import { renderPlain } from '../stream/render-plain.js';
import type { PlainRendered } from '../stream/render-plain.js';
import { controlBytes } from '../stream/stream-fixtures.js';
import { decodeAll } from './packet-fixtures.js';

const ENTER = '\r';
const TAB = '\t';
const ESC = '\x1b';
const RIGHT = '\x1b[C';
const LEFT = '\x1b[D';

let app: PlainRendered | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

function start(width: number, height = 24, onClose?: () => void, isColor = false) {
  const { summaries, details } = decodeAll();
  const asked: number[] = [];
  const detailOf = (no: number): PacketDetail | null => {
    asked.push(no);
    return details[no - 1] ?? null;
  };
  app = renderPlain(<PacketViewApp summaries={summaries} detailOf={detailOf} width={width} height={height} isColor={isColor} onClose={onClose} />, width, height);
  return { app, details, asked };
}

/** Rows of the hex pane (4-digit offset, hex bytes, ASCII), wherever the pane sits on the line. */
function hexRows(frame: string): string[] {
  return frame.split('\n').map((l) => /[0-9a-f]{4} {2}[0-9a-f]{2} .*$/.exec(l)?.[0] ?? '').filter((l) => l !== '');
}

/** Carets in marker rows (the hex pane's rows that hold only spaces and carets). */
function markerCarets(frame: string): number {
  return frame.split('\n').map((l) => / {5}[ ^]*\^[ ^]*$/.exec(l)?.[0] ?? '').reduce((n, l) => n + (l.match(/\^/g)?.length ?? 0), 0);
}

describe.each([80, 160])('packet view at %i columns', (width) => {
  test('list, tree and hex dump of the selected packet', async () => {
    const { app, asked } = start(width);
    const f = await app.waitFor((x) => x.includes('Packet 1:'));
    const lines = f.split('\n');
    expect(lines).toHaveLength(24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
    expect(lines[0]).toMatch(/^ {2}\s*No\.\s+Time\s+Source\s+Destination\s+Proto/);
    expect(lines[1]).toMatch(/^> +1 +0\.000000 10\.0\.0\.1 +93\.184\.216\.34 +TCP +54 51234 → 80 \[SYN\]/);
    expect(f).toMatch(/^ +3 +2\.000000 10\.0\.0\.1 +93\.184\.216\.34 +HTTP +125 GET \/\\x1b\]52;c;Z/m);
    expect(f).toContain('· ▸ Frame: 54 bytes on wire, 54 bytes captured'); // the list has the keys
    expect(f).toContain('  ▸ Transmission Control Protocol, Src Port: 51234, Dst Port: 80, Len: 0');
    expect(hexRows(f)[0]).toMatch(/^0000 {2}ff ff ff ff ff ff 02 00 {2}00 00 00 01 08 00 45 00 {2}\.{14}E\.$/);
    expect(asked).toEqual([1]);
    expect(controlBytes(app!.rawFrame())).toEqual([]);
  });

  test('moving through packets, opening the tree, highlighting a field', async () => {
    const { app, details, asked } = start(width);
    await app.waitFor((x) => x.includes('Packet 1:'));
    await app.press('j');
    let f = await app.press('j');
    expect(f).toMatch(/^> +3 /m);
    expect(f).toContain('Packet 3: 125 bytes captured');
    expect(asked).toEqual([1, 2, 3]);
    await app.press(ENTER); // focus the tree
    f = await app.press('G');
    expect(f).toContain('> ▸ Hypertext Transfer Protocol');
    f = await app.press(RIGHT); // expand
    expect(f).toContain('> ▾ Hypertext Transfer Protocol');
    expect(f).toContain('GET /\\x1b]52;c;ZXZpbA==\\x07 HTTP/1.1');
    await app.press(RIGHT); // first child: the request line
    f = await app.press('j'); // Host header
    expect(f).toContain('>     Host: ex\\x1b[2J\\x9b.com');
    const http = details[2]!.tree.find((n) => n.label.startsWith('Hypertext'))!;
    const host = http.children!.find((n) => n.label.startsWith('Host'))!;
    expect(f).toContain(`field at ${host.off}..${host.off + host.len - 1}`);
    // The field's bytes: two carets under each hex byte and one under each character.
    expect(markerCarets(f)).toBe(3 * host.len);
    expect(controlBytes(app!.rawFrame())).toEqual([]);
    f = await app.press(LEFT); // not expanded: go to the parent
    expect(f).toContain('> ▾ Hypertext Transfer Protocol');
    f = await app.press(LEFT); // collapse
    expect(f).toContain('> ▸ Hypertext Transfer Protocol');
    f = await app.press(TAB); // back to the list
    f = await app.press('k');
    expect(f).toMatch(/^> +2 /m);
    expect(f).toContain('Packet 2: 54 bytes captured');
  });

  test('e expands every field, E collapses them', async () => {
    const { app } = start(width, 60);
    await app.waitFor((x) => x.includes('Packet 1:'));
    await app.press(TAB);
    let f = await app.press('e');
    expect(f).toContain('▾ Ethernet II');
    expect(f).toContain('Destination: ff:ff:ff:ff:ff:ff');
    expect(f).toContain('Time to live: 64');
    f = await app.press('G');
    expect(f).toContain('>     Window: 65535');
    f = await app.press('E');
    expect(f).not.toContain('Destination: ff:ff:ff:ff:ff:ff');
    expect(f).toContain('> ▸ Transmission Control Protocol'); // the cursor moves to its layer
  });
});

test('the hex dump of a field is marked without colour', async () => {
  const { app } = start(80);
  await app.waitFor((x) => x.includes('Packet 1:'));
  await app.press(ENTER);
  await app.press('j'); // Ethernet II
  await app.press(RIGHT);
  await app.press(RIGHT); // Destination: bytes 0..5
  const f = await app.press('j'); // Source: bytes 6..11
  const lines = f.split('\n');
  const row = lines.findIndex((l) => l.startsWith('0000  ff ff ff ff ff ff 02 00'));
  expect(row).toBeGreaterThan(0);
  expect(lines[row + 1]).toBe(`${' '.repeat(24)}^^ ^^  ^^ ^^ ^^ ^^${' '.repeat(20)}^^^^^^`);
});

test('with colour on, wire strings still render escaped', async () => {
  const { app } = start(80, 24, undefined, true);
  await app.waitFor((x) => x.includes('Packet 1:'));
  await app.press('j');
  const f = await app.press('j');
  expect(f).toContain('GET /\\x1b]52;c;Z');
  expect(controlBytes(app!.rawFrame())).toEqual([]);
});

test('Esc goes from the tree to the list, then asks the owner to close', async () => {
  let closed = 0;
  const { app } = start(80, 24, () => closed++);
  await app.waitFor((x) => x.includes('Packet 1:'));
  await app.press(ENTER);
  await app.press(ESC, { expectChange: false });
  expect(closed).toBe(0);
  app.stdin.write(ESC);
  await app.waitFor(() => closed === 1, 'onClose');
});
