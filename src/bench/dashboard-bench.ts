/**
 * The dashboard under load, driven through a real pseudo-terminal: a private
 * tmux server (its own socket, so nobody else's sessions are touched) runs
 * `wiretop -r FILE` at 160x48; the screen is read with capture-pane, CPU from
 * /proc/PID/stat, keys go in with send-keys.
 *
 * Child entries for when the CLI does not route the dashboard yet, and for the
 * no-drawing baseline:
 *   node dist/bench/dashboard-bench.js --child-dashboard -r FILE [--speed N|max]
 *   node dist/bench/dashboard-bench.js --child-headless -r FILE [--speed N|max]   (the same session, nothing drawn)
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from './table.js';
import { REPO_ROOT, timeCommand, which } from './report-bench.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const SELF = fileURLToPath(import.meta.url);
const BIN = join(REPO_ROOT, 'bin/wiretop.js');
const CLK_TCK = 100;

// ---------------------------------------------------------------- terminal

/** Servers still running, so an interrupted bench does not leave them behind. */
const live = new Set<string>();
let isCleanupInstalled = false;

function installCleanup(): void {
  if (isCleanupInstalled) return;
  isCleanupInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const socket of live) execFile('tmux', ['-L', socket, 'kill-server'], () => undefined);
      setTimeout(() => process.exit(130), 200);
    });
  }
}

