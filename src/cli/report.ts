import { closeSync, openSync, statSync } from 'node:fs';
import { emptySourceFlag } from './source-args.js';
import type { MonitorHandle } from '../baseline/index.js';
import { CaptureError, isCaptureError, oneLine } from '../capture/capture-error.js';
import { THREAD_MIN_BYTES } from '../capture/chunk-source.js';
import { openFileSource } from '../capture/file-source.js';
import type { PacketRecord } from '../capture/record.js';
import type { PacketSource } from '../capture/source.js';
import { Decoder } from '../decode/decoder.js';
import { registerAppFields } from '../dissect/register-fields.js';
import { setupDissection } from '../dissect/setup.js';
import type { ProtoPaths } from '../decode/proto-paths.js';
import { Engine, type PacketPredicate } from '../engine/engine.js';
import type { CompiledFilter } from '../filter/index.js';
import { engineSourceInfo } from '../engine/source-info.js';
import { escapeForTerminal } from '../util/escape.js';
import { REPORT_YARGS_OPTIONS } from './report-options.js';

export interface ReportCliOptions {
  /** Capture file, or '-' for stdin. */
  read?: string;
  /** Interface for a live capture (with duration). */
  iface?: string;
  /** Seconds to capture live (default 10). */
  duration?: number;
  /** Rows of hosts and conversations; 0 = all. Default 10. */
  top: number;
  json: boolean;
  maxFlows: number;
  captureFilter?: string;
  displayFilter?: string;
  /**
   * Run the baseline monitor (anomaly detectors) over every packet that passed
   * the capture filter (default true; `--no-detect` turns it off).
   */
  detect: boolean;
  /** Learned baseline JSON (`wiretop baseline learn`). */
  baseline?: string;
  /** Learn for this long of capture time first (e.g. 10m), then alert. */
  learn?: string;
  /** Append alerts to this file as NDJSON as they are raised. */
  alerts?: string;
  /** Internal networks, CIDR,... */
  homeNet?: string;
  /** `-w`: write the packets counted (after -f and -Y) to this pcap file, as tshark does. */
  write?: string;
}

export interface ReportIo {
  /** May return a promise to apply backpressure (the default waits for 'drain'). */
  stdout(s: string): void | Promise<void>;
  stderr(s: string): void;
  /** Opens a live source (injected so tests never need an interface). */
  openLive?(iface: string, bpf: string | undefined): PacketSource | Promise<PacketSource>;
}

export class ReportArgError extends Error {}

export { REPORT_YARGS_OPTIONS } from './report-options.js';

/**
 * Parse `report` arguments (a leading `report` is allowed) with REPORT_YARGS_OPTIONS. Rejects with ReportArgError.
 * yargs is loaded here, not at import: main.ts reads plain command lines without it (fast-args.ts).
 */
export async function parseReportArgs(argv: readonly string[]): Promise<ReportCliOptions> {
  const { parseCommandArgs } = await import('./parse-args.js');
  return fromYargs(parseCommandArgs(argv, { command: 'report', options: REPORT_YARGS_OPTIONS }, (m) => new ReportArgError(m)));
}

function checkDetect(o: ReportCliOptions): ReportCliOptions {
  if (!o.detect) {
    const used = (['baseline', 'learn', 'alerts', 'home-net'] as const).filter((k) => (k === 'home-net' ? o.homeNet : o[k]) !== undefined);
    if (used.length > 0) throw new ReportArgError(`--no-detect turns the detectors off; drop --${used.join(', --')}`);
  }
  return o;
}

/** Yargs output (camel-cased keys) to options; also accepts ReportCliOptions' own keys. */
function fromYargs(a: Record<string, unknown>): ReportCliOptions {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const o: ReportCliOptions = {
    read: str(a.read ?? a.r),
    iface: str(a.iface ?? a.interface ?? a.i),
    duration: typeof a.duration === 'number' ? a.duration : undefined,
    top: typeof a.top === 'number' ? Math.max(0, Math.floor(a.top)) : 10,
    json: a.json === true,
    maxFlows: typeof a.maxFlows === 'number' ? a.maxFlows : typeof a['max-flows'] === 'number' ? (a['max-flows'] as number) : 1_000_000,
    captureFilter: str(a.captureFilter ?? a['capture-filter'] ?? a.f),
    displayFilter: str(a.displayFilter ?? a['display-filter'] ?? a.Y),
    detect: a.detect !== false,
    baseline: str(a.baseline),
    learn: str(a.learn),
    alerts: str(a.alerts),
    homeNet: str(a.homeNet ?? a['home-net']),
    write: str(a.write ?? a.w),
  };
  if (o.read === undefined && o.iface === undefined) throw new ReportArgError('report needs -r FILE (or - for stdin) or -i INTERFACE');
  if (o.read !== undefined && o.iface !== undefined) throw new ReportArgError('use either -r or -i, not both');
  const empty = emptySourceFlag(o.read, o.iface);
  if (empty !== null) throw new ReportArgError(empty);
  if (!(o.maxFlows >= 1)) throw new ReportArgError('--max-flows must be at least 1');
  // main.ts hands yargs' argv over as is (numbers may be NaN or negative); parseReportArgs checked NaN already.
  const top = a.top ?? 10;
  if (!(typeof top === 'number' && Number.isInteger(top) && top >= 0)) throw new ReportArgError(`--top takes a number of rows (0 for all), not ${String(top)}`);
  if (a.duration !== undefined && !(typeof a.duration === 'number' && a.duration > 0)) throw new ReportArgError(`--duration takes a number of seconds above 0, not ${String(a.duration)}`);
  return checkDetect(o);
}

