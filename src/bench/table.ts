/**
 * Pure formatting for `npm run bench`: numbers, target checks and the markdown
 * table that goes into the README. No clocks, no I/O, so it is unit-tested.
 */
import type { FullSpeedResult, LoadedResult } from './dashboard-bench.js';
import type { CachedCapture, ToolResult, WiretopReportResult } from './report-bench.js';

export type TargetOp = '>=' | '<=' | '<';

export interface Target {
  readonly op: TargetOp;
  readonly limit: number;
}

/** 'yes' / 'no', or 'n/a' when there is no measurement (null, NaN) or no target. */
export type Verdict = 'yes' | 'no' | 'n/a';

export function verdict(value: number | null | undefined, target: Target | null): Verdict {
  if (target === null || value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  const ok = target.op === '>=' ? value >= target.limit : target.op === '<' ? value < target.limit : value <= target.limit;
  return ok ? 'yes' : 'no';
}

/** 3,120,000 -> "3.12M", 61,234 -> "61.2k", 950 -> "950", 12.5 -> "12.5". */
export function formatSi(n: number): string {
  if (!Number.isFinite(n)) return '-';
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 999.5 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  if (i === 0) return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1);
  return trim(v) + SI[i];
}

const SI = ['', 'k', 'M', 'G', 'T'];

/** Three significant digits, no trailing zeros past the point ("3.1", "61.2", "950"). */
function trim(x: number): string {
  const a = Math.abs(x);
  const s = a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function formatPps(pps: number | null | undefined): string {
  return pps === null || pps === undefined || !Number.isFinite(pps) ? '-' : `${formatSi(pps)} pkt/s`;
}

/** a / b as "x12.3" (a faster) or "x0.85"; '-' when either side is missing. */
export function formatRatio(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined || !(a > 0) || !(b > 0)) return '-';
  const r = a / b;
  return `x${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}`;
}

export function formatMb(mb: number | null | undefined): string {
  return mb === null || mb === undefined || !Number.isFinite(mb) ? '-' : `${mb >= 100 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction) ? '-' : `${(fraction * 100).toFixed(1)}%`;
}

export function formatTarget(t: Target | null, unit: (n: number) => string): string {
  return t === null ? '' : `${t.op} ${unit(t.limit)}`;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Peak RSS is "flat" when the largest of the runs is at most `tolerance` above
 * the smallest: the flow table is the same size, so more packets must not cost memory.
 */
export function spread(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length < 2) return NaN;
  const lo = Math.min(...v);
  return lo > 0 ? Math.max(...v) / lo - 1 : NaN;
}

export interface TableRow {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  readonly met: Verdict | '';
  readonly note?: string;
}

const HEADERS = ['Benchmark', 'Measured', 'Target', 'Met', 'Notes'] as const;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A markdown table with padded columns, so it reads in a terminal as well as on GitHub. */
export function markdownTable(rows: readonly TableRow[]): string {
  const body = rows.map((r) => [r.name, r.measured, r.target, r.met, r.note ?? ''].map(cell));
  const widths = HEADERS.map((h, i) => Math.max(h.length, 3, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(HEADERS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n') + '\n';
}

export const TARGET_PPS: Target = { op: '>=', limit: 3_000_000 };
export const TARGET_RSS: Target = { op: '<=', limit: 250 };
export const TARGET_FLAT: Target = { op: '<=', limit: 0.1 };
export const TARGET_FILTER: Target = { op: '<', limit: 0.1 };
export const TARGET_DASH_SHARE: Target = { op: '>=', limit: 0.8 };
export const TARGET_DRAW_CPU: Target = { op: '<', limit: 0.1 };
export const TARGET_KEY_MS: Target = { op: '<', limit: 100 };

/** One row from another engineer's bench helper. */
export interface HelperResult {
  readonly name: string;
  readonly measured: string;
  readonly target?: string;
  readonly met?: Verdict | '';
  readonly note?: string;
  readonly raw?: unknown;
}

/** bench/out/results.json. */
export interface Results {
  readonly date: string;
  readonly mode: 'full' | 'quick';
  readonly machine: { cpus: number; model: string; loadAvgStart: number; loadAvg1m: number; node: string };
  readonly captures: Record<string, CachedCapture['summary'] & { reused: boolean }>;
  readonly report: WiretopReportResult;
  readonly startup: WiretopReportResult;
  readonly tools: ToolResult[];
  readonly rss: { packets: number; maxRssMb: number | null; flowsTracked: number | null }[];
  readonly filters: WiretopReportResult[];
  readonly dashboard: { via: string | null; commands: string[]; fullSpeed: FullSpeedResult | null; loaded: LoadedResult | null };
  readonly helpers: HelperResult[];
}

// ---------------------------------------------------------------- the README table

/** How fast the real-time replay went, and whether the dashboard kept up with the capture's own rate. */
function behind(r: Results, l: LoadedResult): string {
  const got = l.packetsInWindow / (l.windowMs / 1000);
  const cap = Object.entries(r.captures).find(([k]) => k.startsWith('dash-'))?.[1];
  const want = cap ? cap.packets / cap.durationSec : NaN;
  const text = `~${formatPps(got)} replayed`;
  return got < want * 0.9 ? `${text}: fell behind the capture's ${formatPps(want)}, so this undercounts drawing` : `${text} (capture: ${formatPps(want)})`;
}

