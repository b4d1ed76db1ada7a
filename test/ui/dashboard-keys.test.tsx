import { afterEach, describe, expect, test } from 'vitest';
import { Dashboard } from '../../src/ui/dashboard.js';
import { FakeStore } from './helpers/fake-store.js';
import { renderSized } from './helpers/render-sized.js';
import type { Rendered } from './helpers/render-sized.js';
import { busySnapshot, conversation } from './helpers/snapshots.js';
import { testEnv } from './helpers/env.js';
import type { TestEnv } from './helpers/env.js';

const ESC = '\x1b';
const UP = '\x1b[A';
const DOWN = '\x1b[B';
const LEFT = '\x1b[D';
const TAB = '\t';
const ENTER = '\r';
const BACKSPACE = '\x7f';

let app: Rendered | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

function start(opts: { columns?: number; rows?: number; env?: TestEnv } = {}) {
  const store = new FakeStore(busySnapshot());
  const env = opts.env ?? testEnv();
  let quits = 0;
  app = renderSized(<Dashboard store={store} env={env} onQuit={() => quits++} />, opts.columns ?? 100, opts.rows ?? 30);
  return { app, store, env, quits: () => quits };
}

describe('dashboard keys', () => {
  test('moving the selection and switching views', async () => {
    const { app } = start();
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    expect(await app.press('j')).toContain('> 10.0.0.2 ');
    expect(await app.press(DOWN)).toContain('> 10.0.0.3 ');
    expect(await app.press(UP)).toContain('> 10.0.0.2 ');
    expect(await app.press('t')).toContain('Top talkers: conversations');
    expect(await app.press('t')).toContain('Top talkers: ports');
    expect(await app.press('t')).toContain('Top talkers: hosts');
  });

  test('keys typed faster than frames are all applied', async () => {
    const { app } = start();
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    app.stdin.write('j');
    app.stdin.write('j');
    app.stdin.write('j');
    await app.waitFor((f) => f.includes('> 10.0.0.4 '), 'three moves');
  });

  test('a run of keys read in one chunk is split into keys', async () => {
    const { app } = start();
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    app.stdin.write('jjj');
    await app.waitFor((f) => f.includes('> 10.0.0.4 '), 'three moves from one chunk');
    await app.press('/');
    app.stdin.write('tcp ??');
    await app.waitFor((f) => f.includes('filter> tcp ??'), 'pasted text');
    app.stdin.write('\x7f\x7f\x7f');
    await app.waitFor((f) => f.includes('filter> tcp ') && f.includes('✓ valid'), 'three backspaces from one chunk');
  });

  test('sort and units', async () => {
    const { app } = start();
    await app.waitFor((f) => f.includes('2s▼'));
    expect(await app.press('2')).toContain('10s▼');
    expect(await app.press('c')).toContain('total▼');
    const f = await app.press('b');
    expect(f).toContain('bytes/s');
    expect(f).toMatch(/150kB/);
  });

  test('drill down into a host, a conversation, and back', async () => {
    const { app, store } = start();
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    expect(await app.press(ENTER)).toContain('Conversations of 10.0.0.1');
    const detail = await app.press(ENTER);
    expect(detail).toContain('Conversation detail');
    expect(detail).toContain('(loading…)');
    expect(store.calls).toContain('focus c1');
    store.publish(busySnapshot({ focus: { conversation: conversation(1), recentPackets: [{ time: 1_700_000_010, src: '10.0.0.1', dst: '192.168.1.1', len: 66, info: 'ACK' }] } }));
    await app.waitFor((f) => f.includes('ACK'), 'recent packets');
    expect(await app.press(ESC)).toContain('Conversations of 10.0.0.1');
    expect(store.calls).toContain('focus null');
    expect(await app.press(BACKSPACE)).toContain('Top talkers: hosts');
  });

  test('help opens with ? and closes with Esc', async () => {
    const { app } = start();
    await app.waitFor((f) => f.includes('Top talkers'));
    const help = await app.press('?');
    expect(help).toContain('Help: ? or Esc closes');
    expect(help).toContain('filter to the selection');
    expect(await app.press(ESC)).toContain('Top talkers');
  });

  test('Tab focuses protocols; Enter charts the selected protocol', async () => {
    const { app } = start();
    await app.waitFor((f) => f.includes('Rate of all traffic'));
    await app.press(TAB);
    await app.press('j');
    await app.press('j');
    expect(await app.press(ENTER)).toContain('Rate of eth:ipv4:tcp');
    expect(await app.press('p')).toContain('Rate of eth:ipv4:udp');
  });

  test('space pauses the display and says so', async () => {
    const { app, store } = start();
    await app.waitFor((f) => f.includes('wiretop'));
    // The store is told from an effect, which may run a little after the frame is drawn.
    expect(await app.press(' ')).toContain('PAUSED');
    await app.waitFor(() => store.calls.length >= 1, 'pause call');
    expect(store.calls).toEqual(['pause']);
    expect(await app.press(' ')).not.toContain('PAUSED');
    await app.waitFor(() => store.calls.length >= 2, 'resume call');
    expect(store.calls).toEqual(['pause', 'resume']);
  });

  test('filter line: invalid with caret and message, then valid and applied', async () => {
    const { app, store, env } = start();
    await app.waitFor((f) => f.includes('? help'));
    await app.press('/');
    for (const ch of 'tcp ??') await app.press(ch);
    let f = app.lastFrame();
    expect(f).toContain('✗ invalid');
    expect(f).toContain('column 5: unexpected "??"');
    const caretLine = f.split('\n').find((l) => l.trim() === '^')!;
    expect(caretLine.indexOf('^')).toBe('filter> '.length + 4);
    await app.press(BACKSPACE);
    await app.press(BACKSPACE);
    f = await app.press(BACKSPACE);
    expect(f).toContain('✓ valid');
    await app.press(LEFT);
    f = await app.press(ENTER);
    expect(f).toContain('filter: tcp');
    expect(store.calls).toContain('filter tcp');
    expect(env.saved.at(-1)).toEqual(['tcp']);
    await app.press('x');
    expect(store.calls.at(-1)).toBe('filter null');
  });

  test('f narrows the filter to the selected host', async () => {
    const { app, store } = start();
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    const f = await app.press('f');
    expect(f).toContain('filter: ip.addr == 10.0.0.1');
    expect(store.calls).toContain('filter ip.addr == 10.0.0.1');
  });

  test('n resolves names in the background', async () => {
    const { app, env } = start();
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('n');
    await app.waitFor((f) => f.includes('gateway.example.com'), 'resolved name');
    expect(env.lookups).toContain('10.0.0.1');
    expect(await app.press('n')).not.toContain('gateway.example.com');
  });

  test('q quits', async () => {
    const { app, quits } = start();
    await app.waitFor((f) => f.includes('wiretop'));
    app.stdin.write('q');
    await app.waitFor(() => quits() === 1, 'quit');
  });

  test('resize re-lays out at once', async () => {
    const { app } = start({ columns: 80, rows: 24 });
    await app.waitFor((f) => f.includes('Top talkers'));
    expect(app.lastFrame().split('\n').find((l) => l.includes('Top talkers'))).not.toContain('Protocols');
    app.resize(160, 48);
    const f = await app.waitFor((x) => (x.split('\n').find((l) => l.includes('Top talkers')) ?? '').includes('Protocols'), 'side layout');
    expect(f).toContain('tx 2s');
  });

  test('history from the injected store is browsable with up', async () => {
    const { app } = start({ env: testEnv({ initialHistory: ['udp', 'icmp'] }) });
    await app.waitFor((f) => f.includes('? help'));
    await app.press('/');
    expect(await app.press(UP)).toContain('filter> icmp');
    expect(await app.press(UP)).toContain('filter> udp');
  });
});
