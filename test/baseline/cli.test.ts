import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PacketRecord } from '../../src/capture/record.js';
import type { PacketSource } from '../../src/capture/source.js';
import { newStatus } from '../../src/capture/source.js';
import { runBaseline } from '../../src/cli/baseline.js';
import { generateAnomalyFrames, writeAnomalyPcap } from '../../src/fixtures-gen/anomalies/generate.js';

/** A live source stand-in that delivers generated frames, then ends. */
function fakeLive(name: string): PacketSource {
  const info = newStatus('live', name);
  const rec = new PacketRecord();
  return {
    info,
    pause() {},
    resume() {},
    stop() {},
    async start(onPacket) {
      for (const f of generateAnomalyFrames({ seed: 13, durationSec: 120, hosts: 5 })) {
        rec.buf = f.data;
        rec.capLen = f.data.length;
        rec.origLen = f.origLen;
        rec.tsSec = Math.floor(f.t);
        rec.tsNsec = Math.min(999_999_999, Math.round((f.t - rec.tsSec) * 1e9));
        info.packetsRead++;
        onPacket(rec);
      }
      info.ended = true;
      return { reason: 'eof' };
    },
  };
}

let dir: string;

function io() {
  const r = { out: '', err: '' };
  return { r, io: { stdout: (s: string) => void (r.out += s), stderr: (s: string) => void (r.err += s) } };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wiretop-baseline-cli-'));
  writeAnomalyPcap(join(dir, 'clean.pcap'), { seed: 11, durationSec: 600, hosts: 20 });
  writeAnomalyPcap(join(dir, 'tunnel.pcap'), { seed: 12, durationSec: 400, hosts: 20, injections: [{ kind: 'dns-tunnel', atSec: 100 }] });
});

describe('wiretop baseline', () => {
  it('learns from a file, shows the result, and checks another file against it', async () => {
    const a = io();
    expect(await runBaseline(['baseline', 'learn', '-r', join(dir, 'clean.pcap'), '-o', join(dir, 'b.json')], a.io)).toBe(0);
    expect(a.r.err).toBe('');
    expect(a.r.out).toMatch(/^learned from [\d,]+ packets over 5\d\d s; wrote .*b\.json\n$/);
    const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(b).toMatchObject({ version: 1, tool: 'wiretop', hourly: false });

    const s = io();
    expect(await runBaseline(['show', join(dir, 'b.json')], s.io)).toBe(0);
    expect(s.r.out).toMatch(/^baseline version 1, learned from .*clean\.pcap/);
    expect(s.r.out).toMatch(/bits\/s +mean/);

    const c = io();
    const alerts = join(dir, 'alerts.ndjson');
    const args = { _: ['baseline', 'check'], read: join(dir, 'tunnel.pcap'), baseline: join(dir, 'b.json'), alerts, json: true };
    expect(await runBaseline(args, c.io)).toBe(0);
    const got = JSON.parse(c.r.out);
    expect(got.map((x: { kind: string; subject: string }) => `${x.kind} ${x.subject}`)).toEqual(['dns-tunnel 10.1.0.77']);
    expect(Object.keys(got[0]).sort()).toEqual(['expected', 'firstSeen', 'kind', 'lastSeen', 'message', 'observed', 'severity', 'subject']);
    expect(readFileSync(alerts, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('learns live from an interface for --duration seconds, and warns when that is short', async () => {
    const a = io();
    let opened = '';
    const code = await runBaseline(['learn', '-i', 'eth9', '--duration', '120', '-o', join(dir, 'live.json')], {
      ...a.io,
      openLive: (iface) => ((opened = iface), fakeLive(iface)),
    });
    expect(code).toBe(0);
    expect(opened).toBe('eth9');
    expect(a.r.err).toMatch(/warning: the capture covers only 1\d\d s; rate meters need at least 5 minutes to learn/);
    expect(JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')).source).toBe('interface eth9');
  });

  it.each([
    [['learn', '-r', 'x.pcap'], /learn needs -o FILE/],
    [['learn', '-o', 'b.json'], /learn needs either -r FILE or -i INTERFACE/],
    [['check'], /check needs -r FILE/],
    [['frobnicate'], /unknown action: frobnicate/],
    [['check', '-r', 'x.pcap', '--home-net', '10.0.0.0/99'], /--home-net: bad CIDR "10.0.0.0\/99"/],
    [['check', '-r', 'x.pcap', '--bogus'], /unknown option: --bogus/],
  ])('rejects %j with one line and usage', async (argv, msg) => {
    const a = io();
    expect(await runBaseline(argv, a.io)).toBe(1);
    expect(a.r.err.split('\n')[0]).toMatch(msg);
    expect(a.r.err).toMatch(/usage: wiretop baseline learn/);
  });

  it('refuses a baseline of another version', async () => {
    writeFileSync(join(dir, 'v2.json'), '{"version":2}');
    const a = io();
    expect(await runBaseline(['check', '-r', join(dir, 'clean.pcap'), '--baseline', join(dir, 'v2.json')], a.io)).toBe(1);
    expect(a.r.err).toMatch(/unsupported baseline version 2 \(this wiretop reads version 1\)\n$/);
  });

  it('reports a missing capture file as one line', async () => {
    const a = io();
    expect(await runBaseline(['learn', '-r', join(dir, 'nope.pcap'), '-o', join(dir, 'x.json')], a.io)).toBe(1);
    expect(a.r.err.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
