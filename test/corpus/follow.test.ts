import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openFileSource } from '../../src/capture/file-source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { StreamTracker } from '../../src/streams/stream-tracker.js';
import { ChunkKind, gapMarkerBytes } from '../../src/streams/chunk.js';
import { runFollow } from '../../src/cli/follow.js';
import { MemIo } from '../helpers/mem-io.js';

const PCAPS = join(process.cwd(), '..', 'shared', 'pcaps');
const REAL = join(PCAPS, 'real');
const haveCorpus = existsSync(REAL);
const haveTshark = haveCorpus && spawnSync('tshark', ['-v']).status === 0;

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
}

interface Follow {
  client: Buffer;
  server: Buffer;
}

/** Parse `tshark -q -z follow,P,raw,N ...` output: one block per stream, server lines start with a tab. */
function parseFollowRaw(text: string): Map<number, Follow> {
  const out = new Map<number, Follow>();
  let cur: { n: number; c: Buffer[]; s: Buffer[] } | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('=====')) {
      if (cur) out.set(cur.n, { client: Buffer.concat(cur.c), server: Buffer.concat(cur.s) });
      cur = null;
      continue;
    }
    const m = /^Filter: (?:tcp|udp)\.stream eq (\d+)/.exec(line);
    if (m) {
      cur = { n: Number(m[1]), c: [], s: [] };
      continue;
    }
    if (!cur || line.startsWith('Follow:') || line.startsWith('Node ') || line === '') continue;
    if (line.startsWith('\t')) cur.s.push(Buffer.from(line.slice(1), 'hex'));
    else cur.c.push(Buffer.from(line, 'hex'));
  }
  return out;
}

async function track(path: string): Promise<{ t: StreamTracker; tcpOf: number[]; udpOf: number[]; indexOf: number[] }> {
  const t = new StreamTracker({ streamBytes: 1 << 30, totalBytes: 1 << 30, maxOooBytes: 1 << 30, maxOooFragments: 1 << 30 });
  // The dashboard's index mode (no reassembly) must number every frame the same.
  const index = new StreamTracker({ store: false });
  const indexOf: number[] = [];
  const dec = new Decoder();
  const p = new DecodedPacket();
  const tcpOf: number[] = [];
  const udpOf: number[] = [];
  await openFileSource({ path }).start((r) => {
    dec.decode(r, p);
    t.onPacket(p);
    index.onPacket(p);
    tcpOf.push(t.lastProto === 6 ? t.lastStream : -1);
    udpOf.push(t.lastProto === 17 ? t.lastStream : -1);
    indexOf.push(index.lastProto === 6 ? index.lastStream : index.lastProto === 17 ? -2 - index.lastStream : -1);
  });
  return { t, tcpOf, udpOf, indexOf };
}

function ours(t: StreamTracker, n: number, udp: boolean): Follow {
  const s = udp ? t.udp[n] : t.tcp[n];
  const parts: Buffer[][] = [[], []];
  for (const c of s ? s.chunks('both') : []) {
    parts[c.dir]!.push(Buffer.from(c.kind === ChunkKind.Gap ? gapMarkerBytes(c.missing) : c.data));
  }
  return { client: Buffer.concat(parts[0]!), server: Buffer.concat(parts[1]!) };
}

const BIG = join(PCAPS, 'big');
/** An IP fragment (tshark gives its reassembled datagram to the last fragment; our decoder, ports to the first). */
function isFragment(r: string[]): boolean {
  return (r[6] ?? '').split(',')[0] === '1' || Number((r[7] ?? '').split(',')[0] || 0) > 0 || (r[8] ?? '') !== '';
}

const files = haveCorpus
  ? [
    ...readdirSync(REAL).filter((f) => /\.pcap(ng)?$/.test(f)).sort(),
    // Larger than the reader's 1 MiB chunks: stored data must not alias a reused read buffer.
    ...(existsSync(BIG) ? readdirSync(BIG).filter((f) => /\.pcap(ng)?$/.test(f)).sort().map((f) => `../big/${f}`) : []),
  ]
  : [];

