/**
 * End-to-end `wiretop report --json` against tshark and tcpdump on the same
 * file, each a separate process timed from outside (wall clock, CPU and peak
 * RSS from /usr/bin/time), plus the cached benchmark captures they read.
 *
 * Also a child entry for when the CLI is not wired yet:
 *   node dist/bench/report-bench.js --child-report -r FILE --json
 * runs runReport directly, so the numbers still come from a fresh process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchCapture, type BenchCaptureOptions, type BenchCaptureSummary } from '../fixtures-gen/bench-capture.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

// ---------------------------------------------------------------- captures

export interface CachedCapture {
  readonly path: string;
  readonly summary: BenchCaptureSummary;
  readonly reused: boolean;
}

/**
 * bench/out/NAME.pcap with a NAME.json beside it recording the options; the
 * file is rewritten only when the options differ or the size does not match.
 */
export function ensureCapture(dir: string, name: string, opts: BenchCaptureOptions): CachedCapture {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.pcap`);
  const metaPath = join(dir, `${name}.json`);
  const want = JSON.stringify(opts);
  if (existsSync(path) && existsSync(metaPath)) {
    try {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { options: string; summary: BenchCaptureSummary };
      if (meta.options === want && statSync(path).size === meta.summary.fileBytes) return { path, summary: meta.summary, reused: true };
    } catch {
      // unreadable metadata: write the capture again
    }
  }
  const summary = writeBenchCapture(path, opts);
  writeFileSync(metaPath, JSON.stringify({ options: want, summary }, null, 2) + '\n');
  return { path, summary, reused: false };
}

// ---------------------------------------------------------------- timing a process

export interface TimedRun {
  readonly status: 'ok' | 'timeout' | 'error';
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** user + system CPU of the process and its children (from /usr/bin/time). */
  readonly cpuMs: number | null;
  readonly maxRssMb: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TimeOptions {
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep stdout (default: send it to /dev/null). */
  readonly captureStdout?: boolean;
  readonly cwd?: string;
}

const TIME_BIN = '/usr/bin/time';

/**
 * Run `cmd args` under /usr/bin/time (peak RSS, CPU) in its own process group,
 * so a timeout kills the whole tree.
 */
export function timeCommand(cmd: string, args: readonly string[], o: TimeOptions): Promise<TimedRun> {
  const hasTime = existsSync(TIME_BIN);
  const statsFile = join(tmpdir(), `wiretop-bench-time-${process.pid}-${Date.now()}.txt`);
  const argv = hasTime ? ['-f', '%M %U %S', '-o', statsFile, cmd, ...args] : [...args];
  const bin = hasTime ? TIME_BIN : cmd;
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(bin, argv, {
      cwd: o.cwd ?? REPO_ROOT,
      env: o.env ?? process.env,
      stdio: ['ignore', o.captureStdout ? 'pipe' : 'ignore', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      if (stderr.length < 1 << 20) stderr += s;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, o.timeoutMs);
    const finish = (code: number | null, err?: Error): void => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      let cpuMs: number | null = null;
      let maxRssMb: number | null = null;
      if (hasTime && existsSync(statsFile)) {
        // /usr/bin/time may prefix "Command exited with non-zero status N".
        const last = readFileSync(statsFile, 'utf8').trim().split('\n').pop() ?? '';
        const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
        if (m) {
          maxRssMb = Number(m[1]) / 1024;
          cpuMs = (Number(m[2]) + Number(m[3])) * 1000;
        }
        rmSync(statsFile, { force: true });
      }
      const status = timedOut ? 'timeout' : err !== undefined || code !== 0 ? 'error' : 'ok';
      done({ status, exitCode: code, wallMs, cpuMs, maxRssMb, stdout, stderr: err ? `${stderr}${err.message}` : stderr });
    };
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}

// ---------------------------------------------------------------- tools

export interface ToolResult {
  readonly name: string;
  readonly command: string;
  readonly status: TimedRun['status'] | 'not available';
  readonly packets: number;
  /** Best (shortest) wall time of the runs. */
  readonly wallMs: number | null;
  /** Least user + system CPU of the runs. */
  readonly cpuMs: number | null;
  readonly pps: number | null;
  /** Packets per CPU second: steadier than wall time on a shared machine. */
  readonly ppsCpu: number | null;
  readonly maxRssMb: number | null;
  readonly runs: number;
  readonly note?: string;
}

export interface ToolSpec {
  readonly name: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly captureStdout?: boolean;
  /** Checks a finished run; returns a problem to report, or null. */
  readonly check?: (r: TimedRun) => string | null;
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map(shellWord).join(' ');
}

export function which(bin: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((d) => d !== '' && existsSync(join(d, bin)));
}

/** Best of `runs` (by wall time); stops early on a timeout or error. */
export async function timeTool(spec: ToolSpec, packets: number, runs: number, timeoutMs: number): Promise<ToolResult> {
  const command = commandLine(spec.cmd, spec.args);
  if (spec.cmd !== process.execPath && !which(spec.cmd)) {
    return { name: spec.name, command, status: 'not available', packets, wallMs: null, cpuMs: null, pps: null, ppsCpu: null, maxRssMb: null, runs: 0 };
  }
  let best: TimedRun | null = null;
  let n = 0;
  let minCpu: number | null = null;
  let note: string | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await timeCommand(spec.cmd, spec.args, { timeoutMs, env: spec.env, captureStdout: spec.captureStdout });
    n++;
    const problem = r.status === 'ok' ? spec.check?.(r) ?? null : null;
    if (r.status !== 'ok' || problem !== null) {
      note = r.status === 'timeout' ? `timeout after ${Math.round(timeoutMs / 1000)} s` : problem ?? firstLine(r.stderr) ?? `exit ${r.exitCode}`;
      if (best === null) best = { ...r, status: r.status === 'ok' ? 'error' : r.status };
      break;
    }
    if (best === null || r.wallMs < best.wallMs) best = r;
    if (r.cpuMs !== null && (minCpu === null || r.cpuMs < minCpu)) minCpu = r.cpuMs;
  }
  const b = best!;
  const ok = b.status === 'ok';
  // Least CPU of the runs, not the CPU of the fastest one: other load inflates CPU time too.
  const cpuMs = ok ? minCpu : null;
  return {
    name: spec.name,
    command,
    status: b.status,
    packets,
    wallMs: ok ? b.wallMs : null,
    cpuMs,
    pps: ok ? packets / (b.wallMs / 1000) : null,
    ppsCpu: cpuMs ? packets / (cpuMs / 1000) : null,
    maxRssMb: ok ? b.maxRssMb : null,
    runs: n,
    note,
  };
}

function firstLine(s: string): string | undefined {
  return s.split('\n').find((l) => l.trim() !== '' && !/^Command (exited|terminated)/.test(l))?.trim().slice(0, 160);
}

// ---------------------------------------------------------------- wiretop report

export interface WiretopInvocation {
  /** How `report` is reached: the real CLI, or runReport in a child when main.ts is not ready. */
  readonly via: 'cli' | 'runReport';
  readonly args: (file: string, extra?: readonly string[]) => string[];
}

const BIN = join(REPO_ROOT, 'bin/wiretop.js');
const SELF = fileURLToPath(import.meta.url);

/** Probe `node bin/wiretop.js report --json` on the demo capture; fall back to runReport. */
export async function resolveWiretopReport(): Promise<WiretopInvocation> {
  const demo = join(REPO_ROOT, 'fixtures/demo.pcap');
  const probe = await timeCommand(process.execPath, [BIN, 'report', '--json', '-r', demo], { timeoutMs: 30_000, captureStdout: true });
  if (probe.status === 'ok' && parseReport(probe.stdout) !== null) {
    return { via: 'cli', args: (file, extra = []) => [BIN, 'report', '--json', '-r', file, ...extra] };
  }
  return { via: 'runReport', args: (file, extra = []) => [SELF, '--child-report', '--json', '-r', file, ...extra] };
}

interface ReportSummary {
  packetsRead: number;
  packets: number;
  flowsTracked: number;
}

export function parseReport(stdout: string): ReportSummary | null {
  try {
    const r = JSON.parse(stdout) as { version?: number; source?: { packetsRead?: number }; packets?: number; flows?: { tracked?: number } };
    if (r.version !== 1) return null;
    return { packetsRead: r.source?.packetsRead ?? NaN, packets: r.packets ?? NaN, flowsTracked: r.flows?.tracked ?? NaN };
  } catch {
    return null;
  }
}

export interface WiretopStats {
  readonly maxRssMb: number;
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
}

/** The `WIRETOP_STATS=1` line on stderr, when the CLI printed one. */
export function parseStatsLine(stderr: string): WiretopStats | null {
  const line = stderr.split('\n').reverse().find((l) => l.startsWith('{') && l.includes('"maxRssMb"'));
  if (!line) return null;
  try {
    return JSON.parse(line) as WiretopStats;
  } catch {
    return null;
  }
}

export interface WiretopReportResult extends ToolResult {
  readonly via: WiretopInvocation['via'];
  readonly stats: WiretopStats | null;
  readonly packetsMatched: number | null;
  readonly flowsTracked: number | null;
  /** The -Y text, when there was one. */
  readonly filter: string | null;
}

/**
 * Time `wiretop report --json -r FILE [extra]`; checks that the report read
 * every packet, and keeps the WIRETOP_STATS line and the matched count.
 */
export async function timeWiretopReport(
  inv: WiretopInvocation, file: string, packets: number, runs: number, timeoutMs: number, extra: readonly string[] = [], name = 'wiretop report --json',
): Promise<WiretopReportResult> {
  let last: { stats: WiretopStats | null; summary: ReportSummary | null } = { stats: null, summary: null };
  const spec: ToolSpec = {
    name,
    cmd: process.execPath,
    args: inv.args(file, extra),
    env: { ...process.env, WIRETOP_STATS: '1' },
    captureStdout: true,
    check: (r) => {
      const summary = parseReport(r.stdout);
      last = { stats: parseStatsLine(r.stderr), summary };
      if (summary === null) return 'output is not a version 1 report';
      if (summary.packetsRead !== packets) return `read ${summary.packetsRead} of ${packets} packets`;
      return null;
    },
  };
  const t = await timeTool(spec, packets, runs, timeoutMs);
  const command = t.command.replace(shellWord(process.execPath), 'node').replace(REPO_ROOT, '');
  const s = last;
  return {
    ...t,
    command,
    via: inv.via,
    stats: s.stats,
    packetsMatched: s.summary?.packets ?? null,
    flowsTracked: s.summary?.flowsTracked ?? null,
    filter: extra.includes('-Y') ? extra[extra.indexOf('-Y') + 1] ?? null : null,
    maxRssMb: s.stats?.maxRssMb ?? t.maxRssMb,
  };
}

export function tsharkSpec(file: string): ToolSpec {
  return { name: 'tshark -q -z conv,ip', cmd: 'tshark', args: ['-q', '-z', 'conv,ip', '-r', file] };
}

export function tcpdumpSpec(file: string): ToolSpec {
  return { name: 'tcpdump -nn -q (print to /dev/null)', cmd: 'tcpdump', args: ['-nn', '-q', '-r', file] };
}

/** Read plus one BPF program, nothing printed: the I/O ceiling. */
export function tcpdumpBpfSpec(file: string): ToolSpec {
  return { name: 'tcpdump BPF only (-w /dev/null)', cmd: 'tcpdump', args: ['-r', file, '-w', '/dev/null', 'ip and tcp[13] & 2 != 0'] };
}

// ---------------------------------------------------------------- child entry

async function childReport(argv: string[]): Promise<void> {
  const { runReport } = await import('../cli/report.js');
  const code = await runReport(argv);
  if (process.env['WIRETOP_STATS'] === '1') {
    const u = process.resourceUsage();
    process.stderr.write(JSON.stringify({ maxRssMb: u.maxRSS / 1024, cpuUserMs: u.userCPUTime / 1000, cpuSystemMs: u.systemCPUTime / 1000 }) + '\n');
  }
  process.exitCode = code;
}

if (process.argv[1] && resolve(process.argv[1]) === SELF && process.argv[2] === '--child-report') {
  await childReport(process.argv.slice(3));
}
