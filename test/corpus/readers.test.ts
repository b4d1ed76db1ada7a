import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { openFileSource } from '../../src/capture/file-source.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const corpus = resolve(repo, '../shared/pcaps');
const present = existsSync(corpus);
if (!present) console.log(`skipping corpus reader tests: ${corpus} does not exist`);

function tool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Outcome {
  ifIndex: number[];
  warnings: string[];
  truncated: boolean;
  error: CaptureError | null;
}

async function read(path: string): Promise<Outcome> {
  const ifIndex: number[] = [];
  const src = openFileSource({ path });
  let error: CaptureError | null = null;
  try {
    await src.start((r) => ifIndex.push(r.ifIndex));
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e; // anything else is a bug
    error = e;
  }
  return { ifIndex, warnings: src.info.warnings, truncated: src.info.truncated, error };
}

function files(dir: string, ext?: string): string[] {
  const abs = join(corpus, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .map(String)
    .filter((f) => (ext ? f.endsWith(ext) : /\.pcap(ng)?$/.test(f)))
    .sort()
    .map((f) => join(abs, f));
}

/** Sections of a pcapng-suite .txt "Block sequence:" line: IDBs and packet blocks per section. */
function suiteSections(txt: string): { idbs: number; packets: number }[] {
  const line = /^Block sequence:\s*(.*)$/m.exec(txt);
  if (!line) throw new Error('no block sequence');
  const sections: { idbs: number; packets: number }[] = [];
  for (const b of line[1]!.split(',').map((s) => s.trim())) {
    if (b === 'SHB') sections.push({ idbs: 0, packets: 0 });
    else if (b === 'IDB') sections.at(-1)!.idbs++;
    else if (b === 'EPB' || b === 'SPB' || b === 'PB') sections.at(-1)!.packets++;
  }
  return sections;
}

function manifest(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1)) {
    const f = line.split('\t');
    if (f.length > 5) m.set(f[0]!, f[5]!);
  }
  return m;
}

describe.skipIf(!present)('capture readers over the shared corpus', () => {
  const hasTshark = present && tool('tshark');
  const hasCapinfos = present && tool('capinfos');

  describe('pcapng-suite: the packets each .txt promises, on the right interface', () => {
    for (const path of files('pcapng-suite', '.pcapng')) {
      it(path.slice(corpus.length + 1), async () => {
        const sections = suiteSections(readFileSync(path.replace(/\.pcapng$/, '.txt'), 'utf8'));
        const out = await read(path);
        expect(out.error).toBeNull();
        expect(out.warnings).toEqual([]);
        // Interfaces are numbered across sections, so a packet's section is the IDB range it falls in.
        const expected: number[] = [];
        const local: number[] = [];
        let base = 0;
        for (const [s, sec] of sections.entries()) {
          for (let i = 0; i < sec.packets; i++) expected.push(s);
          base += sec.idbs;
        }
        expect(out.ifIndex).toHaveLength(expected.length);
        let s = 0;
        base = 0;
        for (const [i, id] of out.ifIndex.entries()) {
          while (s < expected[i]!) base += sections[s++]!.idbs;
          expect(id).toBeGreaterThanOrEqual(base);
          expect(id).toBeLessThan(base + sections[s]!.idbs);
          local.push(id - base);
        }
        if (hasTshark) {
          // tshark numbers interfaces per section and lists custom blocks as frames without one
          const ids = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.interface_id'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          })
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map(Number);
          expect(local).toEqual(ids);
        }
      });
    }
  });

  describe('real/ and big/: packet counts match capinfos', () => {
    const counts = present ? manifest() : new Map<string, string>();
    for (const path of [...files('real'), ...files('big')]) {
      const rel = path.slice(corpus.length + 1);
      it(rel, async () => {
        const out = await read(path);
        expect(out.error).toBeNull();
        expect(out.truncated).toBe(false);
        let want: number;
        if (hasCapinfos) {
          const text = execFileSync('capinfos', ['-c', '-M', path], { encoding: 'utf8' });
          want = Number(/Number of packets:\s*(\d+)/.exec(text)![1]);
        } else {
          want = Number(counts.get(rel));
        }
        expect(out.ifIndex.length).toBe(want);
      });
    }
  });

  describe.skipIf(!hasTshark)('timestamps match tshark to the nanosecond', () => {
    const picks = files('real').filter((f) => /pcapng$|nsec/.test(f));
    for (const path of picks) {
      it(path.slice(corpus.length + 1), async () => {
        const mine: string[] = [];
        await openFileSource({ path }).start((r) => mine.push(`${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`));
        const theirs = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.time_epoch'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        })
          .split('\n')
          .filter((l) => l.trim() !== '');
        expect(mine).toEqual(theirs);
      });
    }
  });

  describe('malformed/: ends quickly with packets or a one-line error or warning', () => {
    const counts = present ? manifest() : new Map<string, string>();
    for (const path of files('malformed')) {
      const rel = path.slice(corpus.length + 1);
      it(rel, { timeout: 5000 }, async () => {
        const out = await read(path);
        for (const w of out.warnings) expect(w).not.toContain('\n');
        if (out.error) {
          expect(out.error.message).not.toContain('\n');
          expect(out.ifIndex).toHaveLength(0);
          return;
        }
        const promised = counts.get(rel) ?? '';
        if (/^\d+$/.test(promised)) expect(out.ifIndex.length).toBe(Number(promised));
        const cut = /^(\d+) \(then read error\)$/.exec(promised);
        if (cut) {
          expect(out.ifIndex.length).toBeLessThanOrEqual(Number(cut[1]));
          expect(out.warnings.length).toBeGreaterThan(0);
        }
      });
    }
  });
});
