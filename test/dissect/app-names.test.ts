/**
 * Application protocols in the hierarchy, per fixture, equal what the generator wrote
 * (fixtures/manifest.json `protocols`, checked against tshark in test/fixtures): DNS's format on
 * UDP 5353 and 5355 counts as mdns and llmnr, as tshark names them, not as dns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/fixtures-gen/main.js';
import { runReport } from '../../src/cli/report.js';
import type { ReportV1 } from '../../src/report/report-types.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Manifest;
const APPS = ['dns', 'mdns', 'llmnr'];

async function report(args: string[]): Promise<ReportV1> {
  let out = '';
  const code = await runReport([...args, '--json', '--no-detect'], { stdout: (s) => void (out += s), stderr: () => {} });
  expect(code).toBe(0);
  return JSON.parse(out) as ReportV1;
}

/** Packets whose path holds `name` (each path counted once). */
function packetsUnder(r: ReportV1, name: string): number {
  return r.protocols.filter((p) => p.path.split(':').at(-1) === name).reduce((n, p) => n + p.packets, 0);
}

describe('DNS, mDNS and LLMNR are told apart as tshark does', () => {
  const files = Object.values(manifest.files).filter((e) => APPS.some((a) => (e.protocols[a] ?? 0) > 0));

  it('covers fixtures with mdns', () => {
    expect(files.some((e) => (e.protocols['mdns'] ?? 0) > 0)).toBe(true);
  });

  it.each(files.map((e) => [e.file, e] as const))('%s: hierarchy and -Y counts', async (file, e) => {
    const path = join(FIXTURES, file);
    const r = await report(['-r', path]);
    for (const a of APPS) {
      const want = e.protocols[a] ?? 0;
      expect({ proto: a, packets: packetsUnder(r, a) }).toEqual({ proto: a, packets: want });
      expect({ filter: a, packets: (await report(['-r', path, '-Y', a])).packets }).toEqual({ filter: a, packets: want });
    }
  });

  it('labels an mDNS conversation mdns', async () => {
    const r = await report(['-r', join(FIXTURES, 'demo.pcap'), '--top', '0']);
    const md = r.conversations.filter((c) => c.aPort === 5353 && c.bPort === 5353);
    expect(md.length).toBeGreaterThan(0);
    for (const c of md) expect(c.service).toBe('mdns');
  });
});
