import { afterEach, describe, expect, test } from 'vitest';
import { Dashboard } from '../../src/ui/dashboard.js';
import { createUiReducer } from '../../src/ui/state/ui-reducer.js';
import type { KeyContext } from '../../src/ui/state/ui-reducer.js';
import { initialUiState } from '../../src/ui/state/ui-state.js';
import type { UiState } from '../../src/ui/state/ui-state.js';
import type { StreamViewSource } from '../../src/ui/stream/stream-data.js';
import type { UiSnapshot } from '../../src/ui/store/ui-snapshot.js';
import { baselineView } from './helpers/baseline.js';
import { fakeValidate, testEnv } from './helpers/env.js';
import { FakeStore } from './helpers/fake-store.js';
import { renderSized } from './helpers/render-sized.js';
import type { Rendered } from './helpers/render-sized.js';
import { busySnapshot } from './helpers/snapshots.js';
import { httpChunks, source } from './stream/stream-fixtures.js';
import { decodeAll } from './packets/packet-fixtures.js';
import type { PacketsView } from '../../src/ui/store/packet-store.js';

const ESC = '\x1b';
const ENTER = '\r';
const DOWN = '\x1b[B';

const reduce = createUiReducer({ validate: fakeValidate, complete: () => null });

function keys(state: UiState, context: KeyContext, ...names: string[]): UiState {
  return names.reduce((s, k) => reduce(s, { type: 'key-pressed', key: k, input: k.length === 1 ? k : '', context }), state);
}

describe('view navigation (reducer)', () => {
  const context: KeyContext = { snapshot: busySnapshot({ baseline: baselineView({ raised: 4 }) }), pageSize: 5, helpPages: 3 };

  test('a toggles the alerts view and marks what was raised as seen; Esc does too', () => {
    let s = keys(initialUiState(), context, 'a');
    expect(s.nav).toEqual([{ kind: 'alerts' }]);
    expect(s.alertsSeen).toBe(4);
    s = keys({ ...s, alertsSeen: 0 }, context, 'a');
    expect(s.nav).toEqual([]);
    expect(s.alertsSeen).toBe(4);
    s = keys({ ...keys(s, context, 'a'), alertsSeen: 1 }, context, 'escape');
    expect(s.nav).toEqual([]);
    expect(s.alertsSeen).toBe(4);
  });

  test('the cursor moves through alerts in the alerts view', () => {
    const s = keys(initialUiState(), context, 'a', 'down');
    expect(s.cursors['alerts']).toEqual({ key: 'dns-tunnel\u0000evil\x1b[2J.example', index: 1 });
  });

  test('h opens and closes health; d swaps chart and meters', () => {
    expect(keys(initialUiState(), context, 'h').nav).toEqual([{ kind: 'health' }]);
    expect(keys(initialUiState(), context, 'h', 'h').nav).toEqual([]);
    expect(keys(initialUiState(), context, 'd').lowerPanel).toBe('meters');
    expect(keys(initialUiState(), context, 'd', 'd').lowerPanel).toBe('chart');
  });

  test('s opens the stream of the selected or shown conversation; elsewhere it says what it needs', () => {
    const onHost = keys(initialUiState(), context, 's');
    expect(onHost.nav).toEqual([]);
    expect(onHost.notice).toContain('select one first');
    const fromList = keys(initialUiState(), context, 't', 'down', 's');
    expect(fromList.nav).toEqual([{ kind: 'stream', id: 'c2' }]);
    expect(keys(fromList, context, 's')).toBe(fromList);
    const fromDetail = keys(initialUiState(), context, 'enter', 'enter', 's');
    expect(fromDetail.nav.map((n) => n.kind)).toEqual(['host', 'conversation', 'stream']);
    expect(reduce(fromDetail, { type: 'view-closed', kind: 'stream' }).nav.map((n) => n.kind)).toEqual(['host', 'conversation']);
    expect(reduce(fromList, { type: 'view-closed', kind: 'packets' })).toBe(fromList);
  });

  test('v opens the packets of a conversation, or of everything', () => {
    expect(keys(initialUiState(), context, 't', 'v').nav).toEqual([{ kind: 'packets', id: 'c1' }]);
    expect(keys(initialUiState(), context, 'v').nav).toEqual([{ kind: 'packets', id: null }]);
  });

  test('help pages turn within the page count and reset on reopening', () => {
    let s = keys(initialUiState(), context, '?', 'down', 'space', 'down', 'down');
    expect(s.helpPage).toBe(2);
    s = keys(s, context, 'up');
    expect(s.helpPage).toBe(1);
    s = keys(s, context, '?', '?');
    expect(s.helpPage).toBe(0);
  });
});

