import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { CaptureWriter } from '../../src/capture/capture-writer.js';
import { openFileSource } from '../../src/capture/file-source.js';
import { PacketRecord } from '../../src/capture/record.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { gcsDuring } from '../helpers/gc-count.js';
import { haveTool } from '../filter/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'wiretop-w-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rec { sec: number; nsec: number; capLen: number; origLen: number; linkType: number; hex: string }

/** Every record of a capture file, as the reader delivers it. */
async function records(path: string): Promise<Rec[]> {
  const out: Rec[] = [];
  await openFileSource({ path }).start((r) => {
    out.push({ sec: r.tsSec, nsec: r.tsNsec, capLen: r.capLen, origLen: r.origLen, linkType: r.linkType, hex: Buffer.from(r.buf.subarray(r.off, r.off + r.capLen)).toString('hex') });
  });
  return out;
}

/** Read `input` and hand every decoded packet to a writer on `output` (as the engine's observer does). */
async function copy(input: string, output: string, said: string[] = []): Promise<CaptureWriter> {
  const w = CaptureWriter.open(output);
  w.onProblem = (l) => said.push(l);
  const d = new Decoder();
  const p = new DecodedPacket();
  await openFileSource({ path: input }).start((r) => {
    d.decode(r, p);
    w.onPacket(p);
  });
  w.close();
  return w;
}

describe('CaptureWriter (-w)', () => {
  for (const f of ['basic-ns.pcap', 'basic-us.pcap', 'http.pcap', 'vlan-qinq.pcap', 'sll.pcap', 'truncated.pcap', 'blocks-be.pcapng']) {
    it(`writes ${f}'s packets back unchanged: times, lengths, link type, bytes`, async () => {
      const out = join(dir, `${f}.pcap`);
      const w = await copy(`fixtures/${f}`, out);
      const want = await records(`fixtures/${f}`);
      expect(want.length).toBeGreaterThan(0);
      expect(await records(out)).toEqual(want);
      expect([w.written, w.skipped, w.error]).toEqual([want.length, 0, null]);
      expect(w.summary()).toBe(`wrote ${want.length} packet${want.length === 1 ? '' : 's'} to ${out}`);
      // Nanosecond pcap (tcpdump --time-stamp-precision=nano) in this machine's byte order, version 2.4.
      expect(readFileSync(out).readUInt32LE(0)).toBe(0xa1b23c4d);
    });
  }

  it('keeps one link type: packets of another are counted, said once, not written', async () => {
    const out = join(dir, 'two.pcap');
    const said: string[] = [];
    const w = await copy('fixtures/two-interfaces.pcapng', out, said);
    const all = await records('fixtures/two-interfaces.pcapng');
    const first = all[0]!.linkType;
    const kept = all.filter((r) => r.linkType === first);
    expect(kept.length).toBeLessThan(all.length);
    expect(await records(out)).toEqual(kept);
    expect([w.written, w.skipped]).toEqual([kept.length, all.length - kept.length]);
    expect(said).toEqual([`-w ${out}: not written: link type RAW (a pcap file holds one link type, EN10MB; name the file .pcapng to keep all)`]);
    expect(w.summary()).toMatch(new RegExp(`^wrote ${kept.length} packets to .*; ${all.length - kept.length} not written: link type RAW`));
  });

  it('a .pcapng name keeps every link type (an interface each) and nanosecond times', async () => {
    for (const f of ['two-interfaces.pcapng', 'basic-ns.pcap', 'blocks-be.pcapng', 'sll2.pcap']) {
      const out = join(dir, `${f}.copy.pcapng`);
      const said: string[] = [];
      const w = await copy(`fixtures/${f}`, out, said);
      const want = await records(`fixtures/${f}`);
      expect(await records(out)).toEqual(want);
      expect([w.written, w.skipped, said]).toEqual([want.length, 0, []]);
      expect(readFileSync(out).readUInt32LE(0)).toBe(0x0a0d0d0a);
    }
  });

  it('an empty capture still makes a readable pcap file', async () => {
    const out = join(dir, 'empty.pcap');
    const w = CaptureWriter.open(out);
    w.close();
    expect(readFileSync(out).length).toBe(24);
    expect(await records(out)).toEqual([]);
  });

  it.skipIf(!existsSync('/dev/full'))('a failed write (disk full) stops the writing, says why once, and the capture goes on', async () => {
    const said: string[] = [];
    const w = await copy('fixtures/demo.pcap', '/dev/full', said);
    expect(w.error).toMatch(/^ENOSPC after \d+ packets$/);
    expect(said).toEqual([`-w /dev/full: stopped writing: ${w.error}`]);
    expect(w.summary()).toMatch(/^wrote \d+ packets to \/dev\/full; stopped: ENOSPC after \d+ packets$/);
  });

  it('refuses what it cannot write with one line: no name, stdout, a missing directory, the capture being read', () => {
    const msg = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CaptureError);
        return `${(e as CaptureError).exitCode} ${(e as Error).message}`;
      }
      return 'no error';
    };
    expect(msg(() => CaptureWriter.open('-', 2))).toBe('2 -w needs a file name (stdout is the report or the screen)');
    expect(msg(() => CaptureWriter.open(''))).toBe('1 -w needs a file name (none given)');
    expect(msg(() => CaptureWriter.open('/nonexistent/dir/x.pcap'))).toBe('1 -w: cannot write /nonexistent/dir/x.pcap: ENOENT');
    const input = join(dir, 'input.pcap');
    writeFileSync(input, readFileSync('fixtures/http.pcap'));
    expect(msg(() => CaptureWriter.open(join(dir, '.', 'input.pcap'), 1, input))).toBe(`1 -w ${join(dir, 'input.pcap')} would overwrite the capture being read`);
    expect(readFileSync(input)).toEqual(readFileSync('fixtures/http.pcap'));
  });

  it.skipIf(!existsSync('/dev/null'))('allocates nothing per packet, pcap or pcapng', async () => {
    const d = new Decoder();
    const p = new DecodedPacket();
    let first: PacketRecord | null = null;
    await openFileSource({ path: 'fixtures/http.pcap' }).start((r) => {
      first ??= Object.assign(new PacketRecord(), r, { buf: r.buf.slice() });
    });
    d.decode(first!, p);
    // ~30 MB of records (a 1 MiB write each MiB): a view per packet would fill the young generation twice.
    const n = Math.ceil((30 << 20) / (p.capLen + 16));
    for (const path of ['/dev/null', join(dir, 'gc.pcapng')]) {
      const w = CaptureWriter.open(path);
      for (let i = 0; i < 1000; i++) w.onPacket(p); // warm up
      const gcs = await gcsDuring(() => {
        for (let i = 0; i < n; i++) w.onPacket(p);
      });
      w.close();
      // One scavenge may come from what the test allocated before; a view per packet made six.
      expect(gcs, path).toBeLessThanOrEqual(1);
    }
    rmSync(join(dir, 'gc.pcapng'));
  });
});

const hasTshark = haveTool('tshark');

describe.skipIf(!hasTshark)('CaptureWriter output read by tshark', () => {
  it('tshark sees the same frames in the copy as in the original', async () => {
    const out = join(dir, 'demo-copy.pcap');
    await copy('fixtures/demo.pcap', out);
    const fields = (f: string): string => execFileSync('tshark', ['-n', '-r', f, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.protocols'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const want = fields('fixtures/demo.pcap');
    expect(want.split('\n').length).toBeGreaterThan(1000);
    expect(fields(out)).toBe(want);
  });
});
