import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openFileSource } from '../../src/capture/file-source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { detectApp } from '../../src/dissect/detect.js';
import { dissectPacket } from '../../src/dissect/dissect.js';
import { dissectDns } from '../../src/dissect/dns.js';
import { httpMessages } from '../../src/dissect/http.js';
import { dissectTls } from '../../src/dissect/tls.js';
import { packetTree } from '../../src/dissect/tree.js';
import { packetInfoLine } from '../../src/dissect/info.js';
import { StreamTracker } from '../../src/streams/stream-tracker.js';
import { ChunkKind } from '../../src/streams/chunk.js';
import type { TcpStream } from '../../src/streams/streams.js';

const PCAPS = join(process.cwd(), '..', 'shared', 'pcaps');
const REAL = join(PCAPS, 'real');
const MALFORMED = join(PCAPS, 'malformed');
const haveCorpus = existsSync(REAL);
const haveTshark = haveCorpus && spawnSync('tshark', ['-v']).status === 0;
const list = (d: string): string[] => (existsSync(d) ? readdirSync(d).filter((f) => /\.pcap(ng)?$/.test(f)).sort() : []);

const COLS = [
  'frame.number', 'tcp.stream', 'icmp.type', 'icmpv6.type', 'ip.flags.mf', 'ip.frag_offset', 'ipv6.fraghdr.nxt',
  'dns.qry.name', 'dns.a', 'http.request.method', 'http.request.uri', 'http.host', 'http.response.code',
  'tls.handshake.type', 'tls.handshake.extensions_server_name', 'tls.handshake.ja3', 'tls.handshake.ja3_full',
  'dhcp.option.hostname', 'ntp.stratum', 'ssh.protocol',
] as const;
type Row = Record<(typeof COLS)[number], string>;

/** One tshark pass per file: every field the tests compare, one row per frame. */
function tsharkRows(path: string): Row[] {
  const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-E', 'aggregator=|', ...COLS.flatMap((n) => ['-e', n])], {
    encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l !== '').map((l) => {
    const v = l.split('\t');
    return Object.fromEntries(COLS.map((c, i) => [c, v[i] ?? ''])) as Row;
  });
}

interface Ours {
  dnsNames: Map<number, string>;
  dnsA: Map<number, string>;
  small: Map<number, [string, string, string]>;
  t: StreamTracker;
}

/** One decode pass per file: per-frame DNS names and A records, DHCP/NTP/SSH values, and the streams. */
async function scan(path: string): Promise<Ours> {
  const dec = new Decoder();
  const p = new DecodedPacket();
  const t = new StreamTracker({ streamBytes: 1 << 22, totalBytes: 1 << 28 });
  const o: Ours = { dnsNames: new Map(), dnsA: new Map(), small: new Map(), t };
  let frame = 0;
  await openFileSource({ path }).start((r) => {
    frame++;
    dec.decode(r, p);
    t.onPacket(p);
    const app = detectApp(p);
    if (app === Proto.Dns || app === Proto.Mdns || app === Proto.Llmnr) {
      const d = dissectDns(p.buf, p.payloadOff, p.payloadLen, p.ipProto === 6);
      if (d && d.questions.length > 0) o.dnsNames.set(frame, d.questions.map((q) => q.name).join('|'));
      const a = d ? [...d.answers, ...d.authorities, ...d.additionals].filter((x) => x.typeCode === 1).map((x) => x.data) : [];
      if (a.length) o.dnsA.set(frame, a.join('|'));
    }
    const a = dissectPacket(p);
    o.small.set(frame, [
      a?.proto === 'dhcp' ? a.hostname ?? '' : '',
      a?.proto === 'ntp' ? String(a.stratum) : '',
      a?.proto === 'ssh' ? a.banner : '',
    ]);
  });
  return o;
}

const cache = new Map<string, Promise<{ rows: Row[]; ours: Ours }>>();
function both(f: string): Promise<{ rows: Row[]; ours: Ours }> {
  let c = cache.get(f);
  if (!c) {
    const path = join(REAL, f);
    c = scan(path).then((ours) => ({ rows: tsharkRows(path), ours }));
    cache.set(f, c);
  }
  return c;
}

function clientBytes(s: TcpStream, dir: 0 | 1 = 0): Uint8Array {
  return Buffer.concat(s.chunks(dir === 0 ? 'client' : 'server').filter((c) => c.kind === ChunkKind.Data).map((c) => c.data));
}

/** Frames whose DNS tshark only saw after IP reassembly, or quoted inside ICMP errors. */
const skipDns = (r: Row): boolean =>
  r['icmp.type'] !== '' || r['icmpv6.type'] !== '' || r['ip.flags.mf'].split('|')[0] === '1' ||
  Number(r['ip.frag_offset'].split('|')[0] || 0) > 0 || r['ipv6.fraghdr.nxt'] !== '';

