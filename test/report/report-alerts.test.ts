import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BaselineMonitor, writeBaseline } from '../../src/baseline/index.js';
import { REPORT_YARGS_OPTIONS, runReport } from '../../src/cli/report.js';
import { generateAnomalyFrames, writeAnomalyPcap } from '../../src/fixtures-gen/anomalies/generate.js';
import { INJECTION_SUBJECT } from '../../src/fixtures-gen/anomalies/injections.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { ETH, ethernet, ipv4, udp } from '../../src/fixtures-gen/packet-builder.js';
import { formatReportText } from '../../src/report/format-text.js';
import type { ReportV1 } from '../../src/report/report-types.js';
import { feed } from '../baseline/feed.js';

const SCANNER = INJECTION_SUBJECT['port-scan'];
let dir: string;
let scanPcap: string;
let cleanPcap: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wiretop-report-alerts-'));
  scanPcap = join(dir, 'portscan.pcap');
  cleanPcap = join(dir, 'clean.pcap');
  // A slow scan (one port every ~3 s) from 20 s on: past the 64-port limit after about 200 s.
  writeAnomalyPcap(scanPcap, { seed: 3, durationSec: 300, hosts: 5, injections: [{ kind: 'port-scan', atSec: 20 }] });
  writeAnomalyPcap(cleanPcap, { seed: 5, durationSec: 120, hosts: 5 });
});

async function run(args: readonly string[] | Record<string, unknown>): Promise<{ code: number; out: string; err: string }> {
  const o = { out: '', err: '' };
  const code = await runReport(args, { stdout: (s) => void (o.out += s), stderr: (s) => void (o.err += s) });
  return { code, ...o };
}

