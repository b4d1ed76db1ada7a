/**
 * `npm run bench`: end-to-end numbers for the README.
 *
 *   npm run bench               1M-packet capture, tshark/tcpdump comparison, dashboard, helpers
 *   npm run bench -- --quick    100k packets, no tshark, short dashboard windows (for development)
 *   npm run bench -- --live     also the live-capture bench (root only; long)
 *
 * Prints one markdown table and writes bench/out/results.json (results-quick.json
 * with --quick). Captures are generated once into bench/out/ (gitignored) and reused.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFullSpeed, benchLoaded, resolveDashboard, type FullSpeedResult, type LoadedResult } from './dashboard-bench.js';
import {
  commandLine, ensureCapture, REPO_ROOT, resolveWiretopReport, tcpdumpBpfSpec, tcpdumpSpec, timeTool, timeWiretopReport, tsharkSpec,
  type CachedCapture, type ToolResult, type WiretopReportResult,
} from './report-bench.js';
import {
  formatMs, formatPercent, formatPps, formatSi, renderCommands, renderTable, verdict, type HelperResult, type Results,
} from './table.js';

const TOOL_TIMEOUT_MS = 120_000;
/** Matches every packet, so aggregation work is unchanged and the difference is the filter itself. */
const HEADER_FILTER_ALL = 'frame.len > 0 and eth.type != 0x0806 and not tcp.port == 9';
/** A realistic, selective one (fewer packets reach the counters, so it can come out cheaper). */
const HEADER_FILTER = 'ip.src == 10.0.0.0/8 && tcp.port in {80,443} && frame.len > 100';
const APP_FILTER = 'dns.qry.name contains "example"';

interface Args {
  readonly isQuick: boolean;
  readonly isLive: boolean;
  readonly outDir: string;
}

function parseArgs(argv: readonly string[]): Args {
  return { isQuick: argv.includes('--quick'), isLive: argv.includes('--live'), outDir: join(REPO_ROOT, 'bench/out') };
}

const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);