describe.skipIf(!haveTshark)('dissected fields equal tshark -T fields', () => {
  it('dns.qry.name per frame (UDP and TCP, mDNS, LLMNR)', async () => {
    let compared = 0;
    const missing: string[] = [];
    for (const f of list(REAL)) {
      const { rows, ours } = await both(f);
      for (const r of rows) {
        if (r['dns.qry.name'] === '' || skipDns(r)) continue;
        const got = ours.dnsNames.get(Number(r['frame.number']));
        if (got === undefined) missing.push(`${f}#${r['frame.number']} ${r['dns.qry.name']}`);
        else {
          expect(got, `${f} frame ${r['frame.number']}`).toBe(r['dns.qry.name']);
          compared++;
        }
      }
    }
    expect(missing).toEqual([]);
    expect(compared).toBeGreaterThan(400);
  });

  it('dns.a per frame', async () => {
    let compared = 0;
    for (const f of list(REAL)) {
      const { rows, ours } = await both(f);
      for (const r of rows) {
        if (r['dns.a'] === '' || skipDns(r)) continue;
        expect(ours.dnsA.get(Number(r['frame.number'])), `${f} frame ${r['frame.number']}`).toBe(r['dns.a']);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('http.host, method and URI per stream from reassembled client bytes', async () => {
    let compared = 0;
    for (const f of list(REAL)) {
      const { rows, ours } = await both(f);
      const want = new Map<number, string[]>();
      for (const r of rows) {
        if (r['http.request.method'] === '' || r['tcp.stream'] === '') continue;
        const s = Number(r['tcp.stream']);
        want.set(s, [...(want.get(s) ?? []), `${r['http.request.method']} ${r['http.request.uri']} ${r['http.host']}`]);
      }
      for (const [s, reqs] of want) {
        const got = httpMessages(clientBytes(ours.t.tcp[s]!)).filter((m) => m.kind === 'request').map((m) => `${m.method} ${m.uri} ${m.host ?? ''}`);
        expect(got, `${f} stream ${s}`).toEqual(reqs);
        compared += reqs.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('http.response.code per stream from reassembled server bytes', async () => {
    let compared = 0;
    for (const f of list(REAL)) {
      const { rows, ours } = await both(f);
      const want = new Map<number, number[]>();
      for (const r of rows) {
        if (r['http.response.code'] === '' || r['tcp.stream'] === '') continue;
        const s = Number(r['tcp.stream']);
        want.set(s, [...(want.get(s) ?? []), Number(r['http.response.code'])]);
      }
      for (const [s, codes] of want) {
        // tshark reports a response only once its body is reassembled; a capture may end inside the last one.
        const got = httpMessages(clientBytes(ours.t.tcp[s]!, 1)).filter((m) => m.kind === 'response' && m.bodyComplete !== false).map((m) => m.status);
        expect(got, `${f} stream ${s}`).toEqual(codes);
        compared += codes.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('tls SNI and JA3 per stream equal tshark; JA4 is well-formed', async () => {
    let compared = 0;
    for (const f of list(REAL)) {
      const { rows, ours } = await both(f);
      for (const r of rows) {
        if (!r['tls.handshake.type'].split('|').includes('1') || r['tcp.stream'] === '') continue;
        const s = Number(r['tcp.stream']);
        const ch = dissectTls(clientBytes(ours.t.tcp[s]!), 0, 1 << 20)?.clientHello;
        expect(ch, `${f} stream ${s}`).toBeDefined();
        expect(ch!.sni ?? '', `${f} stream ${s} SNI`).toBe(r['tls.handshake.extensions_server_name']);
        expect(ch!.ja3, `${f} stream ${s} JA3 full`).toBe(r['tls.handshake.ja3_full']);
        expect(ch!.ja3Hash, `${f} stream ${s} JA3`).toBe(r['tls.handshake.ja3']);
        expect(ch!.ja4).toMatch(/^t1[0-3][di]\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3);
  });

  it('ssh.protocol, dhcp.option.hostname, ntp.stratum per frame', async () => {
    const names = ['dhcp.option.hostname', 'ntp.stratum', 'ssh.protocol'] as const;
    let compared = 0;
    for (const f of list(REAL)) {
      const { rows, ours } = await both(f);
      for (const r of rows) {
        const got = ours.small.get(Number(r['frame.number']))!;
        names.forEach((n, i) => {
          if (r[n] === '' || r['icmp.type'] !== '') return;
          expect(got[i], `${f} frame ${r['frame.number']} ${n}`).toBe(r[n]);
          compared++;
        });
      }
    }
    expect(compared).toBeGreaterThan(3);
  });
});

describe.skipIf(!haveCorpus)('malformed captures never crash a dissector', () => {
  for (const f of list(MALFORMED)) {
    it(f, async () => {
      const path = join(MALFORMED, f);
      const dec = new Decoder();
      const p = new DecodedPacket();
      const t = new StreamTracker();
      try {
        await openFileSource({ path }).start((r) => {
          dec.decode(r, p);
          t.onPacket(p);
          const a = dissectPacket(p);
          packetTree(p, a);
          packetInfoLine(p, a);
        });
      } catch (e) {
        // The reader may reject a broken file; that is the reader's business, not a dissector crash.
        expect((e as Error).constructor.name).toBe('CaptureError');
      }
      for (const s of t.tcp) {
        if (!s) continue;
        expect(() => httpMessages(clientBytes(s))).not.toThrow();
        expect(() => httpMessages(clientBytes(s, 1))).not.toThrow();
        const b = clientBytes(s);
        expect(() => dissectTls(b, 0, b.length)).not.toThrow();
      }
    });
  }
});
