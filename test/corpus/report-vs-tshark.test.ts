import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '../../src/baseline/index.js';
import { openFileSource } from '../../src/capture/file-source.js';
import { runReport } from '../../src/cli/report.js';
import { Engine } from '../../src/engine/engine.js';
import { engineSourceInfo } from '../../src/engine/runtime.js';
import type { ReportV1 } from '../../src/report/report-types.js';

/**
 * Per address pair, packets and wire bytes from `wiretop report` equal what
 * tshark sees. Tunnelled packets carry two IP headers and tshark prints both
 * (comma separated, outer first); wiretop keys flows on the outer header, so
 * the comparison uses the outer one: the first of ip/ipv6 in frame.protocols.
 */
const PCAPS = resolve(__dirname, '../../../shared/pcaps');
const hasTshark = (() => {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const files = existsSync(PCAPS)
  ? ['real', 'big'].flatMap((d) =>
      existsSync(join(PCAPS, d)) ? readdirSync(join(PCAPS, d)).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(d, f)) : [],
    )
  : [];

type Pairs = Map<string, { packets: number; bytes: number }>;

function pairKey(x: string, y: string): string {
  return x < y ? `${x} ${y}` : `${y} ${x}`;
}

function add(m: Pairs, k: string, bytes: number): void {
  const e = m.get(k) ?? { packets: 0, bytes: 0 };
  e.packets++;
  e.bytes += bytes;
  m.set(k, e);
}

function tsharkPairs(file: string): Pairs {
  const out = execFileSync(
    'tshark',
    ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', '-e', 'frame.protocols', '-e', 'ip.src', '-e', 'ip.dst',
      '-e', 'ipv6.src', '-e', 'ipv6.dst', '-e', 'frame.len'],
    { maxBuffer: 1 << 28, encoding: 'utf8' },
  );
  const m: Pairs = new Map();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [protos = '', s4 = '', d4 = '', s6 = '', d6 = '', len = '0'] = line.split('\t');
    const layers = protos.split(':');
    const i4 = layers.indexOf('ip');
    const i6 = layers.indexOf('ipv6');
    if (i4 < 0 && i6 < 0) continue;
    const useV4 = i4 >= 0 && (i6 < 0 || i4 < i6);
    const src = (useV4 ? s4 : s6).split(',')[0]!;
    const dst = (useV4 ? d4 : d6).split(',')[0]!;
    if (src === '' || dst === '') continue;
    add(m, pairKey(src, dst), Number(len));
  }
  return m;
}

async function wiretopPairs(file: string): Promise<Pairs> {
  const engine = new Engine({ idleTimeoutSec: 0, rates: false });
  const source = openFileSource({ path: file });
  await source.start((r) => engine.ingest(r));
  engine.setSource(engineSourceInfo(source.info));
  const report = engine.report({ top: 0 });
  const m: Pairs = new Map();
  for (const c of report.conversations) {
    const k = pairKey(c.a, c.b);
    const e = m.get(k) ?? { packets: 0, bytes: 0 };
    e.packets += c.packets;
    e.bytes += c.bytes;
    m.set(k, e);
  }
  return m;
}

function sorted(m: Pairs): [string, { packets: number; bytes: number }][] {
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe.skipIf(files.length === 0 || !hasTshark)('report vs tshark: per address pair packets and bytes', () => {
  it.each(files)('%s', async (f) => {
    const file = join(PCAPS, f);
    const [ours, theirs] = [await wiretopPairs(file), tsharkPairs(file)];
    expect(sorted(ours)).toEqual(sorted(theirs));
  });
});

async function reportJson(file: string): Promise<ReportV1> {
  let out = '';
  const code = await runReport(['-r', file, '--json', '--top', '1'], { stdout: (s) => void (out += s), stderr: () => {} });
  expect(code).toBe(0);
  return JSON.parse(out) as ReportV1;
}

/** Real captures of attacks, and the alert the built-in detectors must raise on each (no baseline). */
const ATTACKS: [string, string, string][] = [
  ['real/portscan_tcp_syn.pcapng', 'port-scan', '172.16.0.8'],
  ['real/arp_sweep_nmap.pcap', 'host-sweep', '192.168.1.71'],
];

describe.skipIf(files.length === 0)('report alerts on real captures', () => {
  it.each(ATTACKS.filter(([f]) => existsSync(join(PCAPS, f))))('%s raises %s from %s', async (f, kind, subject) => {
    const r = await reportJson(join(PCAPS, f));
    expect(r.alerts.filter((a) => a.kind === kind).map((a) => a.subject)).toEqual([subject]);
  });

  it('every real capture gives well-formed alerts', async () => {
    for (const f of files.filter((x) => x.startsWith('real/'))) {
      const r = await reportJson(join(PCAPS, f));
      for (const a of r.alerts) {
        expect(ALERT_KINDS).toContain(a.kind);
        expect(Number.isFinite(a.observed) && Number.isFinite(a.expected)).toBe(true);
        expect(Date.parse(a.lastSeen)).toBeGreaterThanOrEqual(Date.parse(a.firstSeen));
      }
    }
  });
});