/** What produced the numbers, under the table. */
export function renderCommands(r: Results, root: string): string {
  const q = (s: string): string => `\`${s.replaceAll(root, '')}\``;
  const lines = [
    `- ${q(r.report.command)} (WIRETOP_STATS=1; best of ${r.report.runs})`,
    ...r.tools.map((t) => `- ${q(t.command)}`),
    ...r.dashboard.commands.map((c) => `- ${q(c)} in tmux 160x48`),
  ];
  return `Commands:\n${lines.join('\n')}\n`;
}

export function renderTable(r: Results, cap: CachedCapture['summary']): string {
  const flows = cap.flows;
  const rows: TableRow[] = [];
  const pk = formatSi(r.report.packets);
  const rep = r.report;
  const ok = rep.status === 'ok';
  const cmd = `${rep.via === 'cli' ? '' : 'via runReport; '}${rep.note ?? ''}`.trim();
  rows.push({ name: `wiretop report --json (${pk} pkts, ${formatSi(flows)} flows), wall`, measured: ok ? formatPps(rep.pps) : rep.status, target: formatTarget(TARGET_PPS, formatSi) + ' pkt/s', met: verdict(rep.pps, TARGET_PPS), note: `${formatMs(rep.wallMs)} best of ${rep.runs} ${cmd}`.trim() });
  const st = r.startup;
  const steady = (total: number | null, base: number | null): number => (total !== null && base !== null && total > base ? rep.packets / ((total - base) / 1000) : NaN);
  rows.push({ name: 'wiretop report --json, per CPU second', measured: formatPps(rep.ppsCpu), target: formatTarget(TARGET_PPS, formatSi) + ' pkt/s', met: verdict(rep.ppsCpu, TARGET_PPS), note: `${formatMs(rep.cpuMs)} CPU (user+sys), whole process` });
  rows.push({ name: 'wiretop report startup (1-packet capture)', measured: st.status === 'ok' ? `${formatMs(st.wallMs)} wall, ${formatMs(st.cpuMs)} CPU` : st.status, target: '', met: '', note: `${formatMb(st.maxRssMb)}; without it: ${formatPps(steady(rep.wallMs, st.wallMs))} wall, ${formatPps(steady(rep.cpuMs, st.cpuMs))} per CPU s` });
  rows.push({ name: `peak RSS, report on ${pk} pkts`, measured: formatMb(rep.maxRssMb), target: formatTarget(TARGET_RSS, (n) => `${n} MB`), met: verdict(rep.maxRssMb, TARGET_RSS) });
  if (r.rss.length > 1) {
    const s = spread(r.rss.map((x) => x.maxRssMb ?? NaN));
    rows.push({ name: `peak RSS ${r.rss.map((x) => formatSi(x.packets)).join(' / ')} pkts (same flows)`, measured: r.rss.map((x) => formatMb(x.maxRssMb)).join(' / '), target: 'flat (max <= min + 10%)', met: verdict(s, TARGET_FLAT), note: `spread ${formatPercent(s)}` });
  } else rows.push({ name: 'peak RSS flat across 250k/500k/1M', measured: 'skipped (--quick)', target: 'flat', met: 'n/a' });
  const tool = (prefix: string): ToolResult | undefined => r.tools.find((t) => t.name.startsWith(prefix));
  for (const t of r.tools) {
    rows.push({ name: t.name, measured: t.status === 'ok' ? formatPps(t.pps) : t.status, target: '', met: '', note: t.status === 'ok' ? `${formatMs(t.wallMs)}, ${formatPps(t.ppsCpu)} per CPU s, ${formatMb(t.maxRssMb)}` : t.note });
  }
  const tshark = tool('tshark');
  const tcpdump = tool('tcpdump -nn');
  const bpf = tool('tcpdump BPF');
  rows.push({ name: 'wiretop / tshark', measured: tshark ? formatRatio(rep.pps, tshark.pps) : 'skipped (--quick)', target: '', met: '', note: tshark ? `per CPU s ${formatRatio(rep.ppsCpu, tshark.ppsCpu)}` : '' });
  rows.push({ name: 'wiretop / tcpdump -nn -q', measured: formatRatio(rep.pps, tcpdump?.pps), target: '', met: '', note: `per CPU s ${formatRatio(rep.ppsCpu, tcpdump?.ppsCpu)}` });
  rows.push({ name: 'wiretop / tcpdump BPF only', measured: formatRatio(rep.pps, bpf?.pps), target: '', met: '', note: `per CPU s ${formatRatio(rep.ppsCpu, bpf?.ppsCpu)}` });
  for (const f of r.filters) {
    const cost = f.cpuMs !== null && rep.cpuMs ? f.cpuMs / rep.cpuMs - 1 : NaN;
    const isHeader = f.name.includes('matches all');
    rows.push({
      name: f.name, measured: f.status === 'ok' ? `${formatPps(f.pps)}, cost ${formatPercent(cost)}` : f.status,
      target: isHeader ? '< 10% of report' : '', met: isHeader ? verdict(cost, TARGET_FILTER) : '',
      note: f.status === 'ok' ? `\`${f.filter ?? ''}\`: CPU vs unfiltered report, ${formatSi(f.packetsMatched ?? NaN)} matched` : `\`${f.filter ?? ''}\`: ${f.note ?? ''}`,
    });
  }
  const d = r.dashboard;
  if (d.via === null) rows.push({ name: 'dashboard', measured: 'not available', target: '', met: 'n/a' });
  else {
    const fs = d.fullSpeed!;
    const share = fs.pps !== null && rep.pps !== null ? fs.pps / rep.pps : NaN;
    const how = d.via === 'cli' ? '' : '; via runDashboard';
    rows.push({
      name: `dashboard --speed max (${pk} pkts, 160x48 pty)`,
      measured: fs.pps !== null ? `${fs.status === 'ok' ? '' : `${fs.status}, so far `}${formatPps(fs.pps)} = ${formatPercent(share)} of report` : fs.status,
      target: '>= 80% of report', met: verdict(share, TARGET_DASH_SHARE),
      note: fs.status === 'ok' ? `${formatMs(fs.wallMs)} to "end of capture"${how}` : `${fs.note ?? ''}${how}`,
    });
    const l = d.loaded!;
    if (l.status === 'ok') {
      const k = { median: median(l.keyLatencyMs), max: l.keyLatencyMs.length ? Math.max(...l.keyLatencyMs) : NaN };
      rows.push({ name: `dashboard drawing CPU, 4 fps, ${formatSi(l.flows[1])} flows`, measured: `${formatPercent(l.drawCpuShare)} of a core`, target: '< 10% of a core', met: verdict(l.drawCpuShare, TARGET_DRAW_CPU), note: `whole process ${formatPercent(l.cpuShare)}, minus no-drawing replay ${formatPercent(l.headlessCpuShare)}; ${behind(r, l)}` });
      rows.push({ name: 'key press (t) to next frame', measured: `median ${formatMs(k.median)}, max ${formatMs(k.max)}`, target: '< 100 ms', met: verdict(k.median, TARGET_KEY_MS), note: `${l.keyLatencyMs.length} presses${l.keyMisses ? `, ${l.keyMisses} not seen in 2 s` : ''}; idle (after the end) median ${formatMs(median(fs.idleKeyLatencyMs ?? []))}; capture-pane polled every ~${formatMs(l.pollMs)}` });
    } else rows.push({ name: 'dashboard under load (CPU, keys)', measured: 'error', target: '', met: 'n/a', note: l.note });
  }
  for (const h of r.helpers) rows.push({ name: h.name, measured: h.measured, target: h.target ?? '', met: h.met ?? '', note: h.note });
  const head =
    `wiretop benchmarks (${r.mode}), ${r.date.slice(0, 16)}Z, ${r.machine.cpus} x ${r.machine.model}, node ${r.machine.node}, load avg ${r.machine.loadAvgStart.toFixed(1)} at the start, ${r.machine.loadAvg1m.toFixed(1)} at the end.\n` +
    `Capture: ${cap.packets.toLocaleString('en-US')} packets, ${cap.flows.toLocaleString('en-US')} flows (top 5 carry ${formatPercent(cap.heavyShare)}), ` +
    `${formatMb(cap.fileBytes / 2 ** 20)} pcap, ${cap.durationSec.toFixed(0)} s of traffic (writeBenchCapture, seed 1).\n\n`;
  return head + markdownTable(rows);
}
