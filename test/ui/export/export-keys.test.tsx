import { afterEach, describe, expect, test } from 'vitest';
import { Dashboard } from '../../../src/ui/dashboard.js';
import type { ExportOutcome, ExportTarget } from '../../../src/ui/export/export-target.js';
import type { DriverView } from '../../../src/ui/store/drivers.js';
import type { StreamViewSource } from '../../../src/ui/stream/stream-data.js';
import type { UiSnapshot } from '../../../src/ui/store/ui-snapshot.js';
import { baselineView } from '../helpers/baseline.js';
import { testEnv } from '../helpers/env.js';
import { FakeStore } from '../helpers/fake-store.js';
import { renderSized } from '../helpers/render-sized.js';
import type { Rendered } from '../helpers/render-sized.js';
import { busySnapshot, conversation } from '../helpers/snapshots.js';
import { httpChunks, source } from '../stream/stream-fixtures.js';

const ESC = '\x1b';
const ENTER = '\r';
const CTRL_U = '\x15';
const TAB = '\t';

/** A store with a ring (scripted outcomes), streams and meter drivers. */
class RingStore extends FakeStore {
  readonly writes: { target: ExportTarget; path: string; overwrite: boolean }[] = [];
  outcomes: ExportOutcome[] = [];
  constructor(snapshot: UiSnapshot, private readonly streams: Record<string, StreamViewSource> = {}, private readonly driverRows: Record<string, DriverView[]> = {}) {
    super(snapshot);
  }
  exportPcap = (target: ExportTarget, path: string, opts: { readonly overwrite: boolean }): ExportOutcome => {
    this.writes.push({ target, path, overwrite: opts.overwrite });
    return this.outcomes.shift() ?? { ok: true, packets: 0, path, format: 'pcap' };
  };
  ringReach = (): string => 'ring holds the last 3m12s, 48,211 packets; older packets are not in it';
  getStream = (id: string): StreamViewSource | null => this.streams[id] ?? null;
  getDrivers = (metric: string): readonly DriverView[] => this.driverRows[metric] ?? [];
}

let app: Rendered | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

describe('W writes the selection to a pcap', () => {
  test('on a host: the prompt names the file and the ring; Enter writes; an existing file needs y', async () => {
    const store = new RingStore(busySnapshot());
    store.outcomes = [{ ok: false, exists: true, message: 'out.pcap exists' }, { ok: true, packets: 1234, path: 'out.pcap', format: 'pcap' }];
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    const prompt = await app.press('W');
    expect(prompt).toContain('write host 10.0.0.1 to: wiretop-10.0.0.1-20231114T221420Z.pcap');
    expect(prompt).toContain('ring holds the last 3m12s, 48,211 packets; older packets are not in it');
    expect(prompt).toContain('Enter write  Esc cancel');
    await app.press(CTRL_U);
    await app.press('out.pcap');
    // Keys belong to the prompt: t is text here, not the talkers view.
    expect(app.lastFrame()).toContain('to: out.pcap');
    await app.press(ENTER);
    await app.waitFor((f) => f.includes('out.pcap exists: overwrite it? y overwrites'), 'the overwrite question');
    expect(store.writes).toEqual([{ target: { kind: 'host', addr: '10.0.0.1' }, path: 'out.pcap', overwrite: false }]);
    await app.press('y');
    await app.waitFor((f) => f.includes('wrote 1,234 packets to out.pcap'), 'the result');
    expect(store.writes[1]).toEqual({ target: { kind: 'host', addr: '10.0.0.1' }, path: 'out.pcap', overwrite: true });
  });

  test('Esc cancels; n on the overwrite question goes back to the name; errors are one line', async () => {
    const store = new RingStore(busySnapshot());
    store.outcomes = [{ ok: false, exists: true, message: 'x exists' }, { ok: false, exists: false, message: "EACCES: permission denied, open '/x.pcap'" }];
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('W');
    expect(await app.press(ESC)).toContain('not written');
    expect(store.writes).toEqual([]);
    await app.press('t');
    const conv = await app.press('W');
    expect(conv).toContain('write TCP 10.0.0.1:40001 <-> 192.168.1.1:443 to: wiretop-TCP-10.0.0.1-40001-192.168.1.1-443-');
    await app.press(ENTER);
    await app.waitFor((f) => f.includes('exists: overwrite it?'), 'the overwrite question');
    expect(await app.press('n')).toContain('write TCP 10.0.0.1:40001');
    await app.press(ENTER);
    await app.waitFor((f) => f.includes("not written: EACCES: permission denied, open '/x.pcap'"), 'the error');
    expect(store.writes.map((w) => w.target)).toEqual([
      { kind: 'conversation', proto: 'TCP', a: '10.0.0.1', aPort: 40001, b: '192.168.1.1', bPort: 443 },
      { kind: 'conversation', proto: 'TCP', a: '10.0.0.1', aPort: 40001, b: '192.168.1.1', bPort: 443 },
    ]);
  });

  test('in the stream view W writes its conversation; the prompt has the keys, the view keeps its place', async () => {
    const store = new RingStore(busySnapshot(), { c1: source(httpChunks()) });
    store.outcomes = [{ ok: true, packets: 9, path: 's.pcap', format: 'pcap' }];
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 30);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('t');
    expect(await app.press('s')).toContain('tcp.stream 3');
    const prompt = await app.press('W');
    expect(prompt).toContain('write TCP 10.0.0.1:40001 <-> 192.168.1.1:443 to:');
    expect(prompt).toContain('tcp.stream 3');
    await app.press(CTRL_U);
    await app.press('s.pcap'); // m and other view keys are text while the prompt is open
    await app.press(ENTER);
    const done = await app.waitFor((f) => f.includes('wrote 9 packets to s.pcap'), 'the result');
    await new Promise((r) => setImmediate(r)); // the view's input handler re-subscribes after the frame
    expect(done).toContain('tcp.stream 3');
    expect(store.writes[0]!.path).toBe('s.pcap');
    expect(await app.press('m')).toContain('47 45 54'); // the view has its keys back
  });

  test('a port row, or a session without a ring, says why nothing is written; help lists W', async () => {
    const plain = new FakeStore(busySnapshot());
    app = renderSized(<Dashboard store={plain} env={testEnv()} onQuit={() => {}} />, 120, 40);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    const prompt = await app.press('W');
    expect(prompt).toContain('no packets are kept in this session (--ring-mb 0)');
    await app.press(ENTER);
    await app.waitFor((f) => f.includes('not written: no packets are kept in this session'), 'the refusal');
    await app.press('t');
    await app.press('t');
    expect(await app.press('W')).toContain('W writes hosts and conversations');
    const help = await app.press('?');
    expect(help).toContain("write the selection's packets");
  });

  test('at 80 columns a long conversation is cut in the prompt, but ` to: ` still shows where the path starts', async () => {
    const v6 = conversation(1, '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:2');
    const store = new RingStore(busySnapshot({ conversations: [v6] }));
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 80, 24);
    await app.waitFor((f) => f.includes('Top talkers'));
    await app.press('t');
    const prompt = (await app.press('W')).split('\n').find((l) => l.startsWith('write '))!;
    expect(prompt).toMatch(/^write TCP \[2001:db8:.*… to: /);
    expect([...prompt].length).toBeLessThanOrEqual(80);
    await app.press(CTRL_U);
    expect(await app.press('mine.pcap')).toMatch(/… to: mine\.pcap/);
  });
});

