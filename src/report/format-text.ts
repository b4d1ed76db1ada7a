import { escapeForTerminal } from '../util/escape.js';
import type { ReportV1 } from './report-types.js';

/** 1234567 -> '1.2 MB' (decimal units, as on the wire). */
export function humanBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '0.0%';
}

function endpoint(addr: string, port: number | null): string {
  if (port === null) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function table(rows: string[][], right: boolean[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 && !right[i] ? c : right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The default (non-JSON) output of `wiretop report`. Every string that could
 * come from the wire (service names, warnings) is escaped; addresses and
 * numbers are made by us and safe.
 */
export interface TextOptions {
  /**
   * One line on what the anomaly detectors compared the traffic with; when
   * set (the detectors ran), the Alerts section is printed even when empty.
   */
  detection?: string | null;
  /** `-w`: what went to the file (CaptureWriter.summary()). */
  written?: string | null;
}

/** 2023-11-14T22:13:20.000Z -> 22:13:20 (alerts of one capture rarely span days; the date is in `time`). */
function clock(iso: string): string {
  const m = /T(\d\d:\d\d:\d\d)/.exec(iso);
  return m ? m[1]! : iso;
}

export function formatReportText(r: ReportV1, opts: TextOptions = {}): string {
  const esc = escapeForTerminal;
  const out: string[] = [];
  const src = r.source;
  out.push(`source     ${esc(src.name)} (${src.kind}${src.linkTypes.length ? `, ${src.linkTypes.map((x) => esc(x)).join(', ')}` : ''})`);
  if (r.filter.capture !== null) out.push(`capture    ${esc(r.filter.capture)}`);
  if (r.filter.display !== null) out.push(`display    ${esc(r.filter.display)}`);
  out.push(`read       ${src.packetsRead} packets, ${humanBytes(src.bytesRead)}${src.truncated ? ' (truncated)' : ''}`);
  out.push(`counted    ${r.packets} packets, ${humanBytes(r.bytes)} (${r.bytes} bytes)`);
  if (opts.written) out.push(`-w         ${esc(opts.written)}`);
  if (r.firstSeen !== null) out.push(`time       ${r.firstSeen} .. ${r.lastSeen} (${r.durationSeconds.toFixed(3)} s)`);
  const reasons = r.malformedReasons.map((m) => `${esc(m.reason)} ${m.count}`).join(', ');
  out.push(`malformed  ${r.malformed}${reasons ? ` (${reasons})` : ''}`);
  out.push(`flows      ${r.flows.tracked} tracked, ${r.flows.evicted} evicted`);

  out.push('', `Top hosts (${r.hosts.length})`);
  out.push(
    ...table(
      [
        ['address', 'packets', 'bytes', 'tx bytes', 'rx bytes', 'share'],
        ...r.hosts.map((h) => [h.addr, String(h.packets), humanBytes(h.bytes), humanBytes(h.txBytes), humanBytes(h.rxBytes), pct(h.bytes, r.bytes)]),
      ],
      [false, true, true, true, true, true],
    ).map((l) => `  ${l}`),
  );

  out.push('', `Top conversations (${r.conversations.length})`);
  out.push(
    ...table(
      [
        ['proto', 'a', 'b', 'service', 'packets', 'bytes', 'a->b', 'b->a'],
        ...r.conversations.map((c) => [
          c.proto,
          endpoint(c.a, c.aPort),
          endpoint(c.b, c.bPort),
          esc(c.service),
          String(c.packets),
          humanBytes(c.bytes),
          humanBytes(c.aToB.bytes),
          humanBytes(c.bToA.bytes),
        ]),
      ],
      [false, false, false, false, true, true, true, true],
    ).map((l) => `  ${l}`),
  );

  out.push('', 'Protocol hierarchy');
  out.push(
    ...table(
      [
        ['protocol', 'packets', '%', 'bytes', '%'],
        ...r.protocols.map((p) => {
          const parts = p.path.split(':');
          return [
            `${'  '.repeat(parts.length - 1)}${esc(parts[parts.length - 1]!)}`,
            String(p.packets),
            pct(p.packets, r.packets),
            humanBytes(p.bytes),
            pct(p.bytes, r.bytes),
          ];
        }),
      ],
      [false, true, true, true, true],
    ).map((l) => `  ${l}`),
  );
  const detection = opts.detection ?? null;
  if (r.alerts.length > 0 || detection !== null) {
    out.push('', `Alerts (${r.alerts.length})`);
    if (detection !== null) out.push(`  ${esc(detection)}`);
    if (r.alerts.length > 0) {
      out.push(
        ...table(
          [
            ['severity', 'kind', 'subject', 'seen', 'message'],
            ...r.alerts.map((a) => [
              esc(a.severity),
              esc(a.kind),
              esc(a.subject),
              a.firstSeen === a.lastSeen ? clock(a.firstSeen) : `${clock(a.firstSeen)}-${clock(a.lastSeen)}`,
              esc(a.message),
            ]),
          ],
          [false, false, false, false, false],
        ).map((l) => `  ${l}`),
      );
    } else {
      out.push('  none');
    }
  }
  return `${out.join('\n')}\n`;
}
