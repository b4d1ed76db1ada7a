import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { openChunkSource } from '../../src/capture/chunk-source.js';
import { openFileSource } from '../../src/capture/file-source.js';
import type { PacketRecord } from '../../src/capture/record.js';
import { epb, frame, idb, pcapHeader, pcapRecord, shb, spb, u32 } from './bytes.js';
import { parseAll, type Got } from './collect.js';
import { tempFiles } from './temp-files.js';

const { dir, file } = tempFiles('wiretop-thread-');

function fifo(name: string): string {
  const p = join(dir, name);
  execFileSync('mkfifo', [p]);
  return p;
}

/** Packet i has 40 + (i * 37) % 300 bytes, every byte i & 0xff: a mix that lands on chunk edges everywhere. */
function sizes(n: number): number[] {
  return [...Array(n).keys()].map((i) => 40 + ((i * 37) % 300));
}

function pcapFile(n: number, le = true, nano = false): Buffer {
  return Buffer.concat([pcapHeader({ le, nano }), ...sizes(n).map((s, i) => pcapRecord({ le, sec: 1_700_000_000 + i, frac: i, data: frame(s, i & 0xff) }))]);
}

function pcapngFile(n: number): Buffer {
  // Two sections of opposite byte order, an SPB, and one block bigger than the test's chunks.
  const a = [shb(true), idb(true, { linkType: 1 }), ...sizes(n).map((s, i) => epb(true, { ts: BigInt(i) * 1000n, data: frame(s, i & 0xff) }))];
  const b = [shb(false), idb(false, { linkType: 113 }), epb(false, { ts: 5n, data: frame(3000, 0x55) }), spb(false, frame(90, 0x66))];
  return Buffer.concat([...a, ...b]);
}

async function readAll(path: string, opts: { chunkSize?: number; thread?: boolean } = {}) {
  const src = openFileSource({ path, thread: opts.thread ?? true, chunkSize: opts.chunkSize });
  const got: Got[] = [];
  let intact = true;
  await src.start((r: PacketRecord) => {
    const first = r.buf[r.off]!;
    for (let i = 0; i < r.capLen; i++) if (r.buf[r.off + i] !== first) intact = false;
    got.push({ capLen: r.capLen, origLen: r.origLen, linkType: r.linkType, ifIndex: r.ifIndex, tsSec: r.tsSec, tsNsec: r.tsNsec, first, last: r.buf[r.off + r.capLen - 1]! });
  });
  return { got, intact, info: src.info };
}

/** Stream offsets where records start (pcap), to check where the reader cut its chunks. */
function pcapBoundaries(bytes: Buffer): Set<number> {
  const out = new Set<number>([24, bytes.length]);
  for (let o = 24; o + 16 <= bytes.length; ) {
    o += 16 + bytes.readUInt32LE(o + 8);
    out.add(o);
  }
  return out;
}

describe('reader thread', () => {
  it('cuts chunks at record boundaries, so records are parsed in place', async () => {
    const bytes = pcapFile(300);
    const chunks = await openChunkSource({ path: file('edges.pcap', bytes), thread: true, chunkSize: 1000 });
    const bounds = pcapBoundaries(bytes);
    let at = 0;
    const copy = Buffer.alloc(bytes.length);
    for (let c = await chunks.next(); c !== null; c = await chunks.next()) {
      c.copy(copy, at);
      at += c.length;
      expect(bounds.has(at)).toBe(true);
    }
    expect(chunks.via).toBe('thread');
    await chunks.close();
    expect(copy.equals(bytes)).toBe(true);
  });

  it.each([
    ['pcap little-endian', () => pcapFile(500)],
    ['pcap big-endian, ns', () => pcapFile(500, false, true)],
    ['pcapng, two sections, a block larger than a chunk', () => pcapngFile(500)],
  ])('delivers what the parser finds in the whole file: %s', async (_name, make) => {
    const bytes = make();
    const want = parseAll(bytes).packets;
    for (const chunkSize of [64, 333, 1000, 1 << 20]) {
      const { got, intact, info } = await readAll(file(`each-${chunkSize}.cap`, bytes), { chunkSize });
      expect(got).toEqual(want);
      expect(intact).toBe(true);
      expect(info).toMatchObject({ bytesRead: bytes.length, packetsRead: want.length, truncated: false, warnings: [] });
    }
  });

  it('keeps the records of a slow consumer intact (the reader waits for free chunks)', async () => {
    const bytes = pcapFile(400);
    const src = openFileSource({ path: file('slow.pcap', bytes), thread: true, chunkSize: 256 });
    let intact = true;
    let n = 0;
    await src.start((r) => {
      if (++n % 50 === 0) src.pause();
      for (let i = 0; i < r.capLen; i++) if (r.buf[r.off + i] !== r.buf[r.off]) intact = false;
      if (src.info.paused) setTimeout(() => src.resume(), 2);
    });
    expect(n).toBe(400);
    expect(intact).toBe(true);
  });

  it('delivers everything before a cut, then the same truncation warning as the stream reader', async () => {
    const bytes = pcapFile(200);
    const path = file('cut.pcap', bytes.subarray(0, bytes.length - 25));
    const thread = await readAll(path, { chunkSize: 500 });
    const stream = await readAll(path, { thread: false });
    expect(thread.got).toHaveLength(199);
    expect(thread.info.truncated).toBe(true);
    expect(thread.info.warnings).toEqual(stream.info.warnings);
    expect(thread.info.warnings).toEqual([expect.stringMatching(/^truncated capture: last record \(starting at byte \d+\) cut at byte \d+$/)]);
  });

  it('resyncs past a bogus caplen exactly as the stream reader does', async () => {
    const bytes = pcapFile(50);
    // Record 10's caplen claims 1 MiB: the thread stops framing, the parser resyncs.
    const at = [...pcapBoundaries(bytes)].sort((a, b) => a - b)[10]!;
    u32(1 << 20, true).copy(bytes, at + 8);
    const path = file('bogus.pcap', bytes);
    const thread = await readAll(path, { chunkSize: 700 });
    const stream = await readAll(path, { thread: false });
    expect(thread.got).toEqual(stream.got);
    expect(thread.info.warnings).toEqual(stream.info.warnings);
  });

  it('rejects a file that is not a capture', async () => {
    const err = await openFileSource({ path: file('text.bin', Buffer.alloc(5000, 0x41)), thread: true }).start(() => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).message).toBe('not a pcap or pcapng file');
  });

  it('stops promptly and lets the thread go', async () => {
    const src = openFileSource({ path: file('stop.pcap', pcapFile(2000)), thread: true, chunkSize: 512 });
    let n = 0;
    const end = await src.start(() => {
      if (++n === 100) src.stop();
    });
    expect(end.reason).toBe('stopped');
    expect(n).toBe(100);
  });

  it('loops over a file with a fresh thread per pass', async () => {
    const src = openFileSource({ path: file('loop.pcap', pcapFile(30)), thread: true, loop: true, chunkSize: 300 });
    let n = 0;
    const end = await src.start(() => {
      if (++n === 75) src.stop();
    });
    expect(end.reason).toBe('stopped');
    expect(n).toBe(75);
  });
});

