/**
 * `wiretop follow --format ascii|hex` (TCP and UDP, both directions and one) over captures of
 * mutated and hostile packets and over mutated files: exit 0 or 1 with one error line, and
 * output carrying no byte a terminal would act on (only \n as a control).
 */
import { describe, expect, it } from 'vitest';
import { runFollow } from '../../src/cli/follow.js';
import { Rng } from '../../src/fixtures-gen/rng.js';
import { tempFiles } from '../capture/temp-files.js';
import { MemIo } from '../helpers/mem-io.js';
import { FILE_OPS, mutateFile } from './file-mutate.js';
import { pcapsOf } from './packet-mutate.js';
import { mutatedFrames, seedCaptures } from './seeds.js';
import { Failures } from './terminal-safe.js';

const tmp = tempFiles('wiretop-fuzz-follow-');
const SCALE = Number(process.env['FUZZ_SCALE'] ?? 1);

async function follow(path: string, f: Failures, where: string, r: Rng): Promise<number> {
  let runs = 0;
  for (const udp of [false, true]) {
    for (let n = 0; n < 40; n++) {
      const format = r.pick(['ascii', 'hex'] as const);
      const direction = r.pick(['both', 'both', 'client', 'server'] as const);
      const io = new MemIo();
      const args = ['-r', path, '--stream', String(n), '--format', format, '--direction', direction, ...(udp ? ['--udp'] : [])];
      let code = -1;
      await f.runAsync(`${where} follow ${args.join(' ')}`, async () => {
        code = await runFollow(args, io);
      });
      runs++;
      const w = `${where} follow ${args.slice(2).join(' ')}`;
      if (code !== 0 && code !== 1) f.add(`${w}: exit ${code}`);
      if (code === 1 && (io.errors.length !== 1 || io.errors[0]!.includes('\n'))) f.add(`${w}: errors ${JSON.stringify(io.errors)}`);
      for (const e of io.errors) f.text(`${w} error`, e);
      f.text(w, io.out.toString('utf8'));
      // Escaped output is valid UTF-8: no raw byte of the payload (a lone 0x9b is an 8-bit CSI) got through.
      if (!Buffer.from(io.out.toString('utf8'), 'utf8').equals(io.out)) f.add(`${w}: output is not valid UTF-8`);
      if (code !== 0) break;
    }
  }
  return runs;
}

describe('fuzz: wiretop follow on mutated captures', () => {
  for (const seed of Array.from({ length: SCALE }, (_, i) => 31 + i)) {
    it(`seed ${seed}: ascii and hex output stays terminal-safe`, async () => {
      const t0 = performance.now();
      const r = new Rng(seed);
      const f = new Failures();
      const frames = await mutatedFrames(seed, 1, 2);
      let inputs = frames.length;
      let runs = 0;
      for (const [i, b] of pcapsOf(frames).entries()) runs += await follow(tmp.file(`f-${seed}-${i}.pcap`, b), f, `seed ${seed} pcap ${i}`, r);
      for (const s of seedCaptures().filter((c) => /http|tls|dns|tcp|hostile/.test(c.name))) {
        const b = mutateFile(r, s.bytes, r.pick(FILE_OPS));
        inputs++;
        runs += await follow(tmp.file(`g-${seed}-${s.name}`, b), f, `seed ${seed} ${s.name}`, r);
      }
      expect(f.list).toEqual([]);
      console.log(`follow fuzz seed ${seed}: ${inputs} mutated inputs, ${runs} follow runs, ${Math.round(performance.now() - t0)} ms`);
      if (!process.env['FUZZ_SCALE']) expect(performance.now() - t0).toBeLessThan(10_000);
    });
  }
});
