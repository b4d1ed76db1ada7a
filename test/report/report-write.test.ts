import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runReport } from '../../src/cli/report.js';
import type { ReportV1 } from '../../src/report/report-types.js';
import { haveTool } from '../filter/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'wiretop-report-w-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = () => {
  const o = { out: '', err: '' };
  return { o, io: { stdout: (s: string) => void (o.out += s), stderr: (s: string) => void (o.err += s) } };
};

const hasTshark = haveTool('tshark');

const frames = (f: string): string =>
  execFileSync('tshark', ['-n', '-r', f, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.protocols'], { encoding: 'utf8', maxBuffer: 64 << 20 });

describe('wiretop report -w', () => {
  it.skipIf(!hasTshark)('writes the packets it counts: with -Y, those tshark -Y -w writes', async () => {
    const out = join(dir, 'dns.pcap');
    const { o, io: x } = io();
    expect(await runReport(['-r', 'fixtures/demo.pcap', '-Y', 'dns', '-w', out, '--json', '--no-detect'], x)).toBe(0);
    expect(o.err).toBe('');
    const report = JSON.parse(o.out) as ReportV1;
    const ref = join(dir, 'dns-tshark.pcap');
    execFileSync('tshark', ['-r', 'fixtures/demo.pcap', '-Y', 'dns', '-w', ref], { stdio: 'ignore' });
    const got = frames(out);
    expect(got.split('\n').filter(Boolean).length).toBe(report.packets);
    expect(report.packets).toBeGreaterThan(10);
    expect(got).toBe(frames(ref));
  });

  it.skipIf(!hasTshark)('without -Y, every packet read', async () => {
    const out = join(dir, 'all.pcap');
    const { o, io: x } = io();
    expect(await runReport(['-r', 'fixtures/http.pcap', '-w', out], x)).toBe(0);
    expect(o.err).toBe('');
    expect(frames(out)).toBe(frames('fixtures/http.pcap'));
    // The text report says where they went (JSON stays ReportV1: the file is the caller's own argument).
    expect(o.out).toContain(`-w         wrote 30 packets to ${out}\n`);
  });

  it.skipIf(!hasTshark)('-w x.pcapng writes pcapng that tshark reads as the input', async () => {
    const out = join(dir, 'two.pcapng');
    const { o, io: x } = io();
    expect(await runReport(['-r', 'fixtures/two-interfaces.pcapng', '-w', out], x)).toBe(0);
    expect(o.err).toBe('');
    expect(frames(out)).toBe(frames('fixtures/two-interfaces.pcapng'));
  });

  it.skipIf(!existsSync('/dev/full'))('a failed write: the report still prints, one warning line, exit 1', async () => {
    const { o, io: x } = io();
    expect(await runReport(['-r', 'fixtures/demo.pcap', '-w', '/dev/full', '--no-detect'], x)).toBe(1);
    expect(o.out).toContain('Protocol hierarchy');
    expect(o.err).toMatch(/^wiretop report: warning: -w: wrote \d+ packets to \/dev\/full; stopped: ENOSPC after \d+ packets\n$/);
  });

  it.skipIf(!hasTshark)('SIGTERM while reading a pipe: the report of what was read, and all of it in the file', async () => {
    const out = join(dir, 'term.pcap');
    const child = spawn(process.execPath, ['bin/wiretop.js', 'report', '-r', '-', '-w', out, '--json', '--no-detect'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    // Half of a capture, then the pipe stays open: the report waits for more until the signal.
    child.stdin.on('error', () => {}); // the report closes its end when it stops
    const bytes = readFileSync('fixtures/demo.pcap');
    // Written once the pipe has taken it all: the report has read all but the pipe's buffer.
    await new Promise<void>((r) => child.stdin.write(bytes.subarray(0, bytes.length >> 1), () => r()));
    await vi.waitFor(() => expect(statSync(out).size).toBeGreaterThan(1 << 20), { timeout: 10_000, interval: 20 });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect([code, stderr]).toEqual([0, '']);
    const report = JSON.parse(stdout) as ReportV1;
    expect(report.packets).toBeGreaterThan(1000);
    expect(frames(out).split('\n').filter(Boolean).length).toBe(report.packets);
  });

  it('cannot write: one line, exit 1, nothing read', async () => {
    const { o, io: x } = io();
    expect(await runReport(['-r', 'fixtures/http.pcap', '-w', join(dir, 'missing', 'x.pcap')], x)).toBe(1);
    expect(o.err).toBe(`wiretop report: -w: cannot write ${join(dir, 'missing', 'x.pcap')}: ENOENT\n`);
    expect(o.out).toBe('');
    o.err = '';
    expect(await runReport(['-r', 'fixtures/http.pcap', '-w', 'fixtures/http.pcap'], x)).toBe(1);
    expect(o.err).toBe('wiretop report: -w fixtures/http.pcap would overwrite the capture being read\n');
  });
});
