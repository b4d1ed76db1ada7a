import { promises as dns } from 'node:dns';
import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { createElement } from 'react';
import { isCaptureError } from '../capture/index.js';
import type { UiEnv } from '../ui/env.js';
import { loadFilterTools } from '../ui/filter-tools.js';
import type { FilterTools } from '../ui/filter-tools.js';
import { defaultHistoryPath, loadHistory, saveHistory } from '../ui/history-file.js';
import type { ReverseLookup } from '../ui/names/name-cache.js';
import { systemClock } from '../ui/store/snapshot-store.js';
import type { Clock } from '../ui/store/snapshot-store.js';
import { throttleStore } from '../ui/store/throttle-store.js';
import { openDefaultSession, type DashboardOptions, type DashboardSession } from './dashboard-session.js';
import { installInkCursor } from '../ui/terminal/ink-cursor.js';
import { installInkOutput } from '../ui/terminal/ink-output.js';
import { createTerminalSession } from '../ui/terminal/terminal-session.js';
import { escapeForTerminal } from '../util/escape.js';

export interface DashboardDeps {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly reverseLookup: ReverseLookup;
  readonly historyPath: string;
  readonly loadFilterTools: () => Promise<FilterTools>;
  readonly openSession: (opts: DashboardOptions, tools: FilterTools) => Promise<DashboardSession>;
  /** Where signal and crash handlers are installed (the process). */
  readonly events: Pick<NodeJS.Process, 'on' | 'off'>;
}

export type { DashboardOptions, DashboardSession } from './dashboard-session.js';

export const NOT_A_TERMINAL = 'wiretop: stdout is not a terminal; use `wiretop report` for non-interactive output';

function reverseWithTimeout(ms: number): ReverseLookup {
  return (addr) =>
    new Promise((resolve) => {
      const t = setTimeout(() => resolve([]), ms);
      t.unref(); // a slow resolver must not keep wiretop alive after q
      dns.reverse(addr).then(
        (names) => { clearTimeout(t); resolve(names); },
        () => { clearTimeout(t); resolve([]); },
      );
    });
}

function openTerminalInput(): NodeJS.ReadStream | null {
  try {
    return new ReadStream(openSync('/dev/tty', 'r')) as NodeJS.ReadStream;
  } catch {
    return null;
  }
}

function defaultDeps(): DashboardDeps {
  return {
    stdout: process.stdout,
    stdin: process.stdin,
    stderr: process.stderr,
    env: process.env,
    clock: systemClock,
    reverseLookup: reverseWithTimeout(3000),
    historyPath: defaultHistoryPath(process.env),
    loadFilterTools: () => loadFilterTools(() => import('../filter/index.js') as unknown as Promise<Record<string, unknown>>),
    openSession: openDefaultSession,
    events: process,
  };
}

function describeError(e: unknown): string {
  if (isCaptureError(e)) return `wiretop: ${e.message}\n`;
  if (e instanceof Error) return `wiretop: ${e.stack ?? e.message}\n`;
  return `wiretop: ${String(e)}\n`;
}

function exitCodeOf(e: unknown): number {
  return isCaptureError(e) ? e.exitCode : 1;
}

/**
 * Ink decides once, when it is first imported, whether it runs under CI (env CI or
 * CONTINUOUS_INTEGRATION) and then draws nothing until exit. On a terminal the user wants the
 * screen, so Ink (and the UI that imports it) is loaded here with those variables neutralised.
 * Nothing on the way to runDashboard may import Ink first.
 */
