import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { openFileSource } from '../../src/capture/file-source.js';
import type { PacketRecord } from '../../src/capture/record.js';
import { epb, frame, idb, pcapHeader, pcapRecord, shb } from './bytes.js';
import { FakeTimers } from './fake-timers.js';
import { tempFiles } from './temp-files.js';

const { dir, file } = tempFiles('wiretop-capture-');

/** A pcap whose packets are at the given times (seconds, µs precision); packet i is filled with byte i. */
function pcapAt(times: number[], linkType = 1): Buffer {
  return Buffer.concat([
    pcapHeader({ linkType }),
    ...times.map((t, i) => pcapRecord({ sec: Math.floor(t), frac: Math.round((t % 1) * 1e6), data: frame(60 + i, i) })),
  ]);
}

const ten = pcapAt([...Array(10).keys()].map((i) => 1_700_000_000 + i / 10));

async function collect(src: ReturnType<typeof openFileSource>, each?: (r: PacketRecord, n: number) => void) {
  const got: { id: number; sec: number; nsec: number }[] = [];
  const end = await src.start((r) => {
    got.push({ id: r.buf[r.off]!, sec: r.tsSec, nsec: r.tsNsec });
    each?.(r, got.length);
  });
  return { got, end };
}

describe('openFileSource', () => {
  it('streams a file in small chunks and reports stats', async () => {
    const path = file('ten.pcap', ten);
    const src = openFileSource({ path, chunkSize: 100 });
    const { got, end } = await collect(src);
    expect(end.reason).toBe('eof');
    expect(got.map((g) => g.id)).toEqual([...Array(10).keys()]);
    expect(src.info).toMatchObject({
      kind: 'file',
      name: path,
      packetsRead: 10,
      bytesRead: ten.length,
      linkTypes: ['EN10MB'],
      truncated: false,
      warnings: [],
      ended: true,
      dropped: 0,
    });
  });

  it('reads pcapng and lists every link type', async () => {
    const le = true;
    const bytes = Buffer.concat([shb(le), idb(le, { linkType: 1 }), idb(le, { linkType: 113 }), epb(le, { ts: 1n, data: frame(20) }), epb(le, { ifId: 1, ts: 2n, data: frame(20) })]);
    const src = openFileSource({ path: file('two.pcapng', bytes) });
    const { got } = await collect(src);
    expect(got).toHaveLength(2);
    expect(src.info.linkTypes).toEqual(['EN10MB', 'LINUX_SLL']);
  });

  it('reads standard input from a Readable', async () => {
    const chunks = [ten.subarray(0, 3), ten.subarray(3, 90), ten.subarray(90, 91), ten.subarray(91)];
    const src = openFileSource({ path: '-', stdin: Readable.from(chunks) });
    const { got } = await collect(src);
    expect(got.map((g) => g.id)).toEqual([...Array(10).keys()]);
    expect(src.info.name).toBe('-');
  });

  it('delivers packets before a cut, then a truncation warning', async () => {
    const path = file('cut.pcap', ten.subarray(0, ten.length - 20));
    const src = openFileSource({ path, chunkSize: 64 });
    const { got, end } = await collect(src);
    expect(end.reason).toBe('eof');
    expect(got).toHaveLength(9);
    expect(src.info.truncated).toBe(true);
    expect(src.info.warnings).toEqual([expect.stringMatching(/^truncated capture: last record \(starting at byte \d+\) cut at byte \d+$/)]);
  });

  it('rejects a file that is not a capture, an empty file and a missing file with one-line CaptureErrors', async () => {
    const cases: [string, RegExp][] = [
      [file('text.pcap', Buffer.from('this is not a capture at all\n')), /^not a pcap or pcapng file$/],
      [file('empty.pcap', Buffer.alloc(0)), /^empty file/],
      [join(dir, 'missing.pcap'), /^cannot open .*missing\.pcap: no such file$/],
      [dir, /is a directory|EISDIR/],
    ];
    for (const [path, msg] of cases) {
      const err = await openFileSource({ path }).start(() => {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CaptureError);
      expect((err as CaptureError).message).toMatch(msg);
      expect((err as CaptureError).message).not.toContain('\n');
      expect((err as CaptureError).exitCode).toBe(1);
    }
  });

  it('paces delivery by packet timestamps at N times real time (fake clock)', async () => {
    const timers = new FakeTimers();
    const times = [100, 101, 101.5, 103, 103, 102.5];
    const src = openFileSource({ path: file('paced.pcap', pcapAt(times)), speed: 2, timers });
    const at: number[] = [];
    await src.start(() => at.push(timers.now()));
    // an out-of-order packet (102.5 after 103) goes out at once
    expect(at).toEqual([0, 500, 750, 1500, 1500, 1500]);
  });

  it('paces a gap longer than a timer can hold (24.8 days) in steps, never asking for more', async () => {
    const timers = new FakeTimers();
    const day = 86400;
    const src = openFileSource({ path: file('paced-gap.pcap', pcapAt([100, 100 + 30 * day, 100 + 30 * day + 1])), speed: 1, timers });
    const at: number[] = [];
    await src.start(() => at.push(timers.now()));
    expect(Math.max(...timers.sleeps)).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(at).toEqual([0, 30 * day * 1000, (30 * day + 1) * 1000]);
  });

  it('does not pace at speed max, but yields between chunks', async () => {
    const timers = new FakeTimers();
    const src = openFileSource({ path: file('max.pcap', pcapAt([0, 50, 100])), timers });
    await collect(src);
    expect(timers.sleeps).toEqual([]);
    expect(timers.now()).toBe(0);
  });

  it('pause() holds delivery until resume()', async () => {
    const src = openFileSource({ path: file('pause.pcap', ten) });
    let n = 0;
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    const done = src.start(() => {
      n++;
      if (n === 3) {
        src.pause();
        release();
      }
    });
    await paused;
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(n).toBe(3);
    expect(src.info.paused).toBe(true);
    src.resume();
    expect((await done).reason).toBe('eof');
    expect(n).toBe(10);
  });

  it('pause() during paced playback re-anchors so there is no burst after resume', async () => {
    const timers = new FakeTimers();
    const src = openFileSource({ path: file('pause-paced.pcap', pcapAt([0, 1, 2, 3])), speed: 1, timers });
    const at: number[] = [];
    const done = src.start(() => {
      at.push(timers.now());
      if (at.length === 2) src.pause();
    });
    // The file is read with real I/O: wait for the two packets before the pause, however long that takes.
    await vi.waitFor(() => expect(at.length).toBe(2), { timeout: 10_000, interval: 5 });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(at).toEqual([0, 1000]);
    timers.t += 60_000; // a minute passes while paused
    src.resume();
    await done;
    expect(at).toEqual([0, 1000, 61_000, 62_000]);
  });

  it('stop() ends delivery and resolves with reason stopped', async () => {
    const src = openFileSource({ path: file('stop.pcap', ten) });
    const { got, end } = await collect(src, (_r, n) => {
      if (n === 4) src.stop();
    });
    expect(got).toHaveLength(4);
    expect(end.reason).toBe('stopped');
    expect(src.info.ended).toBe(true);
  });

  it('a stop while a read packet waits for its time still delivers it: read equals delivered (report, -w)', async () => {
    const src = openFileSource({ path: file('stop-wait.pcap', pcapAt([100, 160, 220])), speed: 1 });
    let delivered = 0;
    const done = src.start(() => void delivered++);
    // The first packet goes out at once; the second is read and waits a minute (real time) for its time.
    await vi.waitFor(() => expect(src.info.packetsRead).toBe(2), { timeout: 10_000, interval: 5 });
    src.stop();
    await done;
    expect(src.info.packetsRead).toBe(2);
    expect(delivered).toBe(2);
  });

  it('loops with increasing timestamps when asked', async () => {
    const src = openFileSource({ path: file('loop.pcap', ten), loop: true });
    const { got, end } = await collect(src, (_r, n) => {
      if (n === 25) src.stop();
    });
    expect(end.reason).toBe('stopped');
    expect(got).toHaveLength(25);
    for (let i = 1; i < got.length; i++) {
      const a = got[i - 1]!;
      const b = got[i]!;
      expect(b.sec * 1e9 + b.nsec).toBeGreaterThan(a.sec * 1e9 + a.nsec);
    }
    expect(got[10]!.sec).toBe(1_700_000_001); // the 0.9 s capture replays every whole second
  });

  it('applies the capture filter and counts what it rejects', async () => {
    const src = openFileSource({ path: file('filter.pcap', ten), captureFilter: (r) => r.buf[r.off]! % 2 === 0 });
    const { got } = await collect(src);
    expect(got.map((g) => g.id)).toEqual([0, 2, 4, 6, 8]);
    expect(src.info.packetsRead).toBe(10);
    expect(src.info.packetsFiltered).toBe(5);
  });
});

describe('openFileSource consumer errors and options', () => {
  it('passes an exception from onPacket through unchanged', async () => {
    const src = openFileSource({ path: file('boom.pcap', ten) });
    const boom = new Error('boom');
    await expect(
      src.start(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it('rejects an invalid speed', () => {
    expect(() => openFileSource({ path: 'x', speed: 0 })).toThrow(CaptureError);
    expect(() => openFileSource({ path: 'x', speed: Number.NaN })).toThrow(/invalid replay speed/);
  });
});
