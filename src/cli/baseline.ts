import { isCaptureError, oneLine } from '../capture/capture-error.js';
import { openFileSource } from '../capture/file-source.js';
import type { PacketRecord } from '../capture/record.js';
import type { PacketSource } from '../capture/source.js';
import { Decoder } from '../decode/decoder.js';
import { DecodedPacket } from '../decode/packet.js';
import { BaselineError, readBaseline, writeBaseline } from '../baseline/baseline-file.js';
import { BaselineMonitor } from '../baseline/monitor.js';
import { checkHomeNet, createBaselineMonitor } from '../baseline/setup.js';
import { escapeForTerminal } from '../util/escape.js';
import { parseCommandArgs } from './parse-args.js';

export interface BaselineIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Opens a live source (injected so tests never need an interface). */
  openLive?(iface: string): PacketSource | Promise<PacketSource>;
}

interface BaselineArgs {
  action: 'learn' | 'check' | 'show';
  read?: string;
  iface?: string;
  duration: number;
  output?: string;
  baseline?: string;
  alerts?: string;
  homeNet?: string;
  json: boolean;
  file?: string;
}

class ArgError extends Error {}

const USAGE = [
  'usage: wiretop baseline learn (-r FILE | -i IFACE --duration S) -o baseline.json [--home-net CIDR,...]',
  '       wiretop baseline check -r FILE [--baseline baseline.json] [--alerts alerts.ndjson] [--json] [--home-net CIDR,...]',
  '       wiretop baseline show baseline.json',
].join('\n');

/** yargs definitions of the `baseline` command's options (the action is the first positional). */
export const BASELINE_CMD_YARGS_OPTIONS = {
  r: { alias: 'read', type: 'string', describe: 'capture file to learn from or check (- for stdin)' },
  i: { alias: 'interface', type: 'string', describe: 'learn live on this interface (with --duration)' },
  duration: { type: 'number', default: 600, describe: 'seconds to learn live' },
  o: { alias: 'output', type: 'string', describe: 'where `learn` writes the baseline JSON' },
  baseline: { type: 'string', describe: 'baseline JSON for `check`' },
  alerts: { type: 'string', describe: 'append alerts as NDJSON to this file' },
  'home-net': { type: 'string', describe: 'internal networks, CIDR,...' },
  json: { type: 'boolean', default: false, describe: '`check`: print alerts as JSON (ReportV1 alerts)' },
} as const;

/** Parse `baseline` arguments (a leading `baseline` is allowed) with BASELINE_CMD_YARGS_OPTIONS. */
function parseArgs(argv: readonly string[]): BaselineArgs {
  const positionals = { action: { type: 'string' }, file: { type: 'string' } } as const;
  return fromYargs(parseCommandArgs(argv, { command: 'baseline', options: BASELINE_CMD_YARGS_OPTIONS, positionals }, (m) => new ArgError(m)));
}

function fromYargs(a: Record<string, unknown>): BaselineArgs {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const pos = (Array.isArray(a._) ? a._ : []).map(String).filter((x) => x !== 'baseline');
  return finish({
    action: (str(a.action) ?? pos[0]) as BaselineArgs['action'],
    file: str(a.file) ?? pos[1],
    read: str(a.read ?? a.r),
    iface: str(a.iface ?? a.interface ?? a.i),
    duration: typeof a.duration === 'number' ? a.duration : 600,
    output: str(a.output ?? a.o),
    baseline: str(a.baseline),
    alerts: str(a.alerts),
    homeNet: str(a.homeNet ?? a['home-net']),
    json: a.json === true,
  });
}

function finish(o: Partial<BaselineArgs>): BaselineArgs {
  const action = o.action;
  if (action !== 'learn' && action !== 'check' && action !== 'show') throw new ArgError(action ? `unknown action: ${action}` : 'which action? learn, check or show');
  if (o.homeNet) checkHomeNet(o.homeNet);
  if (o.duration !== undefined && !(o.duration > 0)) throw new ArgError(`--duration: not a valid number of seconds: ${o.duration}`);
  if (action === 'learn') {
    if (!o.output) throw new ArgError('learn needs -o FILE for the baseline');
    if ((o.read === undefined) === (o.iface === undefined)) throw new ArgError('learn needs either -r FILE or -i INTERFACE');
  }
  if (action === 'check') {
    if (o.read === undefined) throw new ArgError('check needs -r FILE');
  }
  if (action === 'show' && !o.file && !o.baseline) throw new ArgError('show needs a baseline file');
  return { duration: 600, json: false, ...o, action } as BaselineArgs;
}

const defaultIo: BaselineIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/** Decode every packet of a source into the monitor; stops live sources after `durationSec`. */
async function pump(source: PacketSource, m: BaselineMonitor, live: boolean, durationSec: number): Promise<void> {
  const dec = new Decoder();
  const p = new DecodedPacket();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const onSigint = (): void => source.stop();
  if (live) {
    timer = setTimeout(() => source.stop(), durationSec * 1000);
    process.once('SIGINT', onSigint);
  }
  try {
    await source.start((r: PacketRecord) => {
      dec.decode(r, p);
      m.onPacket(p, -1);
    });
  } finally {
    if (timer !== null) clearTimeout(timer);
    if (live) process.removeListener('SIGINT', onSigint);
  }
  m.finish();
}

