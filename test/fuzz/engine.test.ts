/**
 * Mutated captures through the dashboard's engine (setupDissection in index mode with a packet
 * ring, the packet store's list, field trees and hex dumps), a store-mode engine (every stream
 * reassembled) and `wiretop report` in-process (text and --json, detectors on).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/fixtures-gen/rng.js';
import { tempFiles } from '../capture/temp-files.js';
import { checkBaseline, checkReport, runEngines } from './drive.js';
import { mutateSome } from './file-mutate.js';
import { seedCaptures } from './seeds.js';
import { checkReplay, REPLAY_FILTERS } from './replay.js';
import { Failures } from './terminal-safe.js';

const tmp = tempFiles('wiretop-fuzz-engine-');
const PER_SEED = 3 * Number(process.env['FUZZ_SCALE'] ?? 1);
const LIMIT_MS = process.env['FUZZ_SCALE'] ? Infinity : 10_000;

describe('fuzz: engine, packet view and report on mutated captures', () => {
  const seeds = seedCaptures();
  it(`${seeds.length} captures x ${PER_SEED} mutants in index and store mode, report (text or --json), display filter replay (every third), baseline learn and check (one each)`, async () => {
    const f = new Failures();
    const t0 = performance.now();
    let cases = 0;
    for (const [si, s] of seeds.entries()) {
      for (let k = 0; k < PER_SEED; k++) {
        const seed = 50_000 + 1000 * si + k;
        const r = new Rng(seed);
        const { bytes: b, ops } = mutateSome(r, s.bytes);
        const where = `${s.name} seed ${seed} ${ops}`;
        const path = tmp.file(`e-${si}-${k}`, b);
        // Every third with a flow table of 2: flows evicted and their slots reused in both modes.
        await runEngines(path, f, where, k % 3 === 1 ? 2 : undefined);
        if (k % 3 === 0) await checkReplay(path, REPLAY_FILTERS[(seed + k) % REPLAY_FILTERS.length]!, f, where);
        await checkReport(path, f, where, [k % 2 === 1]);
        // Once per capture: learned from the seed capture (or the mutant), checked on the mutant.
        if (k === 2) await checkBaseline(path, si % 2 === 0 ? path : tmp.file(`seed-${si}`, s.bytes), f, where, si % 4 < 2);
        cases++;
      }
    }
    expect(f.list).toEqual([]);
    expect(cases).toBe(seeds.length * PER_SEED);
    expect(performance.now() - t0).toBeLessThan(LIMIT_MS);
  });
});
