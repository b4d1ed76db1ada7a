/**
 * The real CLI (`node bin/wiretop.js report -r FILE [--json]`, built dist/) on a handful of
 * mutated captures: exit 0 or 1, on error one line on stderr and no stack trace, text output
 * terminal-safe and valid UTF-8, --json output valid JSON (and terminal-safe too).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/fixtures-gen/rng.js';
import { tempFiles } from '../capture/temp-files.js';
import { mutateSome } from './file-mutate.js';
import { pcapsOf } from './packet-mutate.js';
import { mutatedFrames, seedCaptures } from './seeds.js';
import { Failures } from './terminal-safe.js';

const tmp = tempFiles('wiretop-fuzz-cli-');

function report(path: string, json: boolean, f: Failures, where: string): void {
  const r = spawnSync('node', ['bin/wiretop.js', 'report', '-r', path, ...(json ? ['--json'] : [])], { encoding: 'buffer', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  const w = `${where}${json ? ' --json' : ''}`;
  const out = r.stdout.toString('utf8');
  const err = r.stderr.toString('utf8');
  if (r.status !== 0 && r.status !== 1) f.add(`${w}: exit ${r.status} signal ${r.signal} stderr ${err.slice(0, 300)}`);
  if (/\n\s+at /.test(err)) f.add(`${w}: stack trace on stderr: ${err.slice(0, 300)}`);
  if (r.status === 1 && !/^wiretop report: [^\n]+\n$/.test(err)) f.add(`${w}: stderr ${JSON.stringify(err.slice(0, 300))}`);
  f.text(`${w} stderr`, err);
  if (!Buffer.from(out, 'utf8').equals(r.stdout)) f.add(`${w}: stdout is not valid UTF-8`);
  if (r.status !== 0) return;
  if (json) {
    try {
      JSON.parse(out);
    } catch (e) {
      f.add(`${w}: invalid JSON: ${String(e)}`);
    }
  }
  f.text(w, out);
}

describe('fuzz: wiretop report as a process on mutated captures', () => {
  it('6 mutated captures, text and --json', async () => {
    const t0 = performance.now();
    const r = new Rng(41);
    const f = new Failures();
    const files: [string, Buffer][] = [];
    const caps = seedCaptures();
    for (const name of ['hostile.pcap', 'two-interfaces.pcapng', 'tls-sni.pcap', 'dns.pcap']) {
      files.push([name, mutateSome(r, caps.find((c) => c.name === name)!.bytes).bytes]);
    }
    const pcaps = pcapsOf(await mutatedFrames(41, 1, 2));
    files.push(['packets', pcaps[0]!], ['not a capture', Buffer.from('\x1b[2J\x1b]52;c;aGk=\x07 hello')]);
    for (const [i, [name, b]] of files.entries()) {
      const path = tmp.file(`cli-${i}`, b);
      for (const json of [false, true]) report(path, json, f, `mutated ${name}`);
    }
    expect(f.list).toEqual([]);
    console.log(`cli fuzz: ${files.length} mutated inputs, ${files.length * 2} runs, ${Math.round(performance.now() - t0)} ms`);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