/**
 * The baseline monitor for a report, or null with --no-detect. Bad baseline
 * files and options, and an --alerts file that cannot be opened, fail here,
 * before any packet is read. The detectors are loaded only when they run.
 */
async function openMonitor(o: ReportCliOptions): Promise<MonitorHandle | null> {
  if (!o.detect) return null;
  if (o.alerts !== undefined) {
    try {
      closeSync(openSync(o.alerts, 'a'));
    } catch (e) {
      throw new ReportArgError(`--alerts: cannot write ${o.alerts}: ${(e as NodeJS.ErrnoException).code ?? oneLine(e)}`);
    }
  }
  const { BaselineError, createMonitor } = await import('../baseline/index.js');
  try {
    return createMonitor({ baseline: o.baseline, learn: o.learn, alerts: o.alerts, homeNet: o.homeNet }, longInput(o));
  } catch (e) {
    if (e instanceof BaselineError) throw new ReportArgError(e.message);
    throw e;
  }
}

/**
 * Whether the detectors get a thread of their own: for live captures, pipes and files large
 * enough for a reader thread; on a small file starting it would cost more than it saves.
 */
function longInput(o: ReportCliOptions): boolean {
  if (o.read === undefined || o.read === '-') return true;
  try {
    const st = statSync(o.read);
    return !st.isFile() || st.size >= THREAD_MIN_BYTES;
  } catch {
    return false;
  }
}

/** One line on what the detectors compared the traffic with (text output). */
export function detectionNote(m: Pick<MonitorHandle, 'status'>, learn?: string): string {
  const st = m.status();
  if (st.learnedFrom === 'file') return st.note;
  if (st.learning) return `still learning (--learn ${learn ?? ''}) at the end of the capture: no alerts`;
  if (st.learnedFrom === 'online') return `baseline learned from the start of this capture (${learn ? `--learn ${learn}` : 'warm-up'}); all detectors ran`;
  return 'no baseline: scans, sweeps, SYN floods and DNS tunnels against built-in limits (learning-based detectors need --baseline or --learn)';
}

type FilterModule = typeof import('../filter/index.js');

/** Compile filter text against the decoder's protocol paths (the filter reads them for protocol names). */
function compileFilterText(f: FilterModule, text: string, paths: ProtoPaths): CompiledFilter {
  try {
    return f.compileFilter(text, f.createFilterContext({ paths }));
  } catch (e) {
    if (e instanceof f.FilterError) throw new ReportArgError(`bad filter "${text}" at column ${e.column}: ${e.message}`);
    throw e;
  }
}

function predicate(f: CompiledFilter | null): PacketPredicate | null {
  return f === null ? null : (p) => f.match(p);
}

const defaultIo: ReportIo = {
  stdout: (s) =>
    process.stdout.write(s)
      ? undefined
      : new Promise<void>((res) => {
          process.stdout.once('drain', res);
        }),
  stderr: (s) => process.stderr.write(s),
};

/**
 * `wiretop report`: read a file (or capture live for --duration seconds),
 * then print a text summary or ReportV1 JSON. Returns the exit code:
 * 0 ok, 1 bad file/arguments, 2 live-capture problems. Errors are one line
 * on stderr, never a stack trace.
 */
