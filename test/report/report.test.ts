import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { runReport } from '../../src/cli/report.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { Engine } from '../../src/engine/engine.js';
import { formatReportText } from '../../src/report/format-text.js';
import type { ReportV1 } from '../../src/report/report-types.js';
import { fill } from '../flows/make-packet.js';

function sampleEngine(): Engine {
  const e = new Engine({ idleTimeoutSec: 0, rates: false });
  const eth = e.paths.child(0, Proto.Eth);
  const v4 = e.paths.child(eth, Proto.IPv4);
  const v6 = e.paths.child(eth, Proto.IPv6);
  const tcp = e.paths.child(v4, Proto.Tcp);
  const udp6 = e.paths.child(v6, Proto.Udp);
  const p = new DecodedPacket();
  const t0 = 1700000000;
  e.ingestDecoded(fill(p, { src: '10.0.0.2', dst: '10.0.0.1', sport: 443, dport: 5000, len: 60, t: t0, pathId: tcp }));
  e.ingestDecoded(fill(p, { src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 443, len: 1000, t: t0 + 1.5, pathId: tcp }));
  e.ingestDecoded(fill(p, { src: '2001:db8:0:0:0:0:0:1', dst: 'ff02::fb', proto: 17, sport: 5353, dport: 5353, len: 200, t: t0 + 2.25, pathId: udp6 }));
  e.setSource({ kind: 'file', name: 'x.pcap', linkTypes: ['EN10MB'], packetsRead: 3, bytesRead: 1300 });
  return e;
}