async function main(argv: readonly string[]): Promise<void> {
  const a = parseArgs(argv);
  const loadAvgStart = loadavg()[0]!;
  mkdirSync(a.outDir, { recursive: true });
  const flows = 20_000;
  const mainPackets = a.isQuick ? 100_000 : 1_000_000;
  log(`captures in ${a.outDir} (generated once)`);
  const caps: Record<string, CachedCapture> = {};
  const cap = (name: string, packets: number, f = flows, rate?: number): CachedCapture => {
    const c = ensureCapture(a.outDir, name, rate === undefined ? { packets, flows: f, seed: 1 } : { packets, flows: f, seed: 1, rate });
    log(`  ${name}: ${c.summary.packets} packets, ${c.summary.flows} flows${c.reused ? ' (cached)' : ` (written in ${formatMs(c.summary.elapsedMs)})`}`);
    return (caps[name] = c);
  };
  const big = cap(a.isQuick ? 'bench-100k' : 'bench-1m', mainPackets);
  const rssCaps = a.isQuick ? [] : [cap('bench-250k', 250_000), cap('bench-500k', 500_000)];
  const small = a.isQuick ? big : cap('bench-100k', 100_000);
  // Real-time replay at 20k pkt/s over 10,000 flows: nearly all of them are active within a few seconds.
  const dash = cap(a.isQuick ? 'dash-10k-flows-short' : 'dash-10k-flows', a.isQuick ? 240_000 : 500_000, 10_000, 20_000);

  const inv = await resolveWiretopReport();
  log(`wiretop report via ${inv.via === 'cli' ? 'node bin/wiretop.js report' : 'runReport (bin/wiretop.js report is not wired yet)'}`);
  const runs = a.isQuick ? 1 : 3;
  log(`wiretop report on ${mainPackets} packets (best of ${runs})`);
  const report = await timeWiretopReport(inv, big.path, mainPackets, runs, TOOL_TIMEOUT_MS);
  log(`  ${formatPps(report.pps)} ${report.note ?? ''}`);

  // Node start-up and module loading, to read the per-packet cost out of the totals.
  const startup = await timeWiretopReport(inv, cap('bench-1-packet', 1, 1).path, 1, runs, TOOL_TIMEOUT_MS, [], 'wiretop report startup');

  const tools: ToolResult[] = [];
  for (const spec of a.isQuick ? [tcpdumpSpec(big.path), tcpdumpBpfSpec(big.path)] : [tsharkSpec(big.path), tcpdumpSpec(big.path), tcpdumpBpfSpec(big.path)]) {
    log(`${spec.name}`);
    const t = await timeTool(spec, mainPackets, spec.cmd === 'tshark' ? 1 : a.isQuick ? 1 : 2, TOOL_TIMEOUT_MS);
    log(`  ${t.status === 'ok' ? formatPps(t.pps) : t.status} ${t.note ?? ''}`);
    tools.push(t);
  }

  const rss: Results['rss'] = [];
  for (const c of rssCaps) {
    log(`peak RSS on ${c.summary.packets} packets`);
    const r = await timeWiretopReport(inv, c.path, c.summary.packets, 1, TOOL_TIMEOUT_MS);
    rss.push({ packets: c.summary.packets, maxRssMb: r.maxRssMb, flowsTracked: r.flowsTracked });
  }
  rss.push({ packets: mainPackets, maxRssMb: report.maxRssMb, flowsTracked: report.flowsTracked });

  const filters: WiretopReportResult[] = [];
  for (const [name, text] of [
    ['report -Y 3-clause header filter, matches all', HEADER_FILTER_ALL],
    ['report -Y 3-clause header filter, selective', HEADER_FILTER],
    ['report -Y app field', APP_FILTER],
  ] as const) {
    log(`${name}: ${text}`);
    filters.push(await timeWiretopReport(inv, big.path, mainPackets, Math.min(runs, 2), TOOL_TIMEOUT_MS, ['-Y', text], name));
  }

  const dinv = await resolveDashboard();
  let fullSpeed: FullSpeedResult | null = null;
  let loaded: LoadedResult | null = null;
  if (dinv !== null) {
    log(`dashboard via ${dinv.via}: --speed max on ${mainPackets} packets`);
    fullSpeed = await benchFullSpeed(dinv, big.path, mainPackets, TOOL_TIMEOUT_MS);
    log(`  ${fullSpeed.status === 'ok' ? formatPps(fullSpeed.pps) : fullSpeed.status} ${fullSpeed.note ?? ''}`);
    log('dashboard at real time, 10,000 flows: CPU and key latency');
    loaded = await benchLoaded(dinv, dash.path, a.isQuick ? { warmupMs: 3000, windowMs: 4000, keyPresses: 5 } : { warmupMs: 5000, windowMs: 10_000, keyPresses: 11 });
    log(`  ${loaded.status === 'ok' ? `cpu ${formatPercent(loaded.cpuShare)}, keys ${loaded.keyLatencyMs.map((x) => Math.round(x)).join(' ')}` : loaded.note}`);
  } else log('dashboard: not available');

  const helpers = await runHelpers({ reportPps: report.ppsCpu, main: big.path, small: small.path, isQuick: a.isQuick, isLive: a.isLive, log });

  const results: Results = {
    date: new Date().toISOString(),
    mode: a.isQuick ? 'quick' : 'full',
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '?', loadAvgStart, loadAvg1m: loadavg()[0]!, node: process.version },
    captures: Object.fromEntries(Object.entries(caps).map(([k, c]) => [k, { ...c.summary, reused: c.reused }])),
    report, startup, tools, rss, filters, helpers,
    dashboard: {
      via: dinv?.via ?? null,
      commands: dinv === null ? [] : [dinv.argv(big.path, 'max'), dinv.argv(dash.path, '1')].map((c) => commandLine('node', c.slice(1)).replaceAll(REPO_ROOT, '')),
      fullSpeed, loaded,
    },
  };
  // --quick runs do not overwrite the last full run's numbers.
  const out = join(a.outDir, a.isQuick ? 'results-quick.json' : 'results.json');
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(renderTable(results, big.summary) + '\n' + renderCommands(results, REPO_ROOT));
  log(`wrote ${out}`);
}

