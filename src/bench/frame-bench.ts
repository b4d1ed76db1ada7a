/**
 * What one dashboard frame costs to draw, measured in one process (no terminal, no second run to
 * subtract, so it holds up on a busy machine): the dashboard's session reads FILE at full speed
 * and keeps every snapshot it publishes (4 a second); then the Dashboard component draws those snapshots one after
 * another through Ink into a fake terminal, and the CPU of the drawing loop is divided by the
 * frames (React render and commit, Yoga layout, Ink's output pass, the GC they cause).
 *
 *   node dist/bench/frame-bench.js FILE [frames] [columns] [rows]
 */
import { EventEmitter } from 'node:events';
import { PerformanceObserver } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

export interface FrameCost {
  readonly frames: number;
  /** CPU per frame, ms (the whole process: main thread and GC helpers). */
  readonly cpuMsPerFrame: number;
  /** GC pauses per frame, ms (from PerformanceObserver 'gc'). */
  readonly gcMsPerFrame: number;
  /** Share of one core at `fps` frames per second. */
  readonly coreShareAt: (fps: number) => number;
}

class FakeStdout extends EventEmitter {
  isTTY = true;
  constructor(public columns: number, public rows: number) {
    super();
  }
  write = (): boolean => true;
}

/** A stdin that never types: what Ink needs of a terminal's input, and no more. */
const keyboard = (): NodeJS.ReadStream =>
  Object.assign(new PassThrough(), { isTTY: true, setRawMode() {}, ref() {}, unref() {} }) as unknown as NodeJS.ReadStream;

const turn = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function benchFrames(file: string, frames = 100, columns = 160, rows = 48): Promise<FrameCost> {
  process.env['NODE_ENV'] ??= 'production';
  // Ink draws nothing under CI (see loadInk in cli/dashboard.ts).
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) if (process.env[k] !== undefined) process.env[k] = 'false';
  const [{ openDefaultSession }, { loadFilterTools }, { systemClock }, { render }, { createElement }, { Dashboard }] = await Promise.all([
    import('../cli/dashboard-session.js'), import('../ui/filter-tools.js'), import('../ui/store/snapshot-store.js'),
    import('ink'), import('react'), import('../ui/dashboard.js'),
  ]);
  // As the dashboard draws (cli/dashboard.ts): Ink's frame text built by ui/terminal/ink-output.ts.
  await (await import('../ui/terminal/ink-output.js')).installInkOutput();
  const tools = await loadFilterTools(() => import('../filter/index.js') as unknown as Promise<Record<string, unknown>>);
  const session = await openDefaultSession({ read: file, speed: 'max' }, tools);
  const seen: ReturnType<typeof session.store.getSnapshot>[] = [];
  const timer = setInterval(() => {
    const s = session.store.getSnapshot();
    if (s !== seen[seen.length - 1]) seen.push(s);
  }, 20);
  await session.start();
  clearInterval(timer);
  session.stop();
  // The later two thirds: every table full, as on a screen that has been up for a while.
  const snaps = seen.slice(Math.floor(seen.length / 3));
  if (snaps.length === 0) throw new Error(`${file}: read too fast to keep snapshots; use a larger capture`);
  let at = 0;
  const listeners = new Set<() => void>();
  const store = {
    ...session.store,
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    getSnapshot: () => snaps[at % snaps.length]!,
  };
  const next = (): void => {
    at++;
    for (const l of listeners) l();
  };
  const env = {
    clock: systemClock, reverseLookup: async () => [], validateFilter: tools.validate, completeFilter: tools.complete,
    history: { load: () => [], save: () => {} }, isColor: true,
  };
  const stdout = new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream;
  const ink = render(createElement(Dashboard, { store, env, onQuit: () => {} }), {
    stdout, stderr: stdout, stdin: keyboard(), exitOnCtrlC: false, patchConsole: false, maxFps: 1000,
  });
  for (let i = 0; i < 10; i++) {
    next();
    await turn(20);
  }
  let gcMs = 0;
  const gc = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const c0 = process.cpuUsage();
  for (let i = 0; i < frames; i++) {
    next();
    await turn(20);
  }
  const c = process.cpuUsage(c0);
  gc.disconnect();
  ink.unmount();
  const cpuMsPerFrame = (c.user + c.system) / 1000 / frames;
  return { frames, cpuMsPerFrame, gcMsPerFrame: gcMs / frames, coreShareAt: (fps) => (cpuMsPerFrame * fps) / 1000 };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, frames, cols, rows] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node dist/bench/frame-bench.js FILE [frames] [columns] [rows]\n');
    process.exit(2);
  }
  const r = await benchFrames(file, Number(frames ?? 100), Number(cols ?? 160), Number(rows ?? 48));
  process.stdout.write(`${r.cpuMsPerFrame.toFixed(2)} ms CPU per frame (GC ${r.gcMsPerFrame.toFixed(2)} ms), ${(r.coreShareAt(4) * 100).toFixed(1)}% of a core at 4 fps\n`);
  process.exit(0);
}