describe('report', () => {
  it('has the ReportV1 shape', () => {
    const r = sampleEngine().report({ top: 0 });
    expect(Object.keys(r).sort()).toEqual(
      ['alerts', 'bytes', 'conversations', 'durationSeconds', 'filter', 'firstSeen', 'flows', 'hosts', 'lastSeen',
        'malformed', 'malformedReasons', 'packets', 'protocols', 'source', 'version'].sort(),
    );
    expect(r.version).toBe(1);
    expect(r.source).toEqual({ kind: 'file', name: 'x.pcap', linkTypes: ['EN10MB'], packetsRead: 3, bytesRead: 1300, truncated: false, warnings: [] });
    expect(r.filter).toEqual({ capture: null, display: null });
    expect([r.packets, r.bytes, r.malformed]).toEqual([3, 1260, 0]);
    expect(r.firstSeen).toBe('2023-11-14T22:13:20.000Z');
    expect(r.lastSeen).toBe('2023-11-14T22:13:22.250Z');
    expect(r.durationSeconds).toBe(2.25);
    expect(r.protocols).toEqual([
      { path: 'eth', packets: 3, bytes: 1260 },
      { path: 'eth:ipv4', packets: 2, bytes: 1060 },
      { path: 'eth:ipv4:tcp', packets: 2, bytes: 1060 },
      { path: 'eth:ipv6', packets: 1, bytes: 200 },
      { path: 'eth:ipv6:udp', packets: 1, bytes: 200 },
    ]);
    expect(r.conversations).toEqual([
      {
        proto: 'tcp', a: '10.0.0.2', aPort: 443, b: '10.0.0.1', bPort: 5000, service: 'https', packets: 2, bytes: 1060,
        aToB: { packets: 1, bytes: 60 }, bToA: { packets: 1, bytes: 1000 },
        firstSeen: '2023-11-14T22:13:20.000Z', lastSeen: '2023-11-14T22:13:21.500Z',
      },
      {
        proto: 'udp', a: '2001:db8::1', aPort: 5353, b: 'ff02::fb', bPort: 5353, service: 'mdns', packets: 1, bytes: 200,
        aToB: { packets: 1, bytes: 200 }, bToA: { packets: 0, bytes: 0 },
        firstSeen: '2023-11-14T22:13:22.250Z', lastSeen: '2023-11-14T22:13:22.250Z',
      },
    ]);
    // equal bytes: the host seen first comes first
    expect(r.hosts.map((h) => h.addr)).toEqual(['10.0.0.2', '10.0.0.1', '2001:db8::1', 'ff02::fb']);
    expect(r.hosts[1]).toEqual({ addr: '10.0.0.1', packets: 2, bytes: 1060, txPackets: 1, txBytes: 1000, rxPackets: 1, rxBytes: 60 });
    expect(r.flows).toEqual({ tracked: 2, evicted: 0 });
    expect(r.alerts).toEqual([]);
    // JSON round trip keeps it
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('limits hosts and conversations to --top', () => {
    const r = sampleEngine().report({ top: 1 });
    expect(r.conversations.length).toBe(1);
    expect(r.hosts.length).toBe(1);
    expect(r.protocols.length).toBe(5);
  });

  it('escapes wire strings in text output', () => {
    const r: ReportV1 = sampleEngine().report({ top: 0 });
    r.conversations[0]!.service = 'evil\x1b]0;owned\x07\x9b';
    r.source.warnings.push('bad\x1b[2J');
    const text = formatReportText(r);
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('evil\\x1b]0;owned\\x07\\x9b');
    expect(text).toContain('Protocol hierarchy');
  });
});

describe('isoTime', () => {
  it('keeps firstSeen <= lastSeen for times a Date cannot hold (a damaged 64-bit pcapng timestamp)', async () => {
    const { isoTime } = await import('../../src/report/build-report.js');
    expect(isoTime(1.7e9)).toBe('2023-11-14T22:13:20.000Z');
    expect(isoTime(1.8e13)).toBe('+275760-09-13T00:00:00.000Z');
    expect(isoTime(-1.8e13)).toBe('-271821-04-20T00:00:00.000Z');
    expect(Date.parse(isoTime(1.8e13))).toBeGreaterThan(Date.parse(isoTime(1.7e9)));
  });
});

describe('runReport', () => {
  const io = () => {
    const o = { out: '', err: '' };
    return { o, io: { stdout: (s: string) => void (o.out += s), stderr: (s: string) => void (o.err += s) } };
  };

  it('fails with one line and exit 1 for a missing file', async () => {
    const { o, io: x } = io();
    expect(await runReport(['-r', '/nonexistent/file.pcap'], x)).toBe(1);
    expect(o.err.trim().split('\n').length).toBe(1);
    expect(o.err).not.toMatch(/\n\s+at /);
  });

  it('fails with exit 1 on bad arguments', async () => {
    const { o, io: x } = io();
    expect(await runReport(['--top', 'x', '-r', 'f'], x)).toBe(1);
    expect(await runReport([], x)).toBe(1);
    expect(o.err.split('\n').filter(Boolean).length).toBe(2);
  });

  it('says what -r or -i needs when given without a value', async () => {
    const { o, io: x } = io();
    expect(await runReport(['-r'], x)).toBe(1);
    expect(o.err).toBe('wiretop report: -r needs a file name (or - for stdin)\n');
    o.err = '';
    expect(await runReport(['-i'], x)).toBe(1);
    expect(o.err).toMatch(/^wiretop report: -i needs an interface name/);
  });

  it('exits 2 when the live capture cannot start', async () => {
    const { o, io: x } = io();
    const code = await runReport(['-i', 'nope0', '--duration', '1'], {
      ...x,
      openLive: () => {
        throw new CaptureError('no such interface: nope0', 2);
      },
    });
    expect(code).toBe(2);
    expect(o.err).toBe('wiretop report: no such interface: nope0\n');
  });

  const pcap = resolve(__dirname, '../../../shared/pcaps/real/icmp_echo.pcap');
  it.skipIf(!existsSync(pcap))('prints ReportV1 JSON for a file', async () => {
    const { o, io: x } = io();
    expect(await runReport(['-r', pcap, '--json', '--top', '0'], x)).toBe(0);
    const r = JSON.parse(o.out) as ReportV1;
    expect(r.version).toBe(1);
    expect(r.source.kind).toBe('file');
    expect(r.conversations.length).toBeGreaterThan(0);
    expect(r.conversations[0]!.proto).toBe('icmp');
    expect(r.conversations[0]!.aPort).toBeNull();
  });

  it.skipIf(!existsSync(pcap))('accepts yargs-style options', async () => {
    const { o, io: x } = io();
    expect(await runReport({ read: pcap, top: 3, json: false, maxFlows: 10 }, x)).toBe(0);
    expect(o.out).toContain('Top conversations');
  });
});

describe('reportJsonChunks', () => {
  it('is exactly JSON.stringify(report, null, 2) with a newline', async () => {
    const { reportJsonChunks } = await import('../../src/report/write-json.js');
    for (const top of [0, 1]) {
      const r = sampleEngine().report({ top });
      expect([...reportJsonChunks(r)].join('')).toBe(`${JSON.stringify(r, null, 2)}\n`);
    }
    const empty = new Engine().report({ top: 0 });
    expect([...reportJsonChunks(empty)].join('')).toBe(`${JSON.stringify(empty, null, 2)}\n`);
  });
});

describe('runReport filters', () => {
  const pcap = resolve(__dirname, '../../../shared/pcaps/real/eth_mixed_wikipedia_browse.pcap');
  const run = async (args: string[]) => {
    const o = { out: '', err: '' };
    const code = await runReport(args, { stdout: (s) => void (o.out += s), stderr: (s) => void (o.err += s) });
    return { code, ...o };
  };

  it.skipIf(!existsSync(pcap))('applies -f before counting and -Y to the aggregates', async () => {
    const all = JSON.parse((await run(['-r', pcap, '--json'])).out) as ReportV1;
    const cap = JSON.parse((await run(['-r', pcap, '--json', '-f', 'tcp'])).out) as ReportV1;
    const disp = JSON.parse((await run(['-r', pcap, '--json', '-Y', 'tcp'])).out) as ReportV1;
    const tcp = all.protocols.find((p) => p.path === 'eth:ipv4:tcp')!.packets;
    expect(cap.source.packetsRead).toBe(all.source.packetsRead);
    expect(cap.packets).toBe(tcp);
    expect(disp.packets).toBe(tcp);
    expect(disp.filter).toEqual({ capture: null, display: 'tcp' });
    expect(cap.filter.capture).toBe('tcp');
    expect(disp.conversations.every((c) => c.proto === 'tcp')).toBe(true);
  });

  it.skipIf(!existsSync(pcap))('rejects a bad filter with one line and exit 1', async () => {
    const r = await run(['-r', pcap, '-Y', 'tcp.port ==']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter(Boolean).length).toBe(1);
    expect(r.err).toMatch(/bad filter/);
  });
});
