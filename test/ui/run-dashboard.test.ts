import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { CaptureError } from '../../src/capture/index.js';
import { NOT_A_TERMINAL, runDashboard } from '../../src/cli/dashboard.js';
import type { DashboardDeps, DashboardSession } from '../../src/cli/dashboard.js';
import { filterToolsFrom } from '../../src/ui/filter-tools.js';
import { FakeStore } from './helpers/fake-store.js';
import { busySnapshot } from './helpers/snapshots.js';

class TtyOut extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  text = '';
  write = (s: string): boolean => {
    this.text += s;
    return true;
  };
}

class TtyIn extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  raw: boolean[] = [];
  write(data: string): void {
    this.data = data;
    this.emit('readable');
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(on: boolean): void {
    this.raw.push(on);
  }
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

function harness(start: () => Promise<unknown> = () => new Promise(() => {})) {
  const stdout = new TtyOut();
  const stderr = new TtyOut();
  const stdin = new TtyIn();
  const events = new EventEmitter();
  const store = new FakeStore(busySnapshot());
  let stopped = 0;
  const session: DashboardSession = { store, start, stop: () => void stopped++ };
  const deps: Partial<DashboardDeps> = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    env: {},
    events: events as unknown as NodeJS.Process,
    historyPath: '/nonexistent/wiretop-test/history',
    reverseLookup: async () => [],
    loadFilterTools: async () => filterToolsFrom(null),
    openSession: async () => session,
  };
  return { stdout, stderr, stdin, events, deps, stopped: () => stopped };
}

async function until(test: () => boolean, what: string): Promise<void> {
  // Polls (the first frame waits for Ink's dynamic import); bounded, never a fixed sleep.
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('runDashboard', () => {
  test('refuses a non-terminal stdout with exit code 2', async () => {
    const h = harness();
    h.stdout.isTTY = false;
    expect(await runDashboard({}, h.deps)).toBe(2);
    expect(h.stderr.text).toBe(NOT_A_TERMINAL + '\n');
    expect(h.stdout.text).toBe('');
  });

  test('q leaves the alternate screen and restores the cursor', async () => {
    const h = harness();
    const done = runDashboard({ fps: 4 }, h.deps);
    await until(() => h.stdout.text.includes('Top talkers'), 'first frame');
    expect(h.stdout.text.startsWith('\x1b[?1049h\x1b[?25l')).toBe(true);
    h.stdin.write('q');
    expect(await done).toBe(0);
    expect(h.stdout.text.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(h.stopped()).toBe(1);
    expect(h.events.listenerCount('SIGTERM')).toBe(0);
  });

  test('SIGTERM restores the terminal and exits 143', async () => {
    const h = harness();
    const done = runDashboard({}, h.deps);
    await until(() => h.stdout.text.includes('Top talkers'), 'first frame');
    h.events.emit('SIGTERM');
    expect(await done).toBe(143);
    expect(h.stdout.text.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
  });

  test('a capture failure restores the terminal, then prints the error', async () => {
    let fail: (e: unknown) => void = () => {};
    const h = harness(() => new Promise((_, reject) => (fail = reject)));
    const done = runDashboard({}, h.deps);
    await until(() => h.stdout.text.includes('Top talkers'), 'first frame');
    fail(new CaptureError('truncated file', 1));
    expect(await done).toBe(1);
    expect(h.stdout.text.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(h.stderr.text).toContain('wiretop: truncated file');
  });

  test('an uncaught error restores the terminal and prints the stack', async () => {
    const h = harness();
    const done = runDashboard({}, h.deps);
    await until(() => h.stdout.text.includes('Top talkers'), 'first frame');
    h.events.emit('uncaughtException', new Error('boom'));
    expect(await done).toBe(1);
    expect(h.stdout.text.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(h.stderr.text).toContain('wiretop: Error: boom');
  });

  test('a session that cannot open prints one line and never enters the alternate screen', async () => {
    const h = harness();
    const code = await runDashboard({}, { ...h.deps, openSession: async () => { throw new CaptureError('no such device: eth9', 2); } });
    expect(code).toBe(2);
    expect(h.stderr.text).toBe('wiretop: no such device: eth9\n');
    expect(h.stdout.text).toBe('');
  });
});