export async function runReport(argv: readonly string[] | Record<string, unknown>, io: ReportIo = defaultIo): Promise<number> {
  let opts: ReportCliOptions;
  try {
    opts = Array.isArray(argv) ? await parseReportArgs(argv as readonly string[]) : fromYargs(argv as Record<string, unknown>);
  } catch (e) {
    io.stderr(`wiretop report: ${escapeForTerminal(oneLine(e))}\n`);
    return 1;
  }
  const live = opts.iface !== undefined;
  const failCode = live ? 2 : 1;
  let monitor: MonitorHandle | null = null;
  try {
    // The filter compiler loads only for -f/-Y (start-up), and before the application
    // fields register, as when it was a static import.
    const filters = opts.captureFilter || opts.displayFilter ? await import('../filter/index.js') : null;
    // Application fields (dns.qry.name, http.host, ...) must be known before -Y compiles.
    registerAppFields();
    const decoder = new Decoder();
    const capture = filters && opts.captureFilter ? compileFilterText(filters, opts.captureFilter, decoder.paths) : null;
    const display = filters && opts.displayFilter ? compileFilterText(filters, opts.displayFilter, decoder.paths) : null;
    // Live: libpcap runs the capture filter in the kernel, so it must be pcap-filter
    // syntax; files run it here on decoded packets, with the same meaning.
    if (filters !== null && live && capture !== null) {
      const why = filters.explainNotPcap(capture);
      if (why !== null) throw new CaptureError(why, 2);
    }
    const bpf = live && capture !== null ? capture.toBpf() : null;
    monitor = await openMonitor(opts);
    const engine = new Engine({
      decoder,
      maxFlows: opts.maxFlows,
      idleTimeoutSec: 0,
      rates: false,
      recentPackets: 0,
      capturePredicate: bpf !== null ? null : predicate(capture),
      captureFilterText: opts.captureFilter ?? null,
      displayPredicate: predicate(display),
      displayFilterText: opts.displayFilter ?? null,
    });
    // Application protocols per packet (hierarchy, -Y) and per flow (service label);
    // the report needs no reassembled streams.
    setupDissection(engine, { streams: false });
    // Baselines describe the network, not the filtered view: the monitor sees
    // every packet that passed the capture filter, before the display filter.
    if (monitor !== null) engine.addPreFilterObserver(monitor, { ticks: true });
    // After the display filter: what the report counts is what goes to the file (tshark -Y -w).
    const writer = opts.write === undefined ? null : (await import('../capture/capture-writer.js')).CaptureWriter.open(opts.write, failCode, opts.read);
    if (writer !== null) engine.addObserver(writer);
    let source: PacketSource;
    if (live) {
      if (!io.openLive) {
        const { openLiveSource } = await import('../capture/live-source.js');
        source = openLiveSource({ iface: opts.iface!, bpf: bpf ?? undefined });
      } else {
        source = await io.openLive(opts.iface!, bpf ?? undefined);
      }
    } else {
      source = openFileSource({ path: opts.read! });
    }
    let timer: ReturnType<typeof setTimeout> | null = null;
    if (live) timer = setTimeout(() => source.stop(), Math.max(0, (opts.duration ?? 10) * 1000));
    // Ctrl-C ends a live capture early with its report; so does any of these while -w writes, which
    // then gets what was read (tcpdump -w flushes on them too).
    const signals = writer !== null ? ['SIGINT', 'SIGTERM', 'SIGHUP'] : live ? ['SIGINT'] : [];
    const onSignal = (): void => source.stop();
    for (const sig of signals) process.once(sig, onSignal);
    try {
      await source.start((r: PacketRecord) => engine.ingest(r));
    } finally {
      if (timer !== null) clearTimeout(timer);
      for (const sig of signals) process.removeListener(sig, onSignal);
      writer?.close(engine.packet.linkType);
    }
    engine.setSource(engineSourceInfo(source.info));
    monitor?.finish();
    const report = engine.report({ top: opts.top, alerts: monitor?.reportAlerts() });
    const detection = monitor === null ? null : detectionNote(monitor, opts.learn);
    // The detector thread is done: let it go before the output is written.
    monitor?.close?.();
    for (const w of report.source.warnings) io.stderr(`wiretop report: warning: ${escapeForTerminal(w)}\n`);
    if (report.source.truncated && !report.source.warnings.some((w) => /truncat/i.test(w))) {
      io.stderr('wiretop report: warning: the capture is truncated\n');
    }
    if (report.flows.evicted > 0) {
      io.stderr(`wiretop report: warning: ${report.flows.evicted} flows were evicted (raise --max-flows)\n`);
    }
    // Only the writer in use is loaded.
    if (opts.json) {
      const { reportJsonChunks } = await import('../report/write-json.js');
      for (const chunk of reportJsonChunks(report)) await io.stdout(chunk);
    } else {
      const { formatReportText } = await import('../report/format-text.js');
      await io.stdout(formatReportText(report, { detection, written: writer?.summary() ?? null }));
    }
    // Quiet when every counted packet went to the file (scripts); one line when not, and a failed write fails the run.
    if (writer !== null && (writer.skipped > 0 || writer.error !== null)) io.stderr(`wiretop report: warning: -w: ${escapeForTerminal(writer.summary())}\n`);
    return writer !== null && writer.error !== null ? failCode : 0;
  } catch (e) {
    const code = isCaptureError(e) ? e.exitCode : e instanceof ReportArgError ? (live ? 2 : 1) : failCode;
    io.stderr(`wiretop report: ${escapeForTerminal(oneLine(e))}\n`);
    return code;
  } finally {
    monitor?.close?.();
  }
}