async function openSource(a: BaselineArgs, io: BaselineIo): Promise<PacketSource> {
  if (a.iface !== undefined) {
    if (io.openLive) return io.openLive(a.iface);
    const { openLiveSource } = await import('../capture/live-source.js');
    return openLiveSource({ iface: a.iface });
  }
  return openFileSource({ path: a.read! });
}

/**
 * `wiretop baseline learn|check|show`. Returns the exit code: 0 ok, 1 bad
 * arguments or files, 2 live-capture problems. Errors are one line on stderr.
 */
export async function runBaseline(argv: readonly string[] | Record<string, unknown>, io: BaselineIo = defaultIo): Promise<number> {
  let a: BaselineArgs;
  try {
    a = Array.isArray(argv) ? parseArgs(argv as readonly string[]) : fromYargs(argv as Record<string, unknown>);
  } catch (e) {
    io.stderr(`wiretop baseline: ${escapeForTerminal(oneLine(e))}\n${USAGE}\n`);
    return 1;
  }
  const live = a.iface !== undefined;
  try {
    if (a.action === 'show') {
      io.stdout(describeBaseline(readBaseline((a.file ?? a.baseline)!)));
      return 0;
    }
    if (a.action === 'learn') {
      const m = new BaselineMonitor({ mode: 'learn', homeNet: a.homeNet });
      const source = await openSource(a, io);
      await pump(source, m, live, a.duration);
      for (const w of source.info.warnings) io.stderr(`wiretop baseline: warning: ${escapeForTerminal(w)}\n`);
      const b = m.toBaseline(live ? `interface ${a.iface}` : a.read!);
      if (b.packets === 0) throw new BaselineError('no packets to learn from');
      writeBaseline(a.output!, b);
      if (b.spanSeconds < 300) {
        io.stderr(`wiretop baseline: warning: the capture covers only ${b.spanSeconds} s; rate meters need at least 5 minutes to learn\n`);
      }
      io.stdout(`learned from ${b.packets.toLocaleString('en-US')} packets over ${b.spanSeconds.toLocaleString('en-US')} s; wrote ${escapeForTerminal(a.output!)}\n`);
      return 0;
    }
    const m = createBaselineMonitor({ baseline: a.baseline, alerts: a.alerts, homeNet: a.homeNet });
    await pump(await openSource(a, io), m, false, 0);
    const alerts = m.reportAlerts();
    if (a.json) io.stdout(`${JSON.stringify(alerts, null, 2)}\n`);
    else if (alerts.length === 0) io.stdout('no alerts\n');
    else for (const x of alerts) io.stdout(`${x.severity.padEnd(8)} ${x.kind.padEnd(12)} ${escapeForTerminal(x.message)}\n`);
    return 0;
  } catch (e) {
    const code = isCaptureError(e) ? e.exitCode : live ? 2 : 1;
    io.stderr(`wiretop baseline: ${escapeForTerminal(oneLine(e))}\n`);
    return code;
  }
}

function describeBaseline(b: ReturnType<typeof readBaseline>): string {
  const lines = [
    `baseline version ${b.version}, learned from ${b.source || 'unknown'}`,
    `  ${b.firstPacket ?? '?'} .. ${b.lastPacket ?? '?'} (${b.spanSeconds} s, ${b.packets} packets)${b.hourly ? ', hourly profiles' : ''}`,
    `  home net: ${b.homeNet}`,
  ];
  for (const [name, r] of Object.entries(b.rates)) {
    const e = r.all;
    lines.push(`  ${name.padEnd(22)} mean ${round(e.mean)}  sd ${round(Math.sqrt(Math.max(0, e.var)))}  peak ${round(e.peak)}  (${e.n} samples)`);
  }
  const pop: [string, { peak: number } | undefined][] = [
    ['distinct ports/source', b.scan.ports],
    ['distinct hosts/source', b.scan.hosts],
    ['SYNs/target/10 s', b.synFlood.synsPerTarget],
    ['DNS queries/client/min', b.dns.queriesPerClient],
    ['outbound bytes/pair/min', b.exfil.outboundPerPair],
  ];
  for (const [name, e] of pop) if (e) lines.push(`  ${name.padEnd(22)} normal under ${round(e.peak)}`);
  lines.push(`  known regular pairs: ${(b.beacon.knownPairs ?? []).length}; hosts with volume profiles: ${Object.keys(b.volume.bytesPer10sPerHost ?? {}).length}`);
  return `${lines.map((l) => escapeForTerminal(l)).join('\n')}\n`;
}

function round(n: number): string {
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : (Math.round(n * 100) / 100).toString();
}