async function json(args: readonly string[]): Promise<ReportV1> {
  const r = await run([...args, '--json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as ReportV1;
}

describe('wiretop report alerts', () => {
  it('lists the port-scan alert in JSON with the built-in detectors (no baseline)', async () => {
    const r = await json(['-r', scanPcap]);
    const scans = r.alerts.filter((a) => a.kind === 'port-scan');
    expect(scans).toHaveLength(1);
    const a = scans[0]!;
    expect(a.subject).toBe(SCANNER);
    expect(a.observed).toBeGreaterThan(a.expected);
    expect(a.expected).toBe(64);
    expect(a.severity).toMatch(/^(elevated|high|critical)$/);
    expect(a.firstSeen).toMatch(/^2023-11-14T22:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(a.lastSeen)).toBeGreaterThanOrEqual(Date.parse(a.firstSeen));
    expect(a.message).toContain(SCANNER);
    expect(Object.keys(a).sort()).toEqual(['expected', 'firstSeen', 'kind', 'lastSeen', 'message', 'observed', 'severity', 'subject']);
    // nothing else fires on the clean background
    expect(r.alerts.map((x) => x.kind)).toEqual(['port-scan']);
  });

  it('shows the alert in a short Alerts section of the text output', async () => {
    const r = await run(['-r', scanPcap, '--top', '2']);
    expect(r.code).toBe(0);
    const section = r.out.slice(r.out.indexOf('\nAlerts (1)\n'));
    expect(section).toMatch(/^\nAlerts \(1\)\n {2}no baseline: /);
    expect(section).toMatch(new RegExp(`\\n {2}(elevated|high|critical) +port-scan +${SCANNER.replace(/\./g, '\\.')} +\\d\\d:\\d\\d:\\d\\d-\\d\\d:\\d\\d:\\d\\d +${SCANNER.replace(/\./g, '\\.')} tried \\d+ distinct ports`));
  });

  it('says "none" when the detectors ran and found nothing', async () => {
    const r = await run(['-r', cleanPcap]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nAlerts \(0\)\n {2}no baseline: [^\n]+\n {2}none\n$/);
  });

  it('appends alerts to --alerts FILE as NDJSON', async () => {
    const file = join(dir, 'alerts.ndjson');
    writeFileSync(file, '{"earlier":true}\n');
    const r = await json(['-r', scanPcap, '--alerts', file]);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(lines[0]!)).toEqual({ earlier: true });
    const written = lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(written[0]).toMatchObject({ kind: 'port-scan', subject: SCANNER, count: 1 });
    // the same alert as in the report, as it was when raised
    expect(written[0]!['firstSeen']).toBe(r.alerts[0]!.firstSeen);
  });

  it('-Y does not hide traffic from the detectors', async () => {
    // The scan is TCP; the display filter keeps only UDP (DNS) in the aggregates.
    const r = await json(['-r', scanPcap, '-Y', 'udp']);
    expect(r.filter.display).toBe('udp');
    expect(r.packets).toBeLessThan(r.source.packetsRead / 10);
    expect(r.conversations.every((c) => c.proto === 'udp')).toBe(true);
    expect(r.alerts.map((a) => [a.kind, a.subject])).toEqual([['port-scan', SCANNER]]);
  });

  it('-f does hide traffic from the detectors (it decides what is captured)', async () => {
    const r = await json(['-r', scanPcap, '-f', 'udp']);
    expect(r.alerts).toEqual([]);
  });

  it('--no-detect skips the detectors', async () => {
    const r = await json(['-r', scanPcap, '--no-detect']);
    expect(r.alerts).toEqual([]);
    const t = await run(['-r', scanPcap, '--no-detect']);
    expect(t.out).not.toContain('Alerts');
    const bad = await run(['-r', scanPcap, '--no-detect', '--alerts', join(dir, 'x.ndjson')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('wiretop report: --no-detect turns the detectors off; drop --alerts\n');
  });

  it('uses a learned --baseline and says so', async () => {
    const m = new BaselineMonitor({ mode: 'learn' });
    feed(generateAnomalyFrames({ seed: 6, durationSec: 400, hosts: 5 }), m);
    const file = join(dir, 'baseline.json');
    writeBaseline(file, m.toBaseline('clean-learn.pcap'));
    const r = await run(['-r', scanPcap, '--baseline', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nAlerts \(\d+\)\n {2}baseline learned from clean-learn\.pcap \(\d+ s\)\n/);
    expect(r.out).toMatch(/ port-scan +10\.1\.0\.66 /);
  });

  it('--learn learns from the start of the capture, then alerts', async () => {
    const r = await run(['-r', scanPcap, '--learn', '10s', '--json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as ReportV1;
    expect(rep.alerts.some((a) => a.kind === 'port-scan' && a.subject === SCANNER)).toBe(true);
    const t = await run(['-r', scanPcap, '--learn', '10s']);
    expect(t.out).toContain('\n  baseline learned from the start of this capture (--learn 10s); all detectors ran\n');
    // learning for longer than the capture: nothing alerts
    const still = await run(['-r', scanPcap, '--learn', '1h']);
    expect(still.out).toMatch(/\nAlerts \(0\)\n {2}still learning \(--learn 1h\) at the end of the capture: no alerts\n {2}none\n$/);
  });

  it('fails early, with one line and exit 1, on bad baseline options', async () => {
    const missing = await run(['-r', scanPcap, '--baseline', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(missing.err).toMatch(/^wiretop report: .*nope\.json/);
    const badNet = await run(['-r', scanPcap, '--home-net', '10.0.0.0/33']);
    expect(badNet.code).toBe(1);
    expect(badNet.err).toMatch(/^wiretop report: --home-net: /);
    const badLearn = await run(['-r', scanPcap, '--learn', 'soon']);
    expect(badLearn.code).toBe(1);
    expect(badLearn.err).toMatch(/not a duration/);
    const noDir = join(dir, 'no-such-dir', 'a.ndjson');
    const badAlerts = await run(['-r', scanPcap, '--alerts', noDir]);
    expect(badAlerts.code).toBe(1);
    expect(badAlerts.err).toMatch(/^wiretop report: --alerts: cannot write .*ENOENT\n$/);
    expect(existsSync(noDir)).toBe(false);
  });

  it('takes --home-net', async () => {
    // --home-net only changes what counts as internal; a port scan is a scan either way.
    const r = await json(['-r', scanPcap, '--home-net', '192.168.0.0/16']);
    expect(r.alerts.map((a) => a.kind)).toContain('port-scan');
  });

  it('accepts the options in yargs form (as main.ts passes them)', async () => {
    expect(Object.keys(REPORT_YARGS_OPTIONS)).toEqual(expect.arrayContaining(['baseline', 'learn', 'alerts', 'home-net', 'detect']));
    const file = join(dir, 'yargs.ndjson');
    const r = await run({ read: scanPcap, json: true, top: 1, detect: true, alerts: file, 'home-net': '10.0.0.0/8', homeNet: '10.0.0.0/8' });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as ReportV1).alerts[0]!.kind).toBe('port-scan');
    expect(readFileSync(file, 'utf8')).toContain('"port-scan"');
    const off = await run({ read: scanPcap, json: true, detect: false });
    expect((JSON.parse(off.out) as ReportV1).alerts).toEqual([]);
  });
});

describe('text Alerts section', () => {
  it('escapes wire-derived alert text', () => {
    const base = {
      version: 1, source: { kind: 'file', name: 'x', linkTypes: [], packetsRead: 0, bytesRead: 0, truncated: false, warnings: [] },
      filter: { capture: null, display: null }, packets: 0, bytes: 0, malformed: 0, malformedReasons: [], firstSeen: null,
      lastSeen: null, durationSeconds: 0, protocols: [], hosts: [], conversations: [], flows: { tracked: 0, evicted: 0 },
    } as const;
    const r: ReportV1 = {
      ...base,
      source: { ...base.source, linkTypes: [], warnings: [] },
      malformedReasons: [],
      protocols: [],
      hosts: [],
      conversations: [],
      alerts: [{
        kind: 'dns-tunnel', subject: 'evil\x1b[2J.example', severity: 'high', firstSeen: '2023-11-14T22:13:20.000Z',
        lastSeen: '2023-11-14T22:13:20.000Z', observed: 30, expected: 20, message: 'names under evil\x1b]0;t\x07.example\u202e',
      }],
    };
    const text = formatReportText(r, { detection: 'note\x1b[1m' });
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    expect(text).toContain('evil\\x1b[2J.example');
    expect(text).toContain('names under evil\\x1b]0;t\\x07.example\\u{202e}');
    expect(text).toMatch(/ 22:13:20 /);
    // without the detection note and without alerts there is no section (the detectors did not run)
    expect(formatReportText({ ...r, alerts: [] })).not.toContain('Alerts');
  });
});

describe('JSON alerts', () => {
  it('carry a tunnelled domain with control bytes, C1 and bidi escaped (--json goes to the terminal too)', async () => {
    // 400 queries in 40 s from one client for long random names under e<ESC>[2J<0x9b><U+202E>.com: a dns-tunnel alert.
    const w = new PcapWriter();
    const evil = Uint8Array.of(0x65, 0x1b, 0x5b, 0x32, 0x4a, 0x9b, 0xe2, 0x80, 0xae);
    for (let i = 0; i < 400; i++) {
      const sub = Uint8Array.from({ length: 45 }, (_, k) => 97 + ((i * 7919 + k * 104729 + k * k * 31) % 26));
      const q = Uint8Array.of(i >> 8, i & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, sub.length, ...sub, evil.length, ...evil, 3, 0x63, 0x6f, 0x6d, 0, 0, 1, 0, 1);
      const frame = ethernet({ type: ETH.IPv4 }, ipv4({ src: '10.0.0.5', dst: '10.0.0.53', proto: 17 }, udp({ sport: 30000 + i, dport: 53, payload: q })));
      w.writePacket(1_700_000_000 + Math.floor(i / 10), (i % 10) * 1e8, frame);
    }
    const path = join(dir, 'tunnel-hostile.pcap');
    writeFileSync(path, w.toBuffer());
    const r = await run(['-r', path, '--json']);
    expect(r.code).toBe(0);
    const tunnel = (JSON.parse(r.out) as ReportV1).alerts.filter((a) => a.kind === 'dns-tunnel');
    expect(tunnel).toHaveLength(1);
    expect(tunnel[0]!.message).toContain('under e\\x1b[2j\\x9b');
    expect(r.out).not.toMatch(/[\x7f-\x9f\u202a-\u202e]/);
  });
});
