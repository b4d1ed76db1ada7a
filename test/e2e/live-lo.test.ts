/**
 * A live capture on the loopback interface: wiretop runs in tmux with a BPF filter on a random
 * UDP port while this test sends datagrams to it. Needs root (or capture rights), the optional
 * `cap` module and tmux; otherwise it is skipped and says why.
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { hasTmux, isAtPrompt, Tmux } from './tmux.js';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

async function whyNot(): Promise<string | null> {
  if (!hasTmux()) return 'tmux is not installed';
  if (process.getuid?.() !== 0) return 'not root: live capture on lo needs root';
  try {
    await import('cap');
  } catch (e) {
    return `the optional cap module does not load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) return 'dist/ is missing: run `npm run build`';
  return null;
}

const reason = await whyNot();
if (reason !== null) console.info(`live capture on lo skipped: ${reason}`);

describe.skipIf(reason !== null)('live capture on lo', () => {
  const tmux = new Tmux(`wiretop-live-${process.pid}`);
  const home = mkdtempSync(join(tmpdir(), 'wiretop-live-home-'));
  let sender: Socket | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  afterAll(() => {
    if (timer !== null) clearInterval(timer);
    sender?.close();
    tmux.kill();
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  test('UDP datagrams to 127.0.0.1 show up as a talker and a conversation', async () => {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const s = 'live';
    tmux.start(s, 120, 40, ROOT, { XDG_CONFIG_HOME: home, HOME: home });
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    const saved = join(home, 'live.pcap');
    tmux.type(s, `node bin/wiretop.js -i lo -f 'udp port ${port}' -w ${saved}`);
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('Top talkers') && x.includes('if lo') && x.includes(`udp port ${port}`), 'dashboard on lo');

    // Nothing listens on the port: the datagrams are captured on lo all the same.
    const socket = createSocket('udp4');
    sender = socket;
    await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
    const payload = Buffer.from('wiretop live test');
    timer = setInterval(() => socket.send(payload, port, '127.0.0.1'), 50);

    const hosts = await tmux.waitFor(s, (x) => /^> 127\.0\.0\.1\s/m.test(x), '127.0.0.1 in the talkers');
    expect(hosts).toContain('Top talkers: hosts');
    tmux.type(s, 't');
    const from = socket.address().port;
    const convs = await tmux.waitFor(
      s,
      (x) => x.includes('Top talkers: conversations') && x.includes(`127.0.0.1:${from} ↔ 127.0.0.1:${port}`),
      'the conversation',
    );
    expect(convs).toMatch(/udp/);
    tmux.type(s, 'q');
    // -w: once the screen is restored, one line says what went to the file; the file holds the datagrams.
    const after = await tmux.waitFor(s, (x) => isAtPrompt(x) && !x.includes('Top talkers') && x.includes('wiretop: wrote'), 'prompt and the -w line after q');
    expect(tmux.isAltScreen(s)).toBe(false);
    const n = Number(/wiretop: wrote (\d+) packets? to (\S+)/.exec(after)![1]);
    expect(n).toBeGreaterThan(0);
    expect(await savedDatagrams(saved, port, payload)).toEqual({ packets: n, ours: n });
  }, 60_000);

  test('report -i lo --duration with -w writes what it counted', async () => {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const socket = createSocket('udp4');
    await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
    const payload = Buffer.from('wiretop report -w');
    const t = setInterval(() => socket.send(payload, port, '127.0.0.1'), 20);
    const saved = join(home, 'report.pcap');
    try {
      const r = await run(process.execPath, ['bin/wiretop.js', 'report', '-i', 'lo', '--duration', '2', '-f', `udp port ${port}`, '-w', saved, '--json', '--no-detect'], { cwd: ROOT });
      const report = JSON.parse(r.stdout) as { packets: number };
      expect(r.stderr).toBe('');
      expect(report.packets).toBeGreaterThan(10);
      expect(await savedDatagrams(saved, port, payload)).toEqual({ packets: report.packets, ours: report.packets });
    } finally {
      clearInterval(t);
      socket.close();
    }
  }, 30_000);
});

/** Packets in a saved capture, and how many are UDP to `port` carrying `payload` (decoded by wiretop's reader and decoder). */
async function savedDatagrams(path: string, port: number, payload: Buffer): Promise<{ packets: number; ours: number }> {
  const d = new Decoder();
  const p = new DecodedPacket();
  let packets = 0;
  let ours = 0;
  await openFileSource({ path }).start((r) => {
    d.decode(r, p);
    packets++;
    if (p.dstPort === port && Buffer.from(p.buf.subarray(p.payloadOff, p.payloadOff + p.payloadLen)).equals(payload)) ours++;
  });
  return { packets, ours };
}
