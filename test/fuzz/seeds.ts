import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { openFileSource } from '../../src/capture/file-source.js';
import { layout } from './file-mutate.js';
import { Rng } from '../../src/fixtures-gen/rng.js';
import { hostileFrames, mutatePacket, PACKET_OPS, tunnelFrames, type Frame } from './packet-mutate.js';

/** The fixtures, demo.pcap cut after its first 60 records (its 3.6 MB add nothing per mutation). */
export function seedCaptures(): { name: string; bytes: Buffer }[] {
  return readdirSync('fixtures')
    .filter((n) => /\.pcap(ng)?$/.test(n))
    .sort()
    .map((name) => {
      let bytes = readFileSync(`fixtures/${name}`);
      if (name === 'demo.pcap') {
        const u = layout(bytes).units[59]!;
        bytes = bytes.subarray(0, u.off + u.len);
      }
      return { name, bytes };
    });
}

/** Every packet of the seed captures, copied out with its link type and wire length. */
export async function seedFrames(): Promise<Frame[]> {
  const out: Frame[] = [];
  for (const s of seedCaptures()) {
    await openFileSource({ path: '-', stdin: Readable.from([s.bytes]) }).start((r) => {
      out.push({ linkType: r.linkType, data: r.buf.slice(r.off, r.off + r.capLen), origLen: r.origLen });
    });
  }
  return out;
}

/** Mutants of every seed frame (`per` each, 1-2 ops), plus a DNS tunnel and `hostileRounds` rounds of built frames. */
export async function mutatedFrames(seed: number, per: number, hostileRounds: number): Promise<Frame[]> {
  const r = new Rng(seed);
  const out: Frame[] = [];
  for (const f of await seedFrames()) {
    for (let k = 0; k < per; k++) {
      let m = mutatePacket(r, f, r.pick(PACKET_OPS));
      if (r.chance(0.4)) m = mutatePacket(r, m, r.pick(PACKET_OPS));
      out.push(m);
    }
  }
  if (hostileRounds > 0) out.push(...tunnelFrames(r));
  for (let k = 0; k < hostileRounds; k++) {
    for (const f of hostileFrames(r)) {
      out.push(f, mutatePacket(r, f, r.pick(PACKET_OPS)));
    }
  }
  return out;
}
