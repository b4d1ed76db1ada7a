import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { adaptCompletion, filterToolsFrom } from '../../src/ui/filter-tools.js';
import { defaultHistoryPath, loadHistory, saveHistory } from '../../src/ui/history-file.js';
import { NameCache } from '../../src/ui/names/name-cache.js';
import type { Clock } from '../../src/ui/store/snapshot-store.js';
import { throttleStore } from '../../src/ui/store/throttle-store.js';
import { createTerminalSession } from '../../src/ui/terminal/terminal-session.js';
import { FakeStore } from './helpers/fake-store.js';
import { busySnapshot } from './helpers/snapshots.js';

class FakeClock implements Clock {
  t = 0;
  timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  advance(ms: number): void {
    this.t += ms;
    for (const due of this.timers.filter((x) => x.at <= this.t)) {
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
  }
}

describe('throttleStore', () => {
  /** A throttled store at 4 fps over a fake clock, and how many times it has notified. */
  const throttled = () => {
    const clock = new FakeClock();
    clock.t = 10_000;
    const inner = new FakeStore(busySnapshot({ seq: 0 }));
    const store = throttleStore(inner, 4, clock);
    const n = { notes: 0 };
    store.subscribe(() => n.notes++);
    return { clock, inner, store, n };
  };

  test('notifies at most fps times a second with the newest snapshot', () => {
    const { clock, inner, store, n } = throttled();
    inner.publish(busySnapshot({ seq: 1 }));
    expect(n.notes).toBe(1);
    expect(store.getSnapshot().seq).toBe(1);
    for (let i = 2; i < 50; i++) inner.publish(busySnapshot({ seq: i }));
    expect(n.notes).toBe(1);
    expect(store.getSnapshot().seq).toBe(1);
    clock.advance(249);
    expect(n.notes).toBe(1);
    clock.advance(1);
    expect(n.notes).toBe(2);
    expect(store.getSnapshot().seq).toBe(49);
    store.dispose();
    inner.publish(busySnapshot({ seq: 99 }));
    clock.advance(1000);
    expect(n.notes).toBe(2);
  });

  test('the end of the capture is told at once, not a period later', () => {
    const { clock, inner, store, n } = throttled();
    inner.publish(busySnapshot({ seq: 1 }));
    inner.publish(busySnapshot({ seq: 2 }));
    expect(n.notes).toBe(1);
    const end = busySnapshot({ seq: 3 });
    inner.publish({ ...end, source: { ...end.source, ended: true } });
    expect(n.notes).toBe(2);
    expect(store.getSnapshot().source.ended).toBe(true);
    // Later snapshots of the ended capture (a filter change) are throttled again.
    inner.publish({ ...end, seq: 4, source: { ...end.source, ended: true } });
    expect(n.notes).toBe(2);
    clock.advance(250);
    expect([n.notes, store.getSnapshot().seq]).toEqual([3, 4]);
    store.dispose();
  });

  test('commands pass through', () => {
    const inner = new FakeStore(busySnapshot());
    const store = throttleStore(inner, 4, new FakeClock());
    store.setFocus('c1');
    store.pause();
    store.resume();
    store.setDisplayFilter('tcp');
    expect(inner.calls).toEqual(['focus c1', 'pause', 'resume', 'filter tcp']);
  });
});

describe('NameCache', () => {
  test('resolves in the background, bounded concurrency, failures remembered', async () => {
    const pending: { addr: string; resolve: (n: string[]) => void; reject: (e: Error) => void }[] = [];
    const cache = new NameCache((addr) => new Promise((resolve, reject) => pending.push({ addr, resolve, reject })), { concurrency: 2 });
    let notes = 0;
    cache.subscribe(() => notes++);
    cache.request(['a', 'b', 'c']);
    expect(pending.map((p) => p.addr)).toEqual(['a', 'b']);
    expect(cache.get('a')).toBeUndefined();
    pending[0]!.resolve(['host-a']);
    pending[1]!.reject(new Error('NXDOMAIN'));
    await Promise.resolve();
    await Promise.resolve();
    expect(cache.get('a')).toBe('host-a');
    expect(notes).toBe(1);
    expect(pending.map((p) => p.addr)).toEqual(['a', 'b', 'c']);
    cache.request(['a', 'b']);
    expect(pending).toHaveLength(3);
  });
});

describe('history file', () => {
  test('round trip, bounded, missing file is empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wiretop-hist-'));
    const path = join(dir, 'sub', 'history');
    expect(loadHistory(path)).toEqual([]);
    saveHistory(path, ['a', 'b', 'c', 'd'], 3);
    expect(readFileSync(path, 'utf8')).toBe('b\nc\nd\n');
    expect(loadHistory(path, 2)).toEqual(['c', 'd']);
    writeFileSync(path, 'x\n\n y \n');
    expect(loadHistory(path)).toEqual(['x', ' y ']);
    expect(defaultHistoryPath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/wiretop/history');
  });
});

describe('filter tools', () => {
  test('completion shapes', () => {
    expect(adaptCompletion('tcp.p', 5, { text: 'tcp.port', cursor: 8 })).toEqual({ text: 'tcp.port', cursor: 8 });
    expect(adaptCompletion('a && tcp.p', 10, ['tcp.port'])).toEqual({ text: 'a && tcp.port ', cursor: 14 });
    expect(adaptCompletion('tcp.', 4, { candidates: ['tcp.port', 'tcp.flags'], start: 0 })).toEqual(null);
    expect(adaptCompletion('tcp.f', 5, { completions: ['tcp.flags', 'tcp.flags.syn'] })).toEqual({ text: 'tcp.flags', cursor: 9 });
    expect(adaptCompletion('x', 1, [])).toBeNull();
  });

  test('validation through compile errors, or unavailable', () => {
    const tools = filterToolsFrom({
      compileFilter: (t: string) => {
        if (t.includes('!!')) throw Object.assign(new Error('bad'), { column: 3 });
        return { match: () => true };
      },
    });
    expect(tools.validate('tcp')).toEqual({ ok: true });
    expect(tools.validate('a !!')).toEqual({ ok: false, column: 3, message: 'bad' });
    expect(filterToolsFrom(null).validate('tcp').ok).toBe(false);
    expect(filterToolsFrom(null).compile).toBeNull();
  });
});

describe('terminal session', () => {
  test('enter and restore once each', () => {
    let out = '';
    const raw: boolean[] = [];
    const t = createTerminalSession({ write: (s) => (out += s) }, { isTTY: true, setRawMode: (on) => raw.push(on) });
    t.enter();
    t.enter();
    t.restore();
    t.restore();
    expect(out.match(/\x1b\[\?1049h/g)).toHaveLength(1);
    expect(out.match(/\x1b\[\?1049l/g)).toHaveLength(1);
    expect(out).toContain('\x1b[?25l');
    expect(out.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(raw).toEqual([false]);
  });
});