// ---------------------------------------------------------------- other engineers' benches


type Mod = Record<string, unknown>;
type Fn = (...args: unknown[]) => unknown;

/**
 * Another engineer's bench file, if it was built. The specifier is computed so
 * tsc does not need the file to exist; a missing module or function is reported
 * as "not available", a throwing one as its error, and neither fails the run.
 */
async function optional(file: string): Promise<Mod | string> {
  const url = new URL(`./${file}.js`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return 'not available';
  try {
    return (await import(url.href)) as Mod;
  } catch (e) {
    return `failed to load: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function fn(m: Mod | string, name: string): Fn | string {
  if (typeof m === 'string') return m;
  return typeof m[name] === 'function' ? (m[name] as Fn) : `not available (no ${name} export)`;
}

async function guarded(name: string, log: (s: string) => void, body: () => Promise<HelperResult[]>): Promise<HelperResult[]> {
  log(name);
  try {
    return await body();
  } catch (e) {
    return [{ name, measured: 'error', met: 'n/a', note: (e instanceof Error ? e.message : String(e)).slice(0, 160) }];
  }
}

/** A row for a bench that could not run: "not available (why)" or a load error. */
function na(name: string, why: string): HelperResult {
  const m = /^not available(?: \((.*)\))?$/.exec(why);
  return m ? { name, measured: 'not available', met: 'n/a', note: m[1] ?? '' } : { name, measured: 'error', met: 'n/a', note: why };
}

/** The first `max` packets of a capture in one buffer, as plain records for benchDecode. */
async function loadRecords(path: string, max: number): Promise<{ buf: Uint8Array; off: number; capLen: number; origLen: number; linkType: number }[]> {
  const { openFileSource } = await import('../capture/file-source.js');
  let buf = new Uint8Array(64 << 20);
  let used = 0;
  const meta: [number, number, number, number][] = [];
  const src = openFileSource({ path });
  await src.start((r) => {
    if (meta.length >= max) return src.stop();
    if (used + r.capLen > buf.length) {
      const b = new Uint8Array(buf.length * 2);
      b.set(buf.subarray(0, used));
      buf = b;
    }
    buf.set(r.buf.subarray(r.off, r.off + r.capLen), used);
    meta.push([used, r.capLen, r.origLen, r.linkType]);
    used += r.capLen;
  });
  return meta.map(([off, capLen, origLen, linkType]) => ({ buf, off, capLen, origLen, linkType }));
}

interface HelperContext {
  /** `wiretop report` packets per CPU second (end to end), to express per-packet costs against. */
  readonly reportPps: number | null;
  readonly main: string;
  readonly small: string;
  readonly isQuick: boolean;
  readonly isLive: boolean;
  readonly log: (s: string) => void;
}

async function runHelpers(c: HelperContext): Promise<HelperResult[]> {
  // In-memory ingest rate with rates off (report mode), from the engine step.
  let enginePps: number | undefined;
  const gc = (globalThis as { gc?: () => void }).gc;
  const out: HelperResult[] = [];
  const step = async (name: string, body: () => Promise<HelperResult[]>): Promise<void> => {
    out.push(...(await guarded(name, c.log, body)));
    gc?.();
  };
  await step('decode (in memory)', async () => {
    const f = fn(await optional('decode-bench'), 'benchDecode');
    if (typeof f === 'string') return [na('decode (in memory)', f)];
    const recs = await loadRecords(c.small, 100_000);
    const r = (await f(recs, c.isQuick ? 3 : 10)) as { pps: number; packets: number };
    return [{ name: 'decode only, in memory (benchDecode)', measured: formatPps(r.pps), note: `${formatSi(r.packets)} decodes`, raw: r }];
  });
  await step('engine (in memory)', async () => {
    const f = fn(await optional('engine-bench'), 'benchEngineFile');
    if (typeof f === 'string') return [na('engine (in memory)', f)];
    const rows: HelperResult[] = [];
    for (const rates of [false, true]) {
      const r = (await f(c.main, { rates })) as { pps: number; ppsCpu: number; packets: number; flows: number };
      if (!rates) enginePps = r.ppsCpu;
      rows.push({ name: `engine ingest, in memory, rates ${rates ? 'on (dashboard)' : 'off (report)'} (benchEngineFile)`, measured: formatPps(r.pps), note: `${formatPps(r.ppsCpu)} per CPU s, ${formatSi(r.packets)} pkts, ${formatSi(r.flows)} flows`, raw: r });
      gc?.();
    }
    return rows;
  });
  await step('filter', async () => {
    const m = await optional('filter-bench');
    return filterRows(m, c, enginePps);
  });
  await step('dissect + reassembly', async () => {
    const f = fn(await optional('dissect-bench'), 'benchDissect');
    if (typeof f === 'string') return [na('dissection + reassembly cost', f)];
    type Side = { pps: number };
    const r = (await f({ path: c.main, runs: c.isQuick ? 1 : 5 })) as {
      slowdown: number; storeSlowdown: number; loss: number; reportLoss: number; packets: number; off: Side; dashOff: Side; on: Side; report: Side; store: Side; classifiedFlows: number;
      view: { stream: number; streamBytes: number; ringMb: number; ringPackets: number; firstMs: number; againMs: number } | null;
    };
    const rows: HelperResult[] = [];
    // The issue's measure: the share of the bare engine's packets/s that dissection and reassembly cost.
    const note = (engine: string): string => `${formatSi(r.packets)} pkts in memory, best of ${c.isQuick ? 1 : 5}, ${formatSi(r.classifiedFlows)} flows classified; cost = share of the pkt/s of the ${engine} engine without dissection`;
    const row = (name: string, loss: number, side: Side, base: Side, engine: string, raw?: unknown): HelperResult => ({
      name, measured: `${formatPercent(loss)} of the pkt/s (${formatPps(side.pps)} vs ${formatPps(base.pps)}; time x${(base.pps / side.pps).toFixed(2)})`,
      target: '<= 30% of pkt/s', met: verdict(loss, { op: '<=', limit: 0.3 }), note: note(engine), raw,
    });
    rows.push(row('dissection cost, report (classifier, labels, fields)', r.reportLoss, r.report, r.off, "report's (no rates)", r));
    rows.push(row('dissection + reassembly cost, dashboard (stream index; a viewed stream rebuilt from the ring)', r.loss, r.on, r.dashOff, "dashboard's (rates, expiry)"));
    if (r.view) {
      rows.push({ name: 'stream view: one stream reassembled from the ring on demand', measured: `${r.view.firstMs.toFixed(1)} ms (update ${r.view.againMs.toFixed(1)} ms)`, note: `tcp stream ${r.view.stream}, ${formatSi(r.view.streamBytes)}B, from the ${r.view.ringMb} MiB ring of ${formatSi(r.view.ringPackets)} pkts` });
    }
    rows.push({ name: 'every stream reassembled as it arrives (dashboard --ring-mb 0)', measured: `${formatPercent(1 - r.store.pps / r.dashOff.pps)} of the pkt/s (${formatPps(r.store.pps)}; time x${r.storeSlowdown.toFixed(2)})`, note: "store mode: copies every payload byte; vs the dashboard's engine without dissection" });
    return rows;
  });
  if (c.isLive) {
    await step('live capture', async () => {
      if (process.getuid?.() !== 0) return [{ name: 'live capture', measured: 'skipped', met: 'n/a', note: 'needs root' }];
      return liveRows(await optional('live-bench'), c.log);
    });
  }
  return out;
}

/**
 * filter-bench's per-packet evaluation cost over 100k decoded packets, as a
 * share of what `wiretop report` spends per packet end to end.
 */
async function filterRows(m: Mod | string, c: HelperContext, enginePps: number | undefined): Promise<HelperResult[]> {
  const f = fn(m, 'benchFilter');
  if (typeof f === 'string') return [na('filter evaluation (filter-bench)', f)];
  const [{ Decoder }, { DecodedPacket }, { PacketRecord }] = await Promise.all([
    import('../decode/decoder.js'), import('../decode/packet.js'), import('../capture/record.js'),
  ]);
  const decoder = new Decoder();
  const rec = new PacketRecord();
  const packets = (await loadRecords(c.small, 100_000)).map((r) => {
    Object.assign(rec, r);
    const p = new DecodedPacket();
    decoder.decode(rec, p);
    return p;
  });
  const header = typeof (m as Mod)['HEADER_FILTER_3'] === 'string' ? ((m as Mod)['HEADER_FILTER_3'] as string) : HEADER_FILTER;
  const nsReport = c.reportPps !== null && c.reportPps > 0 ? 1e9 / c.reportPps : NaN;
  type FilterRun = { text: string; nsPerPacket: number; matched: number; packets: number; bytesPerPacket: number | null };
  const row = (name: string, r: FilterRun, isTarget: boolean): HelperResult => {
    const share = r.nsPerPacket / nsReport;
    const vsEngine = enginePps ? ` (${formatPercent(r.nsPerPacket / (1e9 / enginePps))} of in-memory engine ingest)` : '';
    return {
      name, measured: `${r.nsPerPacket.toFixed(1)} ns/pkt = ${formatPercent(share)} of report`, target: isTarget ? '< 10% of report' : '', met: isTarget ? verdict(share, { op: '<', limit: 0.1 }) : '',
      note: `\`${r.text}\`: ${formatSi(r.packets)} evaluations, ${formatPercent(r.matched / Math.max(1, r.packets))} matched${r.bytesPerPacket === null ? '' : `, ${r.bytesPerPacket.toFixed(2)} B/pkt allocated`}; report ${nsReport.toFixed(0)} ns/pkt per CPU, end to end${vsEngine}`,
      raw: r,
    };
  };
  const out = [row('3-clause header filter (benchFilter)', (await f(packets, { text: header, paths: decoder.paths })) as FilterRun, true)];
  const reg = await import(new URL('../dissect/register-fields.js', import.meta.url).href).catch(() => null) as Mod | null;
  if (typeof reg?.['registerAppFields'] !== 'function') out.push(na('app-field filter (benchFilter)', 'not available (registerAppFields)'));
  else {
    (reg['registerAppFields'] as Fn)();
    out.push(row('app-field filter (benchFilter)', (await f(packets, { text: APP_FILTER, paths: decoder.paths })) as FilterRun, false));
  }
  return out;
}

