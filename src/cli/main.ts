import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { BASELINE_YARGS_OPTIONS } from '../baseline/setup.js';
import type { RING_YARGS_OPTIONS } from '../capture/packet-ring.js';
import type { STREAM_YARGS_OPTIONS } from '../streams/options.js';
import { rephrase } from './usage-message.js';
import type { BASELINE_CMD_YARGS_OPTIONS } from './baseline.js';
import type { FOLLOW_YARGS_OPTIONS } from './follow.js';
import type { REPORT_YARGS_OPTIONS } from './report.js';
import { escapeForTerminal } from '../util/escape.js';
import { emptySourceFlag } from './source-args.js';

/**
 * The `wiretop` command line. Each command lives in its own file and exports
 * its yargs option table plus a run function returning an exit code; this
 * file only routes. Every failure ends as one line on stderr and an exit
 * code, never a stack trace (set WIRETOP_DEBUG=1 to see one).
 *
 * Start-up matters (`wiretop report` in scripts): a command's module, and the
 * option table it exports, is imported only when that command runs, and a
 * well-formed `report` skips the routing parser (see `fastReport`).
 */

const DASHBOARD_OPTIONS = {
  i: { alias: 'interface', type: 'string', describe: 'capture live on this interface (default: first up, non-loopback)' },
  r: { alias: 'read', type: 'string', describe: 'replay a pcap/pcapng file (- for stdin) with its recorded timing' },
  f: { alias: 'capture-filter', type: 'string', describe: 'capture filter (pcap-filter; handed to libpcap when live)' },
  Y: { alias: 'display-filter', type: 'string', describe: 'display filter (Wireshark fields, protocol names or pcap-filter primitives)' },
  speed: { type: 'string', describe: 'replay speed for -r: a factor, or "max"' },
  demo: { type: 'boolean', default: false, describe: 'replay the bundled demo capture in a loop' },
  fps: { type: 'number', default: 4, describe: 'screen redraws per second' },
  color: { type: 'boolean', default: true, describe: 'colour (--no-color or NO_COLOR for monochrome)' },
  user: { type: 'string', describe: 'drop root privileges to this user once the capture is open (like tcpdump -Z)' },
  w: { alias: 'write', type: 'string', describe: 'also write every captured packet (after -f) to this pcap file, as tcpdump -w' },
  'max-flows': { type: 'number', default: 1_000_000, describe: 'most flows tracked at once (the longest idle is evicted)' },
} as const;

