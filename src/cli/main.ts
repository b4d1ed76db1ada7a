import yargs, { type Argv } from 'yargs';
import { BASELINE_CMD_YARGS_OPTIONS } from './baseline.js';
import { BASELINE_YARGS_OPTIONS } from '../baseline/setup.js';
import { RING_YARGS_OPTIONS } from '../capture/packet-ring.js';
import { FOLLOW_YARGS_OPTIONS, type FollowOptions } from './follow.js';
import { REPORT_YARGS_OPTIONS } from './report.js';
import { escapeForTerminal } from '../util/escape.js';

/**
 * The `wiretop` command line. Each command lives in its own file and exports
 * its yargs option table plus a run function returning an exit code; this
 * file only routes. Every failure ends as one line on stderr and an exit
 * code, never a stack trace (set WIRETOP_DEBUG=1 to see one).
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
} as const;

function parseSpeed(s: string | undefined): number | 'max' | undefined {
  if (s === undefined) return undefined;
  if (s === 'max') return 'max';
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--speed takes a positive number or "max", not ${s}`);
  return n;
}

class UsageError extends Error {}

function build(args: readonly string[], setCode: (n: number) => void): Argv {
  return yargs([...args])
    .scriptName('wiretop')
    .usage('$0 [-i IF | -r FILE | --demo] [-f EXPR]    full-screen dashboard\n$0 <command> [options]')
    .command(
      '$0',
      'full-screen dashboard (live, replay or demo)',
      (y) => y.options(DASHBOARD_OPTIONS).options(BASELINE_YARGS_OPTIONS).options(RING_YARGS_OPTIONS),
      async (a) => {
        const { runDashboard } = await import('./dashboard.js');
        setCode(
          await runDashboard({
            interface: a.i,
            read: a.r,
            filter: a.f,
            displayFilter: a.Y,
            speed: parseSpeed(a.speed),
            demo: a.demo,
            fps: a.fps,
            color: a.color,
            user: a.user,
            ringMb: a['ring-mb'],
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
      (y) => y.options(REPORT_YARGS_OPTIONS),
      async (a) => {
        const { runReport } = await import('./report.js');
        setCode(await runReport(a as Record<string, unknown>));
      },
    )
    .command(
      'follow',
      'print one reassembled TCP (or --udp) stream, like tshark -z follow',
      (y) => y.options(FOLLOW_YARGS_OPTIONS),
      async (a) => {
        const { runFollow } = await import('./follow.js');
        const opts: FollowOptions = {
          file: a.r as string,
          stream: a.stream as number,
          format: a.format as FollowOptions['format'],
          direction: a.direction as FollowOptions['direction'],
          udp: a.udp as boolean,
        };
        setCode(await runFollow(opts));
      },
    )
    .command(
      'baseline <action> [file]',
      'learn a baseline from a known-good capture, check a capture against one, or show one',
      (y) =>
        y
          .positional('action', { choices: ['learn', 'check', 'show'] as const, describe: 'what to do' })
          .positional('file', { type: 'string', describe: 'baseline file for show' })
          .options(BASELINE_CMD_YARGS_OPTIONS),
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
      throw err ?? new UsageError(msg);
    });
}

function exitCodeOf(e: unknown): number {
  const c = (e as { exitCode?: unknown } | null)?.exitCode;
  return typeof c === 'number' ? c : e instanceof UsageError ? 2 : 1;
}

/** Peak RSS and CPU for the benchmarks: WIRETOP_STATS=1 prints one JSON line on exit. */
function installStats(): void {
  if (!process.env['WIRETOP_STATS']) return;
  process.on('exit', () => {
    const u = process.resourceUsage();
    process.stderr.write(
      JSON.stringify({ maxRssMb: Math.round(u.maxRSS / 1024), cpuUserMs: Math.round(u.userCPUTime / 1000), cpuSystemMs: Math.round(u.systemCPUTime / 1000) }) + '\n',
    );
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
    await build(args, (n) => (code = n)).parseAsync();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`wiretop: ${escapeForTerminal(msg.split('\n')[0] ?? '')}\n`);
    if (e instanceof UsageError) process.stderr.write('run `wiretop --help` for usage\n');
    if (process.env['WIRETOP_DEBUG'] && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    code = exitCodeOf(e);
  }
  process.exitCode = code;
}