class StreamStore extends FakeStore {
  readonly asked: string[] = [];
  constructor(snapshot: UiSnapshot, private readonly streams: Record<string, StreamViewSource>) {
    super(snapshot);
  }
  getStream = (id: string): StreamViewSource | null => {
    this.asked.push(id);
    return this.streams[id] ?? null;
  };
  getPackets = (id: string | null): PacketsView | null => {
    this.asked.push(`packets ${id}`);
    const { summaries, details } = decodeAll();
    return id === 'c1' || id === null ? { summaries, detailOf: (no) => details[no - 1] ?? null } : null;
  };
}

let app: Rendered | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

describe('views in the dashboard', () => {
  test('alerts: the header counts new ones until the view is opened', async () => {
    const store = new FakeStore(busySnapshot({ baseline: baselineView({ raised: 2 }) }));
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('2 new alerts (a)'));
    const view = await app.press('a');
    expect(view).toContain('Alerts: 2 (1 active)');
    expect(view).toContain('port-scan');
    expect(view).toContain('alerts: 0 new');
    const back = await app.press(ESC);
    expect(back).toContain('Top talkers');
    expect(back).toContain('alerts: 0 new');
    store.publish(busySnapshot({ baseline: baselineView({ raised: 3 }) }));
    await app.waitFor((f) => f.includes('1 new alert (a)'), 'a new alert');
  });

  test('d shows the deviation meters in the chart slot; h shows capture health', async () => {
    const store = new FakeStore(busySnapshot({ baseline: baselineView(), malformedReasons: [{ reason: 'TCP header truncated', count: 3 }] }));
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 40);
    await app.waitFor((f) => f.includes('Rate of all traffic'));
    const meters = await app.press('d');
    expect(meters).toContain('Deviation meters');
    expect(meters).toContain('critical');
    expect(meters).not.toContain('Rate of all traffic');
    const health = await app.press('h');
    expect(health).toContain('Capture health');
    expect(health).toContain('TCP header truncated');
    expect(await app.press('h')).toContain('Deviation meters');
  });

  test('s opens the stream view of a conversation; its keys are its own; Esc comes back', async () => {
    const store = new StreamStore(busySnapshot(), { c1: source(httpChunks()) });
    let quits = 0;
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => quits++} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press(ENTER);
    expect(await app.press(ENTER)).toContain('Conversation detail');
    const view = await app.press('s');
    expect(view).toContain('tcp.stream 3');
    expect(view).toContain('GET /index.html HTTP/1.1');
    expect(store.asked).toContain('c1');
    // Keys are the stream view's now: t would switch the talkers view, here it does nothing.
    expect(await app.press('t', { expectChange: false })).toContain('tcp.stream 3');
    expect(await app.press('m')).toContain('47 45 54'); // hex dump of "GET"
    expect(await app.press(ESC)).toContain('Conversation detail');
    expect(quits).toBe(0);
    expect(await app.press('t')).toContain('Top talkers: conversations');
  });

  test('a conversation without a stream, or a session without reassembly, gets a placeholder', async () => {
    const store = new StreamStore(busySnapshot(), {});
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    const none = await app.press('s');
    expect(none).toContain('No reassembled data for this conversation');
    expect(await app.press(ESC)).toContain('Top talkers: conversations');
    app.unmount();
    const plain = new FakeStore(busySnapshot());
    app = renderSized(<Dashboard store={plain} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    expect(await app.press('s')).toContain('Stream reassembly is not running');
    expect(await app.press('v')).toContain('Packets');
  });

  test('v opens the packet view of a conversation; its keys are its own; Esc comes back', async () => {
    const store = new StreamStore(busySnapshot(), {});
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    const view = await app.press('v');
    expect(view).toMatch(/No\.\s+Time\s+Source\s+Destination\s+Proto/);
    expect(view).toContain('51234 → 80 [SYN]');
    expect(store.asked).toContain('packets c1');
    expect(await app.press(DOWN)).toMatch(/^> +2 /m);
    expect(await app.press(ENTER)).toContain('Transmission Control Protocol');
    await app.press(ESC); // tree back to the list
    expect(await app.press(ESC)).toContain('Top talkers: conversations');
    const other = await app.press(DOWN);
    expect(other).toContain('Top talkers: conversations');
    expect(await app.press('v')).toContain('This conversation has no packets to list');
  });

  test('the conversation detail lists the kept packets of the conversation', async () => {
    const store = new StreamStore(busySnapshot(), {});
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    const detail = await app.press(ENTER);
    expect(detail).toContain('Conversation detail');
    expect(detail).toContain('Recent packets (No.');
    expect(detail).toContain('51234 → 80 [SYN]');
  });

  test('two Escs read at once go back two levels', async () => {
    const store = new FakeStore(busySnapshot());
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press(ENTER);
    expect(await app.press(ENTER)).toContain('Conversation detail');
    expect(await app.press(ESC + ESC)).toContain('Top talkers: hosts');
    await app.press(ENTER);
    // Esc and a key in one read: back, then the key.
    const both = await app.press(ESC + 'd');
    expect(both).toContain('Top talkers: hosts');
    expect(both).toContain('Deviation meters');
  });

  test('Ctrl-C quits from the stream view', async () => {
    const store = new StreamStore(busySnapshot(), { c1: source(httpChunks()) });
    let quits = 0;
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => quits++} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    await app.press('s');
    await app.waitFor((f) => f.includes('tcp.stream 3'));
    app.stdin.write('\x03');
    for (let i = 0; i < 50 && quits === 0; i++) await new Promise((r) => setImmediate(r));
    expect(quits).toBe(1);
  });

  async function waitQuit(quits: () => number): Promise<void> {
    for (let i = 0; i < 50 && quits() === 0; i++) await new Promise((r) => setImmediate(r));
  }

  test('in the stream view q quits, ? shows help and keeps the view\'s place, Space pauses', async () => {
    const store = new StreamStore(busySnapshot(), { c1: source(httpChunks()) });
    let quits = 0;
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => quits++} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    await app.press('s');
    await app.waitFor((f) => f.includes('tcp.stream 3'));
    const hex = await app.press('m'); // a view state to keep across help
    const help = await app.press('?');
    expect(help).toContain('Help: ? or Esc closes');
    expect(help).not.toContain('tcp.stream 3');
    const back = await app.press('?');
    expect(back).toContain('tcp.stream 3');
    expect(back).toBe(hex);
    expect(await app.press(' ')).toContain('PAUSED');
    await app.waitFor(() => store.calls.includes('pause'), 'pause call');
    expect(await app.press(' ')).not.toContain('PAUSED');
    app.stdin.write('q');
    await waitQuit(() => quits);
    expect(quits).toBe(1);
  });

  test('in the stream view q is text while the search line or the write prompt is open, even typed in one read', async () => {
    const store = new StreamStore(busySnapshot(), { c1: source(httpChunks()) });
    let quits = 0;
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => quits++} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    await app.press('s');
    await app.waitFor((f) => f.includes('tcp.stream 3'));
    const search = await app.press('/q? ');
    expect(search).toMatch(/^\/q\?/m);
    expect(search).toContain('tcp.stream 3');
    expect(search).not.toContain('PAUSED');
    await app.press(ESC);
    expect(await app.press('w')).toContain('to: tcp-stream-3.bin');
    expect(await app.press('q')).toContain('to: tcp-stream-3.binq');
    await app.press(ESC);
    expect(quits).toBe(0);
    // Closed again: q quits.
    app.stdin.write('q');
    await waitQuit(() => quits);
    expect(quits).toBe(1);
  });

  test('in the packet view q quits, ? shows help and Space pauses', async () => {
    const store = new StreamStore(busySnapshot(), {});
    let quits = 0;
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => quits++} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    await app.press('v');
    const moved = await app.press(DOWN);
    expect(moved).toMatch(/^> +2 /m);
    expect(await app.press('?')).toContain('Help: ? or Esc closes');
    expect(await app.press(ESC)).toMatch(/^> +2 /m);
    expect(await app.press(' ')).toContain('PAUSED');
    app.stdin.write('q');
    await waitQuit(() => quits);
    expect(quits).toBe(1);
  });

  test('help pages at 80x24 and lists the stream view keys', async () => {
    const store = new FakeStore(busySnapshot());
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 80, 24);
    await app.waitFor((f) => f.includes('Top talkers'));
    const first = await app.press('?');
    expect(first).toMatch(/page 1 of \d/);
    let all = first;
    let f = first;
    while (!/page (\d) of \1/.test(f)) {
      f = await app.press(DOWN);
      all += f;
    }
    expect(all).toContain('search the stream text');
    expect(all).toContain('capture health');
  });
});