describe('standard input from a pipe', () => {
  it('delivers each packet as it arrives, not when a chunk fills', async () => {
    const pipe = new PassThrough();
    const bytes = pcapFile(5);
    const bounds = [...pcapBoundaries(bytes)].sort((a, b) => a - b);
    const src = openFileSource({ path: '-', stdin: pipe });
    const seen: number[] = [];
    const done = src.start((r) => seen.push(r.buf[r.off]!));
    pipe.write(bytes.subarray(0, 10)); // half a file header
    pipe.write(bytes.subarray(10, bounds[1]! - 3)); // the rest of it, and a record short by 3 bytes
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]);
    for (let i = 1; i < bounds.length - 1; i++) {
      pipe.write(bytes.subarray(bounds[i]! - 3, bounds[i + 1]! - 3));
      await vi.waitFor(() => expect(seen).toHaveLength(i), { timeout: 5000, interval: 2 });
    }
    pipe.end(bytes.subarray(bounds[bounds.length - 1]! - 3));
    await done;
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});

describe.runIf(process.platform === 'linux')('a pipe read by the thread', () => {
  it('delivers each packet as it arrives, cuts at records and ends at EOF', async () => {
    const path = fifo('slow.fifo');
    const bytes = pcapFile(6);
    const bounds = [...pcapBoundaries(bytes)].sort((a, b) => a - b);
    const src = openFileSource({ path });
    const seen: number[] = [];
    const done = src.start((r) => seen.push(r.buf[r.off]!));
    const w = await open(path, 'w'); // waits for the reader's open (both in the thread pool)
    await w.write(bytes.subarray(0, 10)); // half a file header
    await w.write(bytes.subarray(10, bounds[1]! - 3)); // the rest of it, and a record short by 3 bytes
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([]);
    for (let i = 1; i < bounds.length - 1; i++) {
      await w.write(bytes.subarray(bounds[i]! - 3, bounds[i + 1]! - 3));
      await vi.waitFor(() => expect(seen).toHaveLength(i), { timeout: 5000, interval: 2 });
    }
    await w.write(bytes.subarray(bounds[bounds.length - 1]! - 3));
    await w.close();
    expect((await done).reason).toBe('eof');
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(src.info.bytesRead).toBe(bytes.length);
  });

  it('cuts a fast pipe at records, and closes while the pipe is idle', async () => {
    const path = fifo('fast.fifo');
    const bytes = pcapFile(3000);
    const [chunks, w] = await Promise.all([openChunkSource({ path, chunkSize: 64 << 10 }), open(path, 'w')]);
    const written = w.write(bytes); // more than the ring holds: the reader waits for us
    const bounds = pcapBoundaries(bytes);
    let at = 0;
    while (at < bytes.length) {
      const c = (await chunks.next())!;
      at += c.length;
      expect(bounds.has(at)).toBe(true);
    }
    await written;
    expect(chunks.via).toBe('thread');
    // The writer stays open and idle: close() must not wait for it.
    const t = performance.now();
    await chunks.close();
    expect(performance.now() - t).toBeLessThan(1000);
    await w.close();
  });
});
