/**
 * Display filters over every registered field (header and application fields) on mutated and
 * hostile packets: `<field>`, `<field> contains "a"`, `<field> matches "^a"` and
 * `<field> == "a"` compile or fail with FilterError only, and matching never throws, both with
 * the payload deciding (no engine) and with the packet classifier's marking (an engine's paths).
 */
import { describe, expect, it } from 'vitest';
import { PacketRecord } from '../../src/capture/record.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { setupDissection } from '../../src/dissect/setup.js';
import { Engine } from '../../src/engine/engine.js';
import { compileFilter, createFilterContext, fieldNames, FilterError, protocolNames, type CompiledFilter } from '../../src/filter/index.js';
import { registerAppFields } from '../../src/dissect/register-fields.js';
import { mutatedFrames } from './seeds.js';
import { Failures } from './terminal-safe.js';

const SCALE = Number(process.env['FUZZ_SCALE'] ?? 1);

function compileAll(f: Failures, ctx?: () => ReturnType<typeof createFilterContext>): CompiledFilter[] {
  registerAppFields();
  const out: CompiledFilter[] = [];
  const texts = [...fieldNames().flatMap((n) => [n, `${n} contains "a"`, `${n} matches "^a"`, `${n} == "a"`, `!${n}`]), ...protocolNames()];
  for (const t of texts) {
    try {
      out.push(compileFilter(t, ctx?.()));
    } catch (e) {
      if (!(e instanceof FilterError)) f.add(`compile ${JSON.stringify(t)}: threw ${String(e)}`);
    }
  }
  return out;
}

describe('fuzz: every registered field in display filters over mutated packets', () => {
  for (const seed of Array.from({ length: SCALE }, (_, i) => 21 + i)) {
    it(`seed ${seed}: compiling and matching never throws (payload-decided and classified)`, async () => {
      const t0 = performance.now();
      const frames = await mutatedFrames(seed, 3, 6);
      const f = new Failures();
      const plain = compileAll(f);
      expect(plain.length).toBeGreaterThan(150);
      // The engine's way: filters compiled against its paths, packets marked by the classifier first.
      const engine = new Engine({ rates: false, idleTimeoutSec: 0 });
      setupDissection(engine, { store: false, classifierCapacity: 1024 });
      const classified = compileAll(f, () => createFilterContext({ paths: engine.paths }));
      let matched = 0;
      engine.displayPredicate = (p) => {
        for (const c of classified) {
          f.run(`seed ${seed} frame ${engine.packetsRead} classified ${JSON.stringify(c.text)}`, () => void (c.match(p) && matched++));
        }
        return true;
      };
      const d = new Decoder();
      const p = new DecodedPacket();
      const r = new PacketRecord();
      frames.forEach((fr, i) => {
        Object.assign(r, { buf: fr.data, off: 0, capLen: fr.data.length, origLen: fr.origLen, linkType: fr.linkType, tsSec: 1_767_225_600 + i, tsNsec: 0 });
        d.decode(r, p);
        for (const c of plain) f.run(`seed ${seed} frame ${i} ${JSON.stringify(c.text)}`, () => void (c.match(p) && matched++));
        engine.ingest(r);
      });
      expect(f.list).toEqual([]);
      expect(matched).toBeGreaterThan(frames.length);
      console.log(`filters fuzz seed ${seed}: ${frames.length} mutated inputs x ${plain.length + classified.length} filters, ${Math.round(performance.now() - t0)} ms`);
      if (!process.env['FUZZ_SCALE']) expect(performance.now() - t0).toBeLessThan(10_000);
    });
  }
});