describe.skipIf(!haveTshark)('follow raw equals tshark follow,tcp,raw and follow,udp,raw; stream numbers equal tcp.stream/udp.stream', () => {
  for (const f of files) {
    it(f, async () => {
      const path = join(REAL, f);
      const fields = tshark(['-r', path, '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.len', '-e', 'udp.stream', '-e', 'udp.length', '-e', 'icmp.type', '-e', 'icmpv6.type',
        '-e', 'ip.flags.mf', '-e', 'ip.frag_offset', '-e', 'ipv6.fraghdr.nxt']);
      const rows = fields.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
      const { t, tcpOf, udpOf, indexOf } = await track(path);
      expect(indexOf).toEqual(tcpOf.map((n, i) => (n >= 0 ? n : udpOf[i]! >= 0 ? -2 - udpOf[i]! : -1)));
      // tcp.stream / udp.stream of every frame (tshark also numbers headers quoted inside ICMP errors: skip those frames).
      const mismatch: string[] = [];
      for (let i = 0; i < rows.length; i++) {
        const [ts, , us, , icmp, icmp6] = rows[i]!;
        if (icmp || icmp6) continue;
        const frag = isFragment(rows[i]!);
        const wantTcp = ts ? Number(ts.split(',')[0]) : -1;
        if (wantTcp !== tcpOf[i]) mismatch.push(`frame ${i + 1}: tcp.stream tshark ${wantTcp} ours ${tcpOf[i]}`);
        const wantUdp = us ? Number(us.split(',')[0]) : -1;
        if (!frag && wantUdp !== udpOf[i]) mismatch.push(`frame ${i + 1}: udp.stream tshark ${wantUdp} ours ${udpOf[i]}`);
      }
      expect(mismatch.slice(0, 5)).toEqual([]);
      // UDP conversations with data (IP-fragmented datagrams are whole in tshark and first fragments in ours).
      const fragmented = new Set(rows.filter((r) => r[2] && isFragment(r)).map((r) => Number(r[2])));
      const udpData = [...new Set(rows.filter((r) => r[2] && Number(r[3]) > 8 && !r[4] && !r[5]).map((r) => Number(r[2])))]
        .filter((n) => !fragmented.has(n));
      for (let k = 0; k < udpData.length; k += 64) {
        const batch = udpData.slice(k, k + 64);
        const parsed = parseFollowRaw(tshark(['-r', path, '-q', ...batch.flatMap((n) => ['-z', `follow,udp,raw,${n}`])]));
        for (const n of batch) {
          const want = parsed.get(n)!;
          const got = ours(t, n, true);
          expect(got.client.equals(want.client), `${f} udp ${n} client`).toBe(true);
          expect(got.server.equals(want.server), `${f} udp ${n} server`).toBe(true);
        }
      }
      const withData = new Set<number>();
      for (const r of rows) if (r[0] && Number(r[1]) > 0) withData.add(Number(r[0]));
      const streams = [...withData].sort((a, b) => a - b);
      for (let k = 0; k < streams.length; k += 64) {
        const batch = streams.slice(k, k + 64);
        const z = batch.flatMap((n) => ['-z', `follow,tcp,raw,${n}`]);
        const parsed = parseFollowRaw(tshark(['-r', path, '-q', ...z]));
        for (const n of batch) {
          const want = parsed.get(n);
          expect(want, `tshark stream ${n}`).toBeDefined();
          const got = ours(t, n, false);
          expect(got.client.equals(want!.client), `${f} stream ${n} client (${got.client.length} vs ${want!.client.length})`).toBe(true);
          expect(got.server.equals(want!.server), `${f} stream ${n} server (${got.server.length} vs ${want!.server.length})`).toBe(true);
        }
      }
      for (let n = 0; n < t.tcpCount; n++) {
        if (withData.has(n)) continue;
        const got = ours(t, n, false);
        expect(got.client.length + got.server.length, `${f} stream ${n} has no data in tshark`).toBe(0);
      }
    });
  }
});


describe.skipIf(!haveTshark)('wiretop follow (runFollow) on real captures', () => {
  const cases: [string, number][] = [
    ['eth_http_range_ooo_retrans.pcap', 0],
    ['eth_tcp_retrans_lost_segments.pcap', 0],
    ['dns_tcp.pcap', 0],
  ];
  for (const [f, n] of cases) {
    for (const dir of ['client', 'server'] as const) {
      it(`${f} --stream ${n} --format raw --direction ${dir}`, async () => {
        const path = join(REAL, f);
        const io = new MemIo();
        const code = await runFollow(['-r', path, '--stream', String(n), '--format', 'raw', '--direction', dir], io);
        expect(code).toBe(0);
        const want = parseFollowRaw(tshark(['-r', path, '-q', '-z', `follow,tcp,raw,${n}`])).get(n)!;
        expect(io.out.equals(dir === 'client' ? want.client : want.server)).toBe(true);
      });
    }
  }

  it('errors are one line and exit 1', async () => {
    const io = new MemIo();
    expect(await runFollow(['-r', join(REAL, 'dns_tcp.pcap'), '--stream', '99'], io)).toBe(1);
    expect(io.errors).toHaveLength(1);
    expect(io.errors[0]).toMatch(/no tcp stream 99/);
    const io2 = new MemIo();
    expect(await runFollow(['-r', '/nonexistent.pcap', '--stream', '0'], io2)).toBe(1);
    expect(io2.errors).toHaveLength(1);
    expect(io2.errors[0]).not.toMatch(/\n/);
    const io3 = new MemIo();
    expect(await runFollow(['-r', 'x', '--stream', 'abc'], io3)).toBe(1);
    expect(io3.errors[0]).toMatch(/--stream/);
  });
});
