/**
 * File-level fuzzing: every committed capture (demo.pcap cut to its first records) mutated with a
 * seeded Rng (bit flips, overwritten bytes, cuts, lying record/block lengths, zero lengths, huge
 * snaplens, interface ids out of range, byte order swapped mid-file, spliced blocks, link types,
 * out-of-range timestamp fractions), then read from a file and from a stream cut into random
 * chunks, and each packet decoded, dissected and drawn. Replay one case: the seed and op are in
 * the failure text.
 */
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { Rng } from '../../src/fixtures-gen/rng.js';
import { FakeTimers } from '../capture/fake-timers.js';
import { tempFiles } from '../capture/temp-files.js';
import { layout, mutateSome, packetsBefore } from './file-mutate.js';
import { seedCaptures } from './seeds.js';
import { readCapture } from './drive.js';
import { Failures } from './terminal-safe.js';

const tmp = tempFiles('wiretop-fuzz-readers-');

/** FUZZ_SCALE=N multiplies the cases for a longer campaign by hand. */
const PER_SEED = 14 * Number(process.env['FUZZ_SCALE'] ?? 1);
const LIMIT_MS = process.env['FUZZ_SCALE'] ? Infinity : 10_000;

describe('fuzz: capture readers on mutated files', () => {
  const seeds = seedCaptures();

  it(`${seeds.length} captures x ${PER_SEED} mutants, file, stream, reader-thread and paced reads agree, nothing throws or leaks a control byte`, async () => {
    const f = new Failures();
    const t0 = performance.now();
    let cases = 0;
    for (const [si, s] of seeds.entries()) {
      for (let k = 0; k < PER_SEED; k++) {
        const r = new Rng(1000 * si + k);
        const { bytes: b, ops } = mutateSome(r, s.bytes);
        const where = `${s.name} seed ${1000 * si + k} ${ops}`;
        const path = tmp.file(`m-${si}-${k}`, b);
        const file = await readCapture(path, f, `${where} file`);
        // Paced, as the dashboard reads -r, on a fake clock (fast enough that a bogus 2^63 us timestamp
        // takes few steps): same packets, and every timer one setTimeout can hold.
        if (file.error === null) {
          const timers = new FakeTimers();
          let paced = 0;
          await f.runAsync(`${where} paced`, async () => {
            await openFileSource({ path, speed: r.pick([100, 1000]), timers }).start(() => void paced++);
          });
          if (paced !== file.packets) f.add(`${where}: paced read delivered ${paced} of ${file.packets}`);
          const bad = timers.sleeps.find((ms) => !(ms >= 0 && ms <= 2 ** 31 - 1));
          if (bad !== undefined) f.add(`${where}: paced read asked for a ${bad} ms timer`);
        }
        const cuts = Array.from({ length: r.range(1, 6) }, () => r.int(b.length + 1));
        const others = [await readCapture({ bytes: b, cuts }, f, `${where} stream`, false)];
        // Every third mutant also on the reader thread, with ring chunks smaller than some records.
        if (k % 3 === 0) others.push(await readCapture({ path, threadChunk: r.pick([64, 200, 1024, 4096]) }, f, `${where} thread`, false));
        cases++;
        // The other paths parse the same bytes: same packets, same damage reported.
        const facts = (x: typeof file): string => JSON.stringify([x.packets, x.bytes, x.error, x.info.truncated, x.info.warnings]);
        for (const o of others) if (facts(o) !== facts(file)) f.add(`${where}: file ${facts(file)} != ${facts(o)}`);
      }
    }
    expect(f.list).toEqual([]);
    expect(cases).toBe(seeds.length * PER_SEED);
    expect(performance.now() - t0).toBeLessThan(LIMIT_MS);
  });

  it('a file cut anywhere delivers every whole record before the cut, then says it was cut', async () => {
    const f = new Failures();
    let cases = 0;
    for (const [si, s] of seeds.entries()) {
      const l = layout(s.bytes);
      const r = new Rng(`cut-${s.name}`);
      for (let k = 0; k < 6; k++) {
        const cut = r.range(l.format === 'pcap' ? 24 : l.units[0]!.len, s.bytes.length - 1);
        const path = tmp.file(`c-${si}-${k}`, s.bytes.subarray(0, cut));
        const res = await readCapture(path, f, `${s.name} cut at ${cut}`, false);
        cases++;
        const whole = packetsBefore(l, cut);
        const atBoundary = cut === (l.format === 'pcap' ? 24 : -1) || l.units.some((u) => u.off + u.len === cut);
        // A file cut inside the original's own damage (truncated.pcap) may deliver less.
        if (res.packets !== whole && !/truncated/.test(s.name)) f.add(`${s.name} cut at ${cut}: ${res.packets} packets, ${whole} whole records before the cut`);
        if (!atBoundary && !res.info.truncated) f.add(`${s.name} cut at ${cut}: not reported as truncated`);
      }
    }
    expect(f.list).toEqual([]);
    expect(cases).toBe(seeds.length * 6);
  });
});