describe('deviation meter drill-down', () => {
  const drivers = {
    'distinct ports per source': [{ label: '10.0.0.9', value: 212 }, { label: '10.0.0.7', value: 40 }],
    'random-looking DNS names per client and domain': [{ label: '10.0.0.3 evil\x1b[2J.example', value: 30 }],
  };

  test('Tab reaches the meters, Enter shows the drivers (escaped), f filters to them, Esc goes back', async () => {
    const store = new RingStore(busySnapshot({ baseline: baselineView() }), {}, drivers);
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 40);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('d');
    await app.press(TAB);
    const focused = await app.press(TAB);
    expect(focused).toContain('Deviation meters (Enter: what drives it');
    expect(focused).toContain('> distinct ports per sour');
    const view = await app.press(ENTER);
    expect(view).toContain('What drives "distinct ports per source"');
    expect(view).toContain('10.0.0.9');
    expect(view).toContain('212');
    expect(view).toContain('now 212 count, normal 0–64: critical');
    const back = await app.press(ESC);
    expect(back).toContain('> distinct ports per sour');
    await app.press(ENTER);
    const filtered = await app.press('f');
    expect(store.calls).toContain('filter ip.addr in {10.0.0.9, 10.0.0.7}');
    expect(filtered).toContain('ip.addr in {10.0.0.9, 10.0.0.7}');
    expect(filtered).toContain('Top talkers'); // back on the main screen, to see what is left
  });

  test('a meter whose drivers are names: escaped on screen, quoted in the filter; d hands the focus back', async () => {
    const snap = busySnapshot({
      baseline: baselineView({ meters: [{ name: 'random-looking DNS names per client and domain', unit: 'per 60 s', current: 30, low: 0, high: 20, deviation: 6, level: 'high', learning: false }] }),
    });
    const store = new RingStore(snap, {}, drivers);
    app = renderSized(<Dashboard store={store} env={testEnv()} onQuit={() => {}} />, 120, 40);
    await app.waitFor((f) => f.includes('> 10.0.0.1 '));
    await app.press('d');
    await app.press(TAB);
    await app.press(TAB);
    const view = await app.press(ENTER);
    expect(view).toContain('10.0.0.3 evil\\x1b[2J.example');
    expect(view).not.toContain('\x1b[2J');
    await app.press('F');
    expect(store.calls).toContain('filter !((ip.addr == 10.0.0.3 && dns.qry.name contains "evil\\x1b[2J.example"))');
    const chart = await app.press('d');
    expect(chart).toContain('Rate of all traffic');
    expect(await app.press('j')).toContain('> 10.0.0.2 ');
  });
});
