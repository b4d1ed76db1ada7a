import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFollow, parseFollowArgs, FollowError } from '../../src/cli/follow.js';
import { frame, pcapOf } from './pcap-build.js';
import { MemIo } from '../helpers/mem-io.js';


const dir = mkdtempSync(join(tmpdir(), 'wiretop-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const C: [number, number, number, number] = [10, 0, 0, 1];
const S: [number, number, number, number] = [10, 0, 0, 2];
const ALL = Uint8Array.from({ length: 256 }, (_, i) => i);
const EVIL = Buffer.concat([
  Buffer.from('\x1b[2J\x1b]0;title\x07\x1b]52;c;aGVsbG8=\x07', 'latin1'),
  Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0xc2, 0x9b, 0xff, 0xfe, 0xe2, 0x80, 0xae, 0xed, 0xa0, 0x80]),
  ALL,
]);

function hostileCapture(): string {
  const path = join(dir, 'hostile-inline.pcap');
  const frames = [
    frame({ src: C, dst: S, sport: 40000, dport: 80, seq: 100, flags: 0x02 }),
    frame({ src: S, dst: C, sport: 80, dport: 40000, seq: 500, ack: 101, flags: 0x12 }),
    frame({ src: C, dst: S, sport: 40000, dport: 80, seq: 101, ack: 501, data: Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nHost: \x1b[31mx\r\n\r\n'), EVIL]) }),
    frame({ src: S, dst: C, sport: 80, dport: 40000, seq: 501, ack: 101 + 33 + EVIL.length, data: EVIL }),
    frame({ src: C, dst: S, sport: 5353, dport: 5353, udp: true, data: EVIL }),
  ];
  writeFileSync(path, pcapOf(frames));
  return path;
}

/** Bytes a terminal could act on: C0 except LF, DEL, and C1 (as UTF-8 U+0080..U+009F or raw 0x80..0x9f alone). */
function controlBytes(s: Buffer): number[] {
  const bad: number[] = [];
  const text = s.toString('utf8');
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp < 0x20 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f) || cp === 0xfffd || (cp >= 0x202a && cp <= 0x202e)) bad.push(cp);
  }
  return bad;
}

describe('follow output is terminal-safe', () => {
  const files = [hostileCapture(), ...(existsSync('fixtures/hostile.pcap') ? ['fixtures/hostile.pcap'] : [])];
  for (const path of files) {
    for (const format of ['ascii', 'hex'] as const) {
      for (const udp of [false, true]) {
        it(`${path.split('/').pop()} --format ${format}${udp ? ' --udp' : ''}: no control bytes`, async () => {
          for (let n = 0; n < 6; n++) {
            const io = new MemIo();
            const code = await runFollow(['-r', path, '--stream', String(n), '--format', format, ...(udp ? ['--udp'] : [])], io);
            if (code !== 0) {
              expect(n, 'stream 0 must exist').toBeGreaterThan(0);
              expect(io.errors).toHaveLength(1);
              break;
            }
            expect(io.out.length).toBeGreaterThan(0);
            expect(controlBytes(io.out)).toEqual([]);
          }
        });
      }
    }
  }

  it('raw output is the unaltered bytes', async () => {
    const io = new MemIo();
    expect(await runFollow(['-r', files[0]!, '--stream', '0', '--format', 'raw', '--direction', 'server'], io)).toBe(0);
    expect(io.out.equals(EVIL)).toBe(true);
  });

  it('ascii shows escapes, keeps newlines, marks directions', async () => {
    const io = new MemIo();
    await runFollow(['-r', files[0]!, '--stream', '0', '--format', 'ascii'], io);
    const out = io.out.toString('utf8');
    expect(out).toContain('> GET / HTTP/1.1\\r\n');
    expect(out).toContain('> Host: \\x1b[31mx\\r\n');
    expect(out).toContain('< \\x1b[2J');
  });

  it('hex dump offsets per direction', async () => {
    const io = new MemIo();
    await runFollow(['-r', files[0]!, '--stream', '0', '--format', 'hex', '--direction', 'client'], io);
    const lines = io.out.toString('utf8').split('\n');
    expect(lines.find((l) => l.startsWith('00000000  47 45 54 20'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('00000010  '))).toBeDefined();
  });
});

describe('parseFollowArgs', () => {
  it('accepts the documented options', () => {
    expect(parseFollowArgs(['follow', '-r', 'x.pcap', '--stream', '3', '--format', 'raw', '--direction', 'server', '--udp'])).toEqual({
      file: 'x.pcap', stream: 3, format: 'raw', direction: 'server', udp: true,
    });
    expect(parseFollowArgs(['--read=x', '--stream=0'])).toMatchObject({ file: 'x', stream: 0, format: 'ascii', direction: 'both', udp: false });
  });
  it('rejects bad values with one line', () => {
    expect(() => parseFollowArgs(['-r', 'x'])).toThrow(FollowError);
    expect(() => parseFollowArgs(['-r', 'x', '--stream', '-1'])).toThrow(/--stream/);
    expect(() => parseFollowArgs(['-r', 'x', '--stream', '0', '--format', 'pdf'])).toThrow(/--format/);
    expect(() => parseFollowArgs(['-r', 'x', '--stream', '0', '--bogus'])).toThrow(/unknown option/);
  });
});
