import { useSyncExternalStore } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { StreamViewApp } from '../../../src/ui/stream/stream-view-app.js';
import type { StreamViewAppProps, WriteStream } from '../../../src/ui/stream/stream-view-app.js';
import type { StreamViewChunk, StreamViewSource } from '../../../src/ui/stream/stream-data.js';
import { renderPlain } from './render-plain.js';
import type { PlainRendered } from './render-plain.js';
import { controlBytes, data, gap, httpChunks, source } from './stream-fixtures.js';

const ESC = '\x1b';
const ENTER = '\r';
const TAB = '\t';

/** New data arrives as a new source, the way the app's snapshot store hands it over. */
class SourceStore {
  private listeners = new Set<() => void>();
  constructor(private current: StreamViewSource) {}
  subscribe = (f: () => void): (() => void) => {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  };
  get = (): StreamViewSource => this.current;
  append(...chunks: StreamViewChunk[]): void {
    this.current = { ...this.current, chunks: [...this.current.chunks, ...chunks] };
    for (const f of this.listeners) f();
  }
}

function Live(props: Omit<StreamViewAppProps, 'source'> & { readonly store: SourceStore }) {
  const src = useSyncExternalStore(props.store.subscribe, props.store.get);
  return <StreamViewApp {...props} source={src} />;
}

let app: PlainRendered | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

function start(chunks: readonly StreamViewChunk[], width: number, height = 24, over: Partial<StreamViewAppProps> & { dropped?: [number, number] } = {}) {
  const store = new SourceStore(source(chunks, { dropped: over.dropped ?? [0, 0] }));
  app = renderPlain(<Live store={store} width={width} height={height} isColor={false} {...over} />, width, height);
  return { app, store };
}

function body(frame: string): string[] {
  return frame.split('\n').slice(1, -2);
}

/** Many request/response pairs, each line numbered so positions are easy to assert. */
function longExchange(pairs: number): StreamViewChunk[] {
  const out: StreamViewChunk[] = [];
  for (let i = 1; i <= pairs; i++) {
    out.push(data(0, `GET /item/${i} HTTP/1.1\r\nHost: shop.example\r\n\r\n`, i * 2));
    out.push(data(1, `HTTP/1.1 200 OK\r\nX-Item: ${i}\r\n\r\nbody of item ${i}\n`, i * 2 + 1));
  }
  return out;
}