async function loadInk() {
  const saved = { CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION'] };
  for (const k of Object.keys(saved)) if (process.env[k] !== undefined) process.env[k] = 'false';
  // Ink's chalk reads --no-color from argv when it loads and then drops bold and inverse as well.
  // Monochrome (--no-color, as NO_COLOR) leaves out colours only (UiEnv.isColor) and needs those:
  // they show the search match, the caret and the highlighted field.
  const argv = process.argv;
  process.argv = argv.filter((a) => !NO_COLOR_FLAGS.includes(a));
  try {
    const [{ render }, { Dashboard }] = await Promise.all([import('ink'), import('../ui/dashboard.js'), installInkOutput(), installInkCursor()]);
    return { render, Dashboard };
  } finally {
    process.argv = argv;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The argv flags with which chalk (supports-color) turns every style off. */
const NO_COLOR_FLAGS: readonly string[] = ['--no-color', '--no-colors', '--color=false', '--color=never'];

const SIGNAL_CODES = { SIGTERM: 143, SIGHUP: 129, SIGINT: 130 } as const;

/** Ink may draw this often, so a key's frame follows the key at once (data frames stay at --fps). */
const KEY_FRAME_FPS = 30;

/**
 * The full-screen dashboard. Resolves with the exit code once the terminal is restored:
 * 0 on q/Ctrl-C, 128+n on a signal, 2 when stdout is not a terminal, the error's code on failure.
 */
export async function runDashboard(opts: DashboardOptions, overrides: Partial<DashboardDeps> = {}): Promise<number> {
  const d: DashboardDeps = { ...defaultDeps(), ...overrides };
  let ownedInput: NodeJS.ReadStream | null = null;
  if (opts.read === '-' && overrides.stdin === undefined) {
    // The capture arrives on stdin, so keys have to come from the terminal itself.
    const keyboard = openTerminalInput();
    if (keyboard === null) {
      d.stderr.write('wiretop: reading the capture from stdin needs a terminal (/dev/tty) for the keyboard\n');
      return 2;
    }
    (d as { stdin: NodeJS.ReadStream }).stdin = keyboard;
    ownedInput = keyboard;
  }
  if (!d.stdout.isTTY) {
    d.stderr.write(NOT_A_TERMINAL + '\n');
    return 2;
  }
  // Ink and the UI load while the session opens: module loading waits on file reads.
  const inkLoaded = loadInk();
  inkLoaded.catch(() => {}); // awaited below; an early return must not leave it unhandled
  const tools = await d.loadFilterTools();
  let session: DashboardSession;
  try {
    session = await d.openSession(opts, tools);
  } catch (e) {
    d.stderr.write(describeError(e));
    return exitCodeOf(e);
  }
  const fps = opts.fps && opts.fps > 0 ? opts.fps : 4;
  const store = throttleStore(session.store, fps, d.clock);
  const terminal = createTerminalSession(d.stdout, d.stdin);
  const isColor = opts.color !== false && !(d.env['NO_COLOR'] !== undefined && d.env['NO_COLOR'] !== '');
  const env: UiEnv = {
    clock: d.clock,
    reverseLookup: d.reverseLookup,
    validateFilter: tools.validate,
    completeFilter: tools.complete,
    history: { load: () => loadHistory(d.historyPath), save: (h) => saveHistory(d.historyPath, h) },
    isColor,
  };

  const { render, Dashboard } = await inkLoaded;
  return new Promise<number>((resolve) => {
    let isDone = false;
    let ink: { unmount(): void } | null = null;
    const handlers: [string, (...args: unknown[]) => void][] = [];
    const finish = (code: number, error?: unknown): void => {
      if (isDone) return;
      isDone = true;
      for (const [name, fn] of handlers) d.events.off(name as 'exit', fn as () => void);
      try {
        ink?.unmount();
      } catch {
        // the screen is restored below whatever React thinks
      }
      store.dispose();
      try {
        session.stop();
      } catch {
        // stopping a failed source must not hide the error
      }
      terminal.restore();
      ownedInput?.destroy();
      const note = session.exitNote?.() ?? null;
      if (note !== null) d.stderr.write(escapeForTerminal(note) + '\n');
      if (error !== undefined) d.stderr.write(describeError(error));
      resolve(code);
    };
    const on = (name: string, fn: (...args: unknown[]) => void): void => {
      handlers.push([name, fn]);
      d.events.on(name as 'exit', fn as () => void);
    };
    for (const [sig, code] of Object.entries(SIGNAL_CODES)) on(sig, () => finish(code));
    on('uncaughtException', (e) => finish(1, e));
    on('unhandledRejection', (e) => finish(1, e));
    on('exit', () => terminal.restore());

    terminal.enter();
    ink = render(createElement(Dashboard, { store, env, onQuit: () => setImmediate(() => finish(0)) }), {
      stdout: d.stdout,
      stdin: d.stdin,
      stderr: d.stderr,
      exitOnCtrlC: false,
      // Console output would tear the frame; only the real stdout has a console writing to it.
      patchConsole: d.stdout === process.stdout,
      // Snapshots reach React at --fps already (throttleStore). Ink's own throttle at that same rate
      // beat against it and drew every other snapshot (2.0 frames/s at --fps 4, measured), and held
      // the frame after a key press back by up to a whole period (250 ms).
      maxFps: Math.max(fps, KEY_FRAME_FPS),
    });
    // Not before Ink has loaded: the capture then gets little of the main thread (module
    // compilation), and the runtime builds snapshots that nothing draws.
    session.start().catch((e: unknown) => finish(exitCodeOf(e), e));
  });
}