interface LiveRow {
  consumer: string;
  bufferMb: number;
  filtered: boolean;
  sent: number;
  sentPps: number;
  wiretopMissed: number;
  tcpdumpDroppedByKernel: number | null;
  wiretopCpu: number;
  usPerPacket: number;
}

/** live-bench's rising-rate steps, one row per consumer and buffer: the fastest step without loss. */
async function liveRows(m: Mod | string, log: (s: string) => void): Promise<HelperResult[]> {
  const f = fn(m, 'benchLive');
  if (typeof f === 'string') return [na('live capture (live-bench)', f)];
  const r = (await f({ log: (l: string) => l.trim() && log(`  ${l}`) })) as { rows: LiveRow[]; skipped: string[] };
  const groups = new Map<string, LiveRow[]>();
  for (const row of r.rows) {
    const k = `${row.consumer}, ${row.bufferMb} MiB buffer${row.filtered ? '' : ', no capture filter'}`;
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return [...groups].map(([k, rows]) => {
    const clean = rows.filter((x) => x.wiretopMissed <= x.sent * 0.001);
    const best = clean.length ? clean.reduce((a, b) => (b.sentPps > a.sentPps ? b : a)) : null;
    const top = rows.reduce((a, b) => (b.sentPps > a.sentPps ? b : a));
    return {
      name: `live capture on lo (${k})`,
      measured: best ? `lossless at ${formatPps(best.sentPps)}` : 'loss at every rate',
      note: `fastest step ${formatPps(top.sentPps)}: missed ${formatPercent(top.wiretopMissed / Math.max(1, top.sent))}, tcpdump dropped ${top.tcpdumpDroppedByKernel ?? '-'}, CPU ${formatPercent(top.wiretopCpu)}, ${top.usPerPacket.toFixed(2)} µs/pkt`,
      raw: rows,
    };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
