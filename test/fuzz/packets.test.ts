/**
 * Packet-level fuzzing: every packet of the seed captures mutated (header bytes, IP/TCP/UDP
 * length fields, IHL and data offset, captured length, hostile payloads, protocol numbers), plus
 * frames built to hurt (DNS pointer loops, lying TLS lengths, 70 KB HTTP lines, NUL bytes,
 * IPv6 extension header chains, GRE and VLAN nesting, terminal escapes, C1, bidi, invalid
 * UTF-8 in every text field). Each batch is one pcap per link type, read and decoded packet by
 * packet, then run through the dashboard's engine (index mode), a store-mode engine and the
 * report.
 */
import { describe, expect, it } from 'vitest';
import { tempFiles } from '../capture/temp-files.js';
import { checkReport, readCapture, runEngines } from './drive.js';
import { pcapsOf } from './packet-mutate.js';
import { mutatedFrames } from './seeds.js';
import { checkReplay, REPLAY_FILTERS } from './replay.js';
import { Failures } from './terminal-safe.js';

const tmp = tempFiles('wiretop-fuzz-packets-');
const SCALE = Number(process.env['FUZZ_SCALE'] ?? 1);
const LIMIT_MS = process.env['FUZZ_SCALE'] ? Infinity : 10_000;

describe('fuzz: mutated and hostile packets', () => {
  for (const seed of Array.from({ length: SCALE }, (_, i) => 7 + i)) {
    it(`seed ${seed}: decode, dissect, packet view, engines and report stay safe`, async () => {
      const t0 = performance.now();
      const frames = await mutatedFrames(seed, 4, 10);
      const f = new Failures();
      let packets = 0;
      const apps = new Map<string, number>();
      for (const [i, b] of pcapsOf(frames).entries()) {
        const path = tmp.file(`p-${seed}-${i}.pcap`, b);
        const where = `seed ${seed} pcap ${i}`;
        const read = await readCapture(path, f, where);
        packets += read.packets;
        for (const [k, n] of read.apps) apps.set(k, (apps.get(k) ?? 0) + n);
        await runEngines(path, f, where);
        if (i === 0) await runEngines(path, f, `${where} 64 flows`, 64);
        await checkReplay(path, REPLAY_FILTERS[(seed + i) % REPLAY_FILTERS.length]!, f, where);
        await checkReport(path, f, where);
      }
      expect(f.list).toEqual([]);
      expect(packets).toBe(frames.length);
      // The hostile inputs reach the dissectors they were built for.
      for (const proto of ['dns', 'http', 'tls', 'ssh', 'dhcp', 'ntp', 'quic', 'icmp', 'icmpv6']) expect(apps.get(proto) ?? 0, proto).toBeGreaterThan(0);
      console.log(`packets fuzz seed ${seed}: ${frames.length} mutated inputs, ${Math.round(performance.now() - t0)} ms`);
      expect(performance.now() - t0).toBeLessThan(LIMIT_MS);
    });
  }
});
