import { promises as dns } from 'node:dns';
import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { BaselineError, createBaselineMonitor } from '../baseline/index.js';
import type { BaselineCliOptions, BaselineMonitor } from '../baseline/index.js';
import { CaptureError, DEFAULT_RING_MB, PacketRing, defaultInterface, dropPrivileges, isCaptureError, listInterfaces, openFileSource, openLiveSource } from '../capture/index.js';
import type { PacketSource } from '../capture/index.js';
import { Engine } from '../engine/engine.js';
import type { PacketPredicate } from '../engine/engine.js';
import { Runtime } from '../engine/runtime.js';
import { setupDissection } from '../dissect/setup.js';
import { compileFilter, createFilterContext } from '../filter/index.js';
import type { UiEnv } from '../ui/env.js';
import { loadFilterTools } from '../ui/filter-tools.js';
import type { FilterTools } from '../ui/filter-tools.js';
import { defaultHistoryPath, loadHistory, saveHistory } from '../ui/history-file.js';
import type { ReverseLookup } from '../ui/names/name-cache.js';
import { baselineReader } from '../ui/store/baseline-view.js';
import { driversReader } from '../ui/store/drivers.js';
import { exportTargetPcap, ringReach } from '../ui/store/export-pcap.js';
import { PacketStore } from '../ui/store/packet-store.js';
import { systemClock } from '../ui/store/snapshot-store.js';
import { StreamIndex } from '../ui/store/stream-index.js';
import { withExtras } from '../ui/store/with-extras.js';
import type { Clock, SnapshotStore } from '../ui/store/snapshot-store.js';
import { throttleStore } from '../ui/store/throttle-store.js';
import { createTerminalSession } from '../ui/terminal/terminal-session.js';

export interface DashboardOptions extends BaselineCliOptions {
  /** `-i IF`: live capture on this interface (default: the default interface). */
  readonly interface?: string;
  /** `-f EXPR`: capture filter (BPF for live capture, the filter language for files). */
  readonly filter?: string;
  /** `-Y EXPR`: display filter applied from the start (the `/` line edits it later). */
  readonly displayFilter?: string;
  /** `-r FILE|-`: replay a capture file (or stdin) with its recorded timing. */
  readonly read?: string;
  /** `--speed N|max` for `-r` and `--demo`; default 1 (recorded timing). */
  readonly speed?: number | 'max';
  /** `--demo`: replay fixtures/demo.pcap in a loop. */
  readonly demo?: boolean;
  /** `--fps`: frames per second (default 4). */
  readonly fps?: number;
  /** `--no-color` sets false; NO_COLOR in the environment does too. */
  readonly color?: boolean;
  /** `--user`: drop root privileges to this user once a live capture is open. */
  readonly user?: string;
  /**
   * `--ring-mb`: MiB of recent raw packets kept (0: none); default 64. A display filter change
   * re-applies to them (else it counts from the change on), and the packet view reads them.
   */
  readonly ringMb?: number;
}

/** What the dashboard runs on: a snapshot store and the capture behind it. */
export interface DashboardSession {
  readonly store: SnapshotStore;
  /** Reads the capture; resolves at its end (the store keeps publishing), rejects on failure. */
  start(): Promise<unknown>;
  stop(): void;
}

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

export const NOT_A_TERMINAL = 'wiretop: stdout is not a terminal; use `wiretop report` for non-interactive output';

const DEMO_PATH = new URL('../../fixtures/demo.pcap', import.meta.url);

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

function openMonitor(opts: BaselineCliOptions): BaselineMonitor {
  try {
    return createBaselineMonitor(opts);
  } catch (e) {
    if (e instanceof BaselineError) throw new CaptureError(e.message, 2);
    throw e;
  }
}