describe.each([80, 160])('stream view at %i columns', (width) => {
  test('title, side gutters, markers and status', async () => {
    const { app } = start([...httpChunks(), gap(1, 1200), data(1, 'after the gap\n')], width, 24, { dropped: [100, 0] });
    const f = await app.waitFor((x) => x.includes('tcp.stream 3'));
    const lines = f.split('\n');
    expect(lines).toHaveLength(24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
    expect(lines[0]).toContain('C> 10.0.0.1:51234');
    expect(lines[0]).toContain('S< 93.184.216.34:80');
    expect(f).toContain('C> [100 oldest bytes dropped: over the stream byte limit (--stream-bytes)]');
    expect(f).toContain('C> GET /index.html HTTP/1.1\\r');
    expect(f).toContain('C> Host: example.com\\r'); // joined across the two segments
    expect(f).toContain('S< HTTP/1.1 200 OK\\r');
    expect(f).toContain('S< [1200 bytes missing in capture file]');
    expect(f).toContain('S< after the gap');
    expect(lines[22]).toMatch(/^C> 108B \(100B lost\) {2}S< 135B \(1\.20kB lost\) {2}ascii {2}follow off {2}row 1\/18$/);
  });

  test('mode toggles: ascii, hex, both', async () => {
    const { app } = start(httpChunks(), width);
    await app.waitFor((x) => x.includes('ascii'));
    const hex = await app.press('m');
    expect(hex).toContain('C> 00000000  47 45 54 20 2f 69 6e 64  65 78 2e 68 74 6d 6c 20  GET /index.html');
    expect(hex).toContain('  hex  ');
    expect(hex).not.toContain('C> GET /index.html');
    const both = await app.press('m');
    expect(both).toContain('C> GET /index.html HTTP/1.1\\r');
    expect(both).toContain('C> 00000000  47 45 54');
    expect(both).toContain('ascii+hex');
    const ascii = await app.press('m');
    expect(ascii).not.toContain('00000000');
  });

  test('search, next and previous', async () => {
    const { app } = start(longExchange(20), width);
    await app.waitFor((x) => x.includes('ascii'));
    expect(await app.press('/')).toMatch(/^\/ ?$/m); // the caret is an inverse space
    app.stdin.write('X-Item: 1');
    await app.waitFor((x) => x.includes('/X-Item: 1'));
    let f = await app.press(ENTER);
    expect(f).toContain('/X-Item: 1 1/11'); // 1, 10..19
    expect(body(f)[4]).toBe('S< X-Item: 1\\r'); // already on screen: no scrolling
    f = await app.press('n');
    expect(f).toContain('/X-Item: 1 2/11');
    expect(body(f)[2]).toBe('S< X-Item: 10\\r'); // a hit off screen is brought to the third row
    f = await app.press('n');
    expect(f).toContain('/X-Item: 1 3/11');
    expect(f).toContain('S< X-Item: 11\\r');
    f = await app.press('N');
    expect(f).toContain('/X-Item: 1 2/11');
    f = await app.press('N');
    expect(f).toContain('/X-Item: 1 1/11');
    f = await app.press('N');
    expect(f).toContain('/X-Item: 1 11/11'); // wraps around
    expect(f).toContain('S< X-Item: 19\\r');
    await app.press('/');
    app.stdin.write('nowhere');
    await app.waitFor((x) => x.includes('/nowhere'));
    expect(await app.press(ENTER)).toContain('not found: nowhere');
  });

  test('jumping by request/response block, scrolling, g and G', async () => {
    const { app } = start(longExchange(12), width);
    await app.waitFor((x) => x.includes('ascii'));
    expect(body(app.lastFrame())[0]).toBe('C> GET /item/1 HTTP/1.1\\r');
    let f = await app.press(']');
    expect(body(f)[0]).toBe('S< HTTP/1.1 200 OK\\r');
    f = await app.press(']');
    expect(body(f)[0]).toBe('C> GET /item/2 HTTP/1.1\\r');
    f = await app.press('[');
    expect(body(f)[0]).toBe('S< HTTP/1.1 200 OK\\r');
    f = await app.press('j');
    expect(body(f)[0]).toBe('S< X-Item: 1\\r');
    f = await app.press('G');
    expect(body(f)[20]).toBe('S< body of item 12');
    f = await app.press('g');
    expect(body(f)[0]).toBe('C> GET /item/1 HTTP/1.1\\r');
    f = await app.press('\x1b[6~'); // PgDn
    expect(f).toContain('row 22/');
  });

  test('follow mode keeps the end in view as data arrives', async () => {
    const { app, store } = start(longExchange(5), width);
    await app.waitFor((x) => x.includes('follow off'));
    let f = await app.press('f');
    expect(f).toContain('follow ON');
    expect(body(f)[20]).toBe('S< body of item 5');
    store.append(...longExchange(7).slice(10));
    f = await app.waitFor((x) => x.includes('S< body of item 7'), 'new data at the bottom');
    expect(body(f)[20]).toBe('S< body of item 7');
    f = await app.press('k'); // moving up leaves follow mode
    expect(f).toContain('follow off');
    store.append(data(0, 'GET /late HTTP/1.1\r\n', 99));
    f = await app.waitFor((x) => x !== f, 'frame after late data');
    expect(f).not.toContain('GET /late');
  });

  test('hostile bytes render as escapes, never as control bytes', async () => {
    const evil = Uint8Array.from([
      0x1b, 0x5b, 0x32, 0x4a, // ESC [2J
      0x1b, 0x5d, 0x35, 0x32, 0x3b, 0x63, 0x3b, 0x5a, 0x58, 0x5a, 0x70, 0x62, 0x41, 0x3d, 0x3d, 0x07, // OSC 52 ; c ; base64 BEL
      0x9b, 0x33, 0x31, 0x6d, // C1 CSI (raw byte) 3 1 m
      0xc2, 0x9b, 0x32, 0x4a, // C1 CSI as UTF-8
      0xc2, 0x9d, 0x30, 0x3b, 0x74, 0x69, 0x74, 0x6c, 0x65, 0xc2, 0x9c, // C1 OSC title ST
      0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, // invalid UTF-8, encoded surrogate
      0xe2, 0x80, 0xae, 0x00, 0x08, 0x7f, 0x0d, 0x0a, // RLO, NUL, BS, DEL, CR LF
    ]);
    const { app } = start([data(1, evil), data(0, evil)], width);
    let f = await app.waitFor((x) => x.includes('tcp.stream'));
    expect(controlBytes(app!.rawFrame())).toEqual([]);
    const shown = '\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\x9b2J\\x9d0;title\\x9c\\xff\\xfe\\xc3(\\xed\\xa0\\x80\\u{202e}\\x00\\x08\\x7f\\r';
    // At 80 columns the line wraps between escapes; the rows joined give the whole escaped text.
    const server = f.split('\n').filter((l) => l.startsWith('S< ')).map((l) => l.slice(3)).join('');
    expect(server).toBe(shown);
    for (const _ of ['hex', 'both']) {
      f = await app.press('m');
      expect(controlBytes(app!.rawFrame())).toEqual([]);
    }
    expect(f).toContain('S< 00000000  1b 5b 32 4a 1b 5d 35 32  3b 63 3b 5a 58 5a 70 62  .[2J.]52;c;ZXZpb');
    await app.press('m');
    await app.press('/');
    app.stdin.write('\\x9b');
    await app.waitFor((x) => x.includes('/\\x9b'));
    f = await app.press(ENTER);
    expect(f).toContain('/\\x9b 1/4');
    expect(controlBytes(app!.rawFrame())).toEqual([]);
  });

  test('the write prompt: path, direction, result', async () => {
    const calls: [number, string, string][] = [];
    const write: WriteStream = (chunks, path, direction) => {
      calls.push([chunks.length, path, direction]);
      return 42;
    };
    const { app } = start(httpChunks(), width, 24, { write });
    await app.waitFor((x) => x.includes('ascii'));
    let f = await app.press('w');
    expect(f).toContain('write [both] to: tcp-stream-3.bin');
    expect(f).toContain('Tab direction  Enter write  Esc cancel');
    f = await app.press(TAB);
    expect(f).toContain('write [client] to:');
    app.stdin.write('\x15'); // Ctrl-U clears the default path
    await app.waitFor((x) => !x.includes('tcp-stream-3.bin'));
    app.stdin.write('/tmp/out.bin');
    await app.waitFor((x) => x.includes('to: /tmp/out.bin'));
    f = await app.press(ENTER);
    await app.waitFor((x) => x.includes('wrote 42 bytes (client) to /tmp/out.bin'));
    expect(calls).toEqual([[5, '/tmp/out.bin', 'client']]);
    await app.press('w');
    f = await app.press(ESC);
    expect(f).not.toContain('write [');
    expect(calls).toHaveLength(1);
  });
});

test('keys typed faster than frames are all applied', async () => {
  const { app } = start(longExchange(5), 80);
  await app.waitFor((x) => x.includes('row 1/'));
  app.stdin.write('jjj');
  await app.waitFor((x) => x.includes('row 4/'), 'three scrolls from one chunk');
  app.stdin.write(']');
  app.stdin.write(']');
  // From row 4 (inside the first response): the second request, then its response.
  await app.waitFor((x) => body(x)[1] === 'S< X-Item: 2\\r', 'two block jumps');
});

test('a write error is reported, not thrown', async () => {
  const write: WriteStream = () => {
    throw new Error('EEXIST: file already exists, open \'x\x1b[2J\'');
  };
  const { app } = start(httpChunks(), 80, 24, { write });
  await app.waitFor((x) => x.includes('ascii'));
  await app.press('w');
  const f = await app.press(ENTER);
  const done = f.includes('write failed') ? f : await app.waitFor((x) => x.includes('write failed'));
  expect(done).toContain("write failed: EEXIST: file already exists, open 'x\\x1b[2J'");
  expect(controlBytes(app!.rawFrame())).toEqual([]);
});

test('Esc asks the owner to close the view', async () => {
  let closed = 0;
  const { app } = start(httpChunks(), 80, 24, { onClose: () => closed++ });
  await app.waitFor((x) => x.includes('ascii'));
  await app.press('/');
  await app.press(ESC); // closes the search line only
  expect(closed).toBe(0);
  app.stdin.write(ESC);
  await app.waitFor(() => closed === 1, 'onClose');
});

test('with colour on, the frame carries styles only, never wire control bytes', async () => {
  // Includes an SGR-shaped ESC[31m: controlBytes strips SGR, so it must show up as escaped text.
  const evil = Uint8Array.from([0x1b, 0x5b, 0x32, 0x4a, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x9b, 0x31, 0x6d, 0xc2, 0x9b, 0xff, 0x0a]);
  const { app } = start([data(0, evil), data(1, evil)], 80, 24, { isColor: true });
  let f = await app.waitFor((x) => x.includes('tcp.stream'));
  expect(f).toContain('C> \\x1b[2J\\x1b[31m\\x9b1m\\x9b\\xff');
  expect(controlBytes(app!.rawFrame())).toEqual([]);
  f = await app.press('m');
  expect(controlBytes(app!.rawFrame())).toEqual([]);
});

test('an empty stream says so', async () => {
  const { app } = start([], 80, 24);
  expect(await app.waitFor((x) => x.includes('(no data in this stream yet)'))).toContain('C> 0B  S< 0B');
});