class Tmux {
  private readonly socket = `wiretop-bench-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  private isStarted = false;

  private tmux(...args: string[]): Promise<string> {
    return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { maxBuffer: 1 << 22 }).then((r) => r.stdout);
  }

  async start(argv: readonly string[], cols: number, rows: number): Promise<number> {
    installCleanup();
    const cmd = 'exec ' + argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    await this.tmux('new-session', '-d', '-s', 'b', '-x', String(cols), '-y', String(rows), cmd, ';',
      'set-option', '-g', 'status', 'off', ';', 'set-option', '-g', 'remain-on-exit', 'on');
    this.isStarted = true;
    live.add(this.socket);
    return Number((await this.tmux('display-message', '-p', '-t', 'b', '#{pane_pid}')).trim());
  }

  screen(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-t', 'b');
  }

  async isDead(): Promise<boolean> {
    return (await this.tmux('display-message', '-p', '-t', 'b', '#{pane_dead}')).trim() === '1';
  }

  keys(...keys: string[]): Promise<string> {
    return this.tmux('send-keys', '-t', 'b', ...keys);
  }

  async stop(): Promise<void> {
    if (!this.isStarted) return;
    this.isStarted = false;
    await this.keys('q').catch(() => '');
    await sleep(300);
    await this.tmux('kill-server').catch(() => '');
    live.delete(this.socket);
  }
}

/** utime + stime of one process, in ms. */
function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

function count(s: string | undefined): number {
  if (s === undefined) return NaN;
  const m = /^([\d.]+)([kMGT]?)$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 } as Record<string, number>)[m[2]!]!;
}

/** What the header says: total packets, flows tracked, whether the capture ended, the talkers view. */
export function readHeader(screen: string): { packets: number; flows: number; isEnded: boolean; view: string | null } {
  return {
    packets: count(/total ([\d.]+[kMGT]?) pkts/.exec(screen)?.[1]),
    flows: count(/flows: ([\d.]+[kMGT]?) tracked/.exec(screen)?.[1]),
    isEnded: screen.includes('end of capture'),
    view: /Top talkers: (\S+)/.exec(screen)?.[1] ?? null,
  };
}

// ---------------------------------------------------------------- how to start it

export interface DashboardInvocation {
  readonly via: 'cli' | 'runDashboard';
  readonly argv: (file: string, speed: string) => string[];
}

/**
 * Without a terminal runDashboard refuses with "stdout is not a terminal"; if
 * the CLI says that, it routes `-r` to the dashboard. Otherwise call
 * runDashboard from a child; null when neither exists.
 */
export async function resolveDashboard(): Promise<DashboardInvocation | null> {
  if (!which('tmux')) return null;
  const demo = join(REPO_ROOT, 'fixtures/demo.pcap');
  const probe = await timeCommand(process.execPath, [BIN, '-r', demo], { timeoutMs: 20_000 });
  if (/not a terminal/.test(probe.stderr)) return { via: 'cli', argv: (f, s) => [process.execPath, BIN, '-r', f, '--speed', s] };
  if (!existsSync(join(REPO_ROOT, 'dist/cli/dashboard.js'))) return null;
  return { via: 'runDashboard', argv: (f, s) => [process.execPath, SELF, '--child-dashboard', '-r', f, '--speed', s] };
}

// ---------------------------------------------------------------- measurements

export interface FullSpeedResult {
  readonly status: 'ok' | 'timeout' | 'error';
  readonly wallMs: number | null;
  readonly cpuMs: number | null;
  /** On a timeout, the rate over the packets read so far. */
  readonly pps: number | null;
  readonly note?: string;
  /** Key latency once the capture has ended (nothing left to ingest): the floor. */
  readonly idleKeyLatencyMs?: readonly number[];
}

/** Replay at --speed max until the header says "end of capture". */
export async function benchFullSpeed(inv: DashboardInvocation, file: string, packets: number, timeoutMs: number, idleKeys = 5): Promise<FullSpeedResult> {
  const t = new Tmux();
  try {
    const t0 = performance.now();
    const pid = await t.start(inv.argv(file, 'max'), 160, 48);
    for (;;) {
      await sleep(40);
      const wallMs = performance.now() - t0;
      const screen = await t.screen();
      if (readHeader(screen).isEnded) {
        const cpuMs = cpuMsOf(pid);
        const idle = await pressKeys(t, idleKeys);
        return { status: 'ok', wallMs, cpuMs, pps: packets / (wallMs / 1000), idleKeyLatencyMs: idle.latencies };
      }
      if (await t.isDead()) return { status: 'error', wallMs: null, cpuMs: null, pps: null, note: lastText(screen) };
      if (wallMs > timeoutMs) {
        // The rate so far still says something; the header's total is rounded to 3 digits.
        const seen = readHeader(screen).packets;
        return {
          status: 'timeout', wallMs, cpuMs: cpuMsOf(pid), pps: Number.isFinite(seen) ? seen / (wallMs / 1000) : null,
          note: `timeout after ${Math.round(timeoutMs / 1000)} s with ~${seen} of ${packets} packets read`,
        };
      }
    }
  } finally {
    await t.stop();
  }
}

function lastText(screen: string): string {
  return screen.split('\n').filter((l) => l.trim() !== '').slice(-2).join(' ').trim().slice(0, 160) || 'exited';
}

export interface LoadedResult {
  readonly status: 'ok' | 'error';
  readonly note?: string;
  /** Flows tracked (header) at the start and end of the CPU window. */
  readonly flows: readonly [number, number];
  readonly windowMs: number;
  readonly packetsInWindow: number;
  /** CPU of the whole dashboard process over the window, as a share of one core. */
  readonly cpuShare: number;
  /** The same session with no terminal and no React: capture, engine, observers, ring, 4 Hz snapshots. */
  readonly headlessCpuShare: number | null;
  /** cpuShare - headlessCpuShare: what drawing costs. */
  readonly drawCpuShare: number | null;
  readonly keyLatencyMs: readonly number[];
  readonly keyMisses: number;
  /** Median time one capture-pane poll took: the resolution of the key latency. */
  readonly pollMs: number;
}

export interface LoadedOptions {
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly keyPresses: number;
}

/**
 * Real-time replay with ~10,000 active flows: CPU over a window after warm-up,
 * then the time from `t` (talkers view: next) to the frame that shows it.
 */
export async function benchLoaded(inv: DashboardInvocation, file: string, o: LoadedOptions): Promise<LoadedResult> {
  const t = new Tmux();
  const fail = (note: string): LoadedResult => ({
    status: 'error', note, flows: [NaN, NaN], windowMs: 0, packetsInWindow: 0, cpuShare: NaN, headlessCpuShare: null, drawCpuShare: null, keyLatencyMs: [], keyMisses: 0, pollMs: NaN,
  });
  let window: { flows: [number, number]; wallMs: number; cpuMs: number; packets: number };
  let keys: KeyTimes = { latencies: [], misses: 0, pollMs: NaN };
  try {
    const pid = await t.start(inv.argv(file, '1'), 160, 48);
    await sleep(o.warmupMs);
    if (await t.isDead()) return fail(lastText(await t.screen()));
    const h0 = readHeader(await t.screen());
    const c0 = cpuMsOf(pid);
    const w0 = performance.now();
    await sleep(o.windowMs);
    const c1 = cpuMsOf(pid);
    const w1 = performance.now();
    const h1 = readHeader(await t.screen());
    if (c0 === null || c1 === null) return fail('dashboard exited during the window');
    if (h1.isEnded) return fail('the capture ended inside the window: make it longer');
    window = { flows: [h0.flows, h1.flows], wallMs: w1 - w0, cpuMs: c1 - c0, packets: h1.packets - h0.packets };
    keys = await pressKeys(t, o.keyPresses);
  } finally {
    await t.stop();
  }
  const headless = await headlessCpu(file, o);
  const cpuShare = window.cpuMs / window.wallMs;
  return {
    status: 'ok',
    flows: window.flows,
    windowMs: window.wallMs,
    packetsInWindow: window.packets,
    cpuShare,
    headlessCpuShare: headless,
    drawCpuShare: headless === null ? null : Math.max(0, cpuShare - headless),
    keyLatencyMs: keys.latencies,
    keyMisses: keys.misses,
    pollMs: keys.pollMs,
  };
}

interface KeyTimes {
  latencies: number[];
  misses: number;
  /** Median time one capture-pane poll took: the resolution of the latencies. */
  pollMs: number;
}

/** Press `t` (talkers view: next) `n` times; each time, wait for the talkers title to show another view. */
async function pressKeys(t: Tmux, n: number): Promise<KeyTimes> {
  const latencies: number[] = [];
  const polls: number[] = [];
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const before = readHeader(await t.screen()).view;
    const k0 = performance.now();
    await t.keys('t');
    let seen = false;
    while (performance.now() - k0 < 2000) {
      const p0 = performance.now();
      const view = readHeader(await t.screen()).view;
      polls.push(performance.now() - p0);
      if (view !== before) {
        seen = true;
        break;
      }
    }
    if (seen) latencies.push(performance.now() - k0);
    else misses++;
    // A random gap, so presses land at different points of the frame cycle.
    await sleep(150 + Math.random() * 250);
  }
  return { latencies, misses, pollMs: median(polls) };
}

/** CPU share of the same replay without drawing, over the same window. */
async function headlessCpu(file: string, o: LoadedOptions): Promise<number | null> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [SELF, '--child-headless', '-r', file, '--speed', '1'], { stdio: 'ignore' });
  try {
    await sleep(o.warmupMs);
    const c0 = cpuMsOf(child.pid!);
    const w0 = performance.now();
    await sleep(o.windowMs);
    const c1 = cpuMsOf(child.pid!);
    const w1 = performance.now();
    return c0 === null || c1 === null ? null : (c1 - c0) / (w1 - w0);
  } finally {
    child.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------- child entries

function childArgs(argv: readonly string[]): { read: string; speed: number | 'max' } {
  const at = (k: string): string | undefined => argv[argv.indexOf(k) + 1];
  const s = at('--speed');
  return { read: at('-r') ?? '', speed: s === undefined || s === 'max' ? (s === 'max' ? 'max' : 1) : Number(s) };
}

async function childDashboard(argv: readonly string[]): Promise<void> {
  const { runDashboard } = await import('../cli/dashboard.js');
  const a = childArgs(argv);
  process.exit(await runDashboard({ read: a.read, speed: a.speed }));
}

/**
 * The dashboard's own session (engine, dissection and reassembly, baseline monitor, packet ring,
 * snapshots at the frame rate through the same throttled store) with nothing drawn: the baseline
 * that "draw CPU" is measured against, so that what the capture pipeline costs per packet is not
 * counted as drawing.
 */
async function childHeadless(argv: readonly string[]): Promise<void> {
  const [{ openDefaultSession }, { loadFilterTools }, { throttleStore }, { systemClock }] = await Promise.all([
    import('../cli/dashboard-session.js'), import('../ui/filter-tools.js'), import('../ui/store/throttle-store.js'), import('../ui/store/snapshot-store.js'),
  ]);
  const a = childArgs(argv);
  const tools = await loadFilterTools(() => import('../filter/index.js') as unknown as Promise<Record<string, unknown>>);
  const session = await openDefaultSession({ read: a.read, speed: a.speed }, tools);
  const store = throttleStore(session.store, 4, systemClock);
  // A subscriber reading each snapshot, as the UI does; the ticker keeps publishing after the end until killed.
  store.subscribe(() => void store.getSnapshot());
  await session.start();
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  if (process.argv[2] === '--child-dashboard') await childDashboard(process.argv.slice(3));
  else if (process.argv[2] === '--child-headless') await childHeadless(process.argv.slice(3));
}