function parseSpeed(s: string | undefined): number | 'max' | undefined {
  if (s === undefined) return undefined;
  if (s === 'max') return 'max';
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--speed takes a positive number or "max", not ${s}`);
  return n;
}

class UsageError extends Error {}

function maxFlows(n: number): number {
  if (!(n >= 1)) throw new UsageError('--max-flows must be at least 1');
  return Math.floor(n);
}

/** A number option that must be finite and at least `min` (yargs gives NaN for words). */
function atLeast(flag: string, n: number, min: number, what: string): number {
  if (!(Number.isFinite(n) && n >= min)) throw new UsageError(`${flag} takes ${what}, not ${String(n)}`);
  return n;
}

/** Option tables of the commands; only the one that can run is loaded (see loadTables). */
interface Tables {
  dashboard: typeof DASHBOARD_OPTIONS & typeof BASELINE_YARGS_OPTIONS & typeof RING_YARGS_OPTIONS & typeof STREAM_YARGS_OPTIONS;
  report: typeof REPORT_YARGS_OPTIONS;
  follow: typeof FOLLOW_YARGS_OPTIONS;
  baseline: typeof BASELINE_CMD_YARGS_OPTIONS;
}

const COMMANDS = ['report', 'follow', 'baseline', 'interfaces'] as const;

/**
 * yargs runs only the builder of the command it routes to, and a command word
 * in first place is always the one it routes to; otherwise (options first,
 * or the dashboard) every table is loaded, as yargs may pick any.
 */
async function loadTables(args: readonly string[]): Promise<Tables> {
  const first = (COMMANDS as readonly string[]).includes(args[0] ?? '') ? args[0] : null;
  const want = (c: string): boolean => first === null || first === c;
  // Stands in for a table whose command cannot run this time (its builder is never called).
  const empty = {} as never;
  const [setup, ring, streams, report, follow, baseline] = await Promise.all([
    first === null ? import('../baseline/setup.js') : null,
    first === null ? import('../capture/packet-ring.js') : null,
    first === null ? import('../streams/options.js') : null,
    want('report') ? import('./report.js') : null,
    want('follow') ? import('./follow.js') : null,
    want('baseline') ? import('./baseline.js') : null,
  ]);
  return {
    dashboard: setup && ring && streams ? { ...DASHBOARD_OPTIONS, ...setup.BASELINE_YARGS_OPTIONS, ...ring.RING_YARGS_OPTIONS, ...streams.STREAM_YARGS_OPTIONS } : empty,
    report: report?.REPORT_YARGS_OPTIONS ?? empty,
    follow: follow?.FOLLOW_YARGS_OPTIONS ?? empty,
    baseline: baseline?.BASELINE_CMD_YARGS_OPTIONS ?? empty,
  };
}

/**
 * `wiretop report ...` with arguments the report's own parser accepts runs
 * straight away: the routing parser would add ~15 ms (it renders the whole
 * help text for every subcommand run, cliui + string-width). The plain forms
 * (`-r FILE --json`, ...) are read without yargs at all (fast-args.ts: loading
 * yargs is ~60 ms), and a large file starts streaming in on the reader thread
 * while the report loads (chunk-source.ts, prefetchChunkSource). Anything
 * else, help, version and malformed arguments included, returns null and goes
 * through the routing parser, so messages and exit codes are unchanged.
 */
async function fastReport(args: readonly string[]): Promise<number | null> {
  if (args[0] !== 'report' || args.some((a) => a === '-h' || a === '--help' || a === '--version')) return null;
  // The report (most of the program) loads while the arguments are read and the file starts streaming in.
  const report = import('./report.js');
  report.catch(() => {}); // awaited below
  const [{ REPORT_YARGS_OPTIONS }, { parseFastArgs }, chunks] = await Promise.all([
    import('./report-options.js'),
    import('./fast-args.js'),
    import('../capture/chunk-source.js'),
  ]);
  let parsed = parseFastArgs(args.slice(1), REPORT_YARGS_OPTIONS);
  if (parsed === null) {
    const { parseCommandArgs } = await import('./parse-args.js');
    try {
      parsed = parseCommandArgs(args, { command: 'report', options: REPORT_YARGS_OPTIONS });
    } catch {
      return null;
    }
  }
  if (typeof parsed['read'] === 'string' && parsed['interface'] === undefined) chunks.prefetchChunkSource(parsed['read']);
  try {
    const { runReport } = await report;
    return await runReport(parsed);
  } finally {
    await chunks.discardPrefetch();
  }
}

function build(yargs: (args: string[]) => Argv, args: readonly string[], tables: Tables, setCode: (n: number) => void): Argv {
  return yargs([...args])
    .locale('en')
    .scriptName('wiretop')
    .usage('$0 [-i IF | -r FILE | --demo] [-f EXPR]    full-screen dashboard\n$0 <command> [options]')
    .command(
      '$0',
      'full-screen dashboard (live, replay or demo)',
      (y) => y.options(tables.dashboard),
      async (a) => {
        const empty = emptySourceFlag(a.r, a.i);
        if (empty !== null) throw new UsageError(empty);
        const { runDashboard } = await import('./dashboard.js');
        setCode(
          await runDashboard({
            interface: a.i,
            read: a.r,
            filter: a.f,
            displayFilter: a.Y,
            speed: parseSpeed(a.speed),
            demo: a.demo,
            fps: atLeast('--fps', a.fps, 0.1, 'screen redraws per second (above 0)'),
            color: a.color,
            user: a.user,
            write: a.w,
            maxFlows: maxFlows(a['max-flows']),
            ringMb: atLeast('--ring-mb', a['ring-mb'], 0, 'MiB of packets kept (0 turns the ring off)'),
            streamBytes: a['stream-bytes'],
            streamTotalBytes: a['stream-total-bytes'],
            baseline: a.baseline,
            learn: a.learn,
            alerts: a.alerts,
            homeNet: a['home-net'],
          }),
        );
      },
    )
    .command(
      'report',
      'non-interactive summary of a capture file or a timed live capture (--json for scripts)',
      (y) => y.options(tables.report),
      async (a) => {
        const { runReport } = await import('./report.js');
        setCode(await runReport(a as Record<string, unknown>));
      },
    )
    .command(
      'follow',
      'print one reassembled TCP (or --udp) stream, like tshark -z follow',
      (y) => y.options(tables.follow),
      async (a) => {
        const empty = emptySourceFlag(a.r, undefined);
        if (empty !== null) throw new UsageError(empty);
        const { followOptions, runFollow } = await import('./follow.js');
        const opts = followOptions(a as Record<string, unknown>);
        setCode(await runFollow(opts));
      },
    )
    .command(
      // [action], not <action>: baseline.ts says which actions there are (yargs: 'Not enough non-option arguments').
      'baseline [action] [file]',
      'learn a baseline from a known-good capture, check a capture against one, or show one',
      (y) =>
        y
          .positional('action', { choices: ['learn', 'check', 'show'] as const, describe: 'what to do' })
          .positional('file', { type: 'string', describe: 'baseline file for show' })
          .options(tables.baseline),
      async (a) => {
        const { runBaseline } = await import('./baseline.js');
        setCode(await runBaseline(a as Record<string, unknown>));
      },
    )
    .command(
      'interfaces',
      'list capture interfaces with their addresses',
      (y) => y.option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
      async (a) => {
        const { runInterfaces } = await import('./interfaces.js');
        setCode(runInterfaces({ json: a.json }));
      },
    )
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(rephrase(msg, args));
    });
}

function exitCodeOf(e: unknown): number {
  const c = (e as { exitCode?: unknown } | null)?.exitCode;
  return typeof c === 'number' ? c : e instanceof UsageError ? 2 : 1;
}

/** CPU time of the calling thread in ms (Linux schedstat), or null where it cannot be read. */
function threadCpuMs(): number | null {
  try {
    return Math.round(Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6);
  } catch {
    return null;
  }
}

/**
 * Peak RSS and CPU for the benchmarks: WIRETOP_STATS=1 prints one JSON line on
 * exit. `mainThreadCpuMs` leaves out the file reader thread (src/capture/chunk-ring.ts),
 * which process CPU includes.
 */
function installStats(): void {
  if (!process.env['WIRETOP_STATS']) return;
  process.on('exit', () => {
    const u = process.resourceUsage();
    const stats = { maxRssMb: Math.round(u.maxRSS / 1024), cpuUserMs: Math.round(u.userCPUTime / 1000), cpuSystemMs: Math.round(u.systemCPUTime / 1000), mainThreadCpuMs: threadCpuMs() };
    process.stderr.write(JSON.stringify(stats) + '\n');
  });
}

/** `wiretop report --json | head` must end quietly when the reader goes away. */
function quietOnClosedPipe(): void {
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

export async function main(args: readonly string[]): Promise<void> {
  installStats();
  quietOnClosedPipe();
  let code = 0;
  try {
    const fast = await fastReport(args);
    if (fast !== null) code = fast;
    else {
      const [{ default: yargs }, tables] = await Promise.all([import('yargs'), loadTables(args)]);
      await build(yargs, args, tables, (n) => (code = n)).parseAsync();
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`wiretop: ${escapeForTerminal(msg.split('\n')[0] ?? '')}\n`);
    if (e instanceof UsageError) process.stderr.write('run `wiretop --help` for usage\n');
    if (process.env['WIRETOP_DEBUG'] && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    code = exitCodeOf(e);
  }
  process.exitCode = code;
}