export async function openDefaultSession(opts: DashboardOptions, tools: FilterTools): Promise<DashboardSession> {
  const monitor = openMonitor(opts);
  let source: PacketSource;
  let capturePredicate: PacketPredicate | null = null;
  const isFile = opts.demo === true || opts.read !== undefined;
  if (isFile) {
    const path = opts.demo ? fileURLToPath(DEMO_PATH) : opts.read!;
    source = openFileSource({ path, speed: opts.speed ?? 1, loop: opts.demo === true });
    if (opts.filter) {
      if (!tools.compile) throw new CaptureError('capture filters on files need the filter module, which is not available', 2);
      const check = tools.validate(opts.filter);
      if (!check.ok) throw new CaptureError(`capture filter: column ${check.column}: ${check.message}`, 2);
      capturePredicate = tools.compile(opts.filter) as PacketPredicate;
    }
  } else {
    const iface = opts.interface ?? defaultInterface(listInterfaces());
    if (!iface) throw new CaptureError('no capture interface found; name one with -i', 2);
    if (opts.filter) {
      // libpcap compiles live capture filters in the kernel: Wireshark field syntax cannot go there.
      const { compileFilter, explainNotPcap, FilterError } = await import('../filter/index.js');
      try {
        const why = explainNotPcap(compileFilter(opts.filter));
        if (why !== null) throw new CaptureError(why, 2);
      } catch (e) {
        if (e instanceof FilterError) throw new CaptureError(`capture filter: column ${e.column}: ${e.message}`, 2);
        throw e;
      }
    }
    source = openLiveSource({ iface, bpf: opts.filter });
    if (opts.user) dropPrivileges(opts.user);
  }
  const engine = new Engine({ capturePredicate, captureFilterText: opts.filter ?? null });
  // One ring of raw packets, owned by the runtime: display filter changes replay it, the packet
  // view reads it (the PacketStore keeps only an index into it), and so does the stream view.
  const ringMb = opts.ringMb ?? DEFAULT_RING_MB;
  const ring = ringMb > 0 ? new PacketRing({ bytes: ringMb * 1024 * 1024 }) : null;
  // Observers: application protocols and stream numbering (the stream view), then the baseline
  // monitor (meters and alerts). StreamIndex must follow the tracker: it reads its verdict on each
  // packet. With a ring the tracker only numbers and counts streams (index mode): the one viewed is
  // reassembled from the ring's packets when asked; without one it reassembles every stream.
  const dissectOpts = { store: ring === null };
  let dissection = setupDissection(engine, dissectOpts);
  const streams = new StreamIndex(dissection.streams, (slot) => engine.flows.gen[slot]!, ring ? { ring, frame: () => runtime.frame } : null);
  let detachIndex = engine.addObserver(streams);
  // When a display filter change replays the ring, dissection starts afresh and is rebuilt from the
  // kept packets like the counts: the stream tracker keeps streams across resets (replayed packets
  // would be added to them twice), and the per-packet classifier follows TCP directions in order.
  const redissect = (): void => {
    dissection.detach();
    detachIndex();
    dissection = setupDissection(engine, dissectOpts);
    streams.follow(dissection.streams);
    detachIndex = engine.addObserver(streams);
  };
  // Meters describe the traffic, not what the display filter lets through: the monitor sees packets
  // before the filter, and gets the engine's ticks (which close idle seconds) separately.
  engine.addPreFilterObserver(monitor);
  engine.addObserver({ onPacket: () => {}, onTick: (sec) => monitor.onTick(sec) });
  const fps = opts.fps ?? 4;
  const runtime = new Runtime({
    engine,
    source,
    // Engine ticks no faster than frames are drawn, and at least once a second.
    intervalMs: Math.min(1000, Math.max(100, Math.round(1000 / fps))),
    // Compiled against this engine's protocol paths, so application protocol names and
    // fields read the per-packet marking (as tshark does) rather than guessing from payload.
    compileDisplayFilter: (text) => {
      const f = compileFilter(text, createFilterContext({ paths: engine.paths }));
      return (p) => f.match(p);
    },
    kind: opts.demo ? 'demo' : undefined,
    ring,
    onReplay: redissect,
  });
  const packets = ring ? new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame) : null;
  if (packets) engine.addObserver(packets);
  if (opts.displayFilter) {
    const check = tools.validate(opts.displayFilter);
    if (!check.ok) throw new CaptureError(`display filter: column ${check.column}: ${check.message}`, 2);
    runtime.setDisplayFilter(opts.displayFilter);
  }
  const store = withExtras(runtime, {
    baseline: baselineReader(monitor),
    stream: (id) => streams.source(id),
    ...(packets ? { packets: (id: string | null) => packets.view(id) } : {}),
    drivers: driversReader(monitor),
    // W writes from the same ring the runtime keeps (every packet read, before any filter).
    ...(ring ? { exportPcap: (target, path, o) => exportTargetPcap(ring, target, path, o), ringReach: () => ringReach(ring) } : {}),
  });
  return { store, start: () => runtime.start(), stop: () => runtime.stop() };
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
  try {
    const [{ render }, { Dashboard }] = await Promise.all([import('ink'), import('../ui/dashboard.js')]);
    return { render, Dashboard };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

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

  const { render, Dashboard } = await loadInk();
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
    session.start().catch((e: unknown) => finish(exitCodeOf(e), e));
  });
}
