import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { openFileSource } from '../../src/capture/file-source.js';
import { PacketRecord } from '../../src/capture/record.js';
import { Proto } from '../../src/decode/protocols.js';
import { Engine } from '../../src/engine/engine.js';
import { compileFilter, createFilterContext } from '../../src/filter/index.js';
import { setupDissection } from '../../src/dissect/setup.js';
import { PacketClassifier } from '../../src/dissect/packet-classifier.js';
import { ProtoPaths } from '../../src/decode/proto-paths.js';
import { frame, ingestFrames, type FrameSpec } from '../streams/pcap-build.js';
import { pkt, srv } from '../streams/packets.js';
import { clientHelloRecord, serverHelloRecord, sniExt } from './tls-builder.js';

const have = (f: string): boolean => existsSync(`fixtures/${f}`);

/** Packets per application protocol in the engine's hierarchy (paths containing it). */
function hierarchy(e: Engine): Record<'dns' | 'http' | 'tls', number> {
  const out = { dns: 0, http: 0, tls: 0 };
  const codes = [['dns', Proto.Dns], ['http', Proto.Http], ['tls', Proto.Tls]] as const;
  for (let id = 1; id < e.paths.size; id++) {
    const n = e.protos.packets[id] ?? 0;
    for (const [name, code] of codes) if (e.paths.contains(id, code)) out[name] += n;
  }
  return out;
}

async function runFile(file: string, filter?: string): Promise<Engine> {
  const e = new Engine({ rates: false, idleTimeoutSec: 0 });
  setupDissection(e);
  if (filter !== undefined) e.setDisplayFilter(compileFilter(filter, createFilterContext({ paths: e.paths })).match, filter);
  await openFileSource({ path: `fixtures/${file}` }).start((r) => e.ingest(r));
  return e;
}

function runFrames(frames: Uint8Array[], filter?: string): Engine {
  const e = new Engine({ rates: false, idleTimeoutSec: 0 });
  setupDissection(e);
  if (filter !== undefined) e.setDisplayFilter(compileFilter(filter, createFilterContext({ paths: e.paths })).match, filter);
  ingestFrames(e, frames);
  return e;
}

const C: Pick<FrameSpec, 'src' | 'dst'> = { src: [10, 0, 0, 1], dst: [10, 0, 0, 2] };
const S: Pick<FrameSpec, 'src' | 'dst'> = { src: [10, 0, 0, 2], dst: [10, 0, 0, 1] };
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** A DNS query for `name` (one question, type A). */
function dnsQuery(name: string, id = 0x1234): Uint8Array {
  const q: number[] = [];
  for (const l of name.split('.')) q.push(l.length, ...Buffer.from(l));
  return new Uint8Array([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...q, 0, 0, 1, 0, 1]);
}

// Counts from tshark 4.0.17: `tshark -r fixtures/F -Y EXPR | wc -l`.
const TSHARK: [string, string, number][] = [
  ['dns.pcap', 'dns', 14],
  ['dns.pcap', 'http', 0],
  ['dns.pcap', 'tls', 0],
  ['dns.pcap', 'dns.qry.name contains "example"', 12],
  ['http.pcap', 'http', 6],
  ['http.pcap', 'dns', 0],
  ['http.pcap', 'http.request.method == "GET"', 2],
  ['tls-sni.pcap', 'tls', 16],
  ['tls-sni.pcap', 'http', 0],
  ['tls-sni.pcap', 'tls.handshake.extensions_server_name == "api.github.com"', 1],
];

describe.skipIf(!have('dns.pcap') || !have('http.pcap') || !have('tls-sni.pcap'))('per-packet protocols on the fixtures (tshark 4.0 counts)', () => {
  it.each([
    ['dns.pcap', { dns: 14, http: 0, tls: 0 }],
    ['http.pcap', { dns: 0, http: 6, tls: 0 }],
    ['tls-sni.pcap', { dns: 0, http: 0, tls: 16 }],
  ] as const)('%s: hierarchy counts equal tshark -z io,phs', async (file, want) => {
    const e = await runFile(file);
    expect(hierarchy(e)).toEqual(want);
  });

  it.each(TSHARK)('%s: -Y %s through the engine', async (file, expr, n) => {
    const e = await runFile(file, expr);
    expect(e.packets).toBe(n);
  });
});

describe('per-packet classifier', () => {
  it('finds TLS on 8443, HTTP on 8080, DNS on 5300 by their bytes', () => {
    const hello = clientHelloRecord({ ciphers: [0x1301, 0xc02f], extensions: [sniExt('example.org')] });
    const frames = [
      frame({ ...C, sport: 50000, dport: 8443, seq: 1, data: hello }),
      frame({ ...S, sport: 8443, dport: 50000, seq: 1, data: serverHelloRecord(0x1301) }),
      frame({ ...C, sport: 50001, dport: 8080, seq: 1, data: bytes('GET /x HTTP/1.1\r\nHost: a\r\n\r\n') }),
      frame({ ...C, sport: 50002, dport: 5300, udp: true, data: dnsQuery('www.example.com') }),
    ];
    expect(hierarchy(runFrames(frames))).toEqual({ dns: 1, http: 1, tls: 2 });
    expect(runFrames(frames, 'tls.handshake.extensions_server_name == "example.org"').packets).toBe(1);
    expect(runFrames(frames, 'http.request.method == "GET"').packets).toBe(1);
    expect(runFrames(frames, 'dns.qry.name contains "example"').packets).toBe(1);
    expect(runFrames(frames, 'tls || http || dns').packets).toBe(4);
  });

  it('mDNS and LLMNR are not dns (tshark: mdns, llmnr) but carry dns.* fields; NBNS is neither', () => {
    const frames = [
      frame({ ...C, sport: 5353, dport: 5353, udp: true, data: dnsQuery('printer.local') }),
      frame({ ...C, sport: 50000, dport: 5355, udp: true, data: dnsQuery('host') }),
      frame({ ...C, sport: 137, dport: 137, udp: true, data: dnsQuery('EBEFEBEF') }),
      frame({ ...C, sport: 50001, dport: 53, udp: true, data: dnsQuery('example.com') }),
    ];
    expect(hierarchy(runFrames(frames)).dns).toBe(1);
    expect(runFrames(frames, 'dns').packets).toBe(1);
    expect(runFrames(frames, 'dns.qry.name').packets).toBe(3);
  });

  it('TLS: a segment is tls when a record starts it or ends in it, not in the middle', () => {
    const pc = new PacketClassifier(new ProtoPaths());
    const rec = new Uint8Array(5 + 3000);
    rec.set([23, 3, 3, 3000 >> 8, 3000 & 0xff]);
    const tail = new Uint8Array([23, 3, 3, 0, 2, 0xaa, 0xbb]);
    const data = new Uint8Array([...rec, ...tail]);
    const segs = [data.subarray(0, 1400), data.subarray(1400, 2800), data.subarray(2800)];
    let seq = 1;
    const got = segs.map((d) => {
      const p = srv({ sport: 443, dport: 40000, seq, data: d });
      seq += d.length;
      pc.onPacket(p);
      return p.topProto;
    });
    expect(got).toEqual([Proto.Tls, 0, Proto.Tls]);
    // A retransmission of consumed bytes is not marked; a pure ACK is not either.
    const re = srv({ sport: 443, dport: 40000, seq: 1401, data: segs[1] });
    pc.onPacket(re);
    expect(re.topProto).toBe(0);
  });

  it('HTTP: a response whose body spans segments is http in the last one, with its fields there', () => {
    const body = 'x'.repeat(3000);
    const resp = bytes(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const req = bytes('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    const frames = [frame({ ...C, sport: 40000, dport: 80, seq: 1, data: req })];
    for (let o = 0, seq = 1; o < resp.length; o += 1400) {
      const d = resp.subarray(o, Math.min(resp.length, o + 1400));
      frames.push(frame({ ...S, sport: 80, dport: 40000, seq, data: d }));
      seq += d.length;
    }
    expect(frames.length).toBe(4);
    expect(hierarchy(runFrames(frames)).http).toBe(2);
    const e = runFrames(frames, 'http.response.code == 200');
    expect(e.packets).toBe(1);
    expect(runFrames(frames, 'http.content_type contains "text"').packets).toBe(1);
  });

  it('HTTP: chunked bodies end at the last chunk; data after a message is a continuation', () => {
    const pc = new PacketClassifier(new ProtoPaths());
    const parts = ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n', '6\r\n world\r\n0\r\n\r\n', 'garbage'];
    let seq = 1;
    const got = parts.map((s) => {
      const p = srv({ seq, data: s });
      seq += s.length;
      pc.onPacket(p);
      return p.topProto;
    });
    expect(got).toEqual([0, Proto.Http, Proto.Http]);
  });

  it('DNS over TCP: marked where a length-prefixed message ends', () => {
    const pc = new PacketClassifier(new ProtoPaths());
    const q = dnsQuery('example.com');
    const msg = new Uint8Array([0, q.length, ...q]);
    const a = pkt({ dport: 53, seq: 1, data: msg.subarray(0, 20) });
    const b = pkt({ dport: 53, seq: 21, data: msg.subarray(20) });
    pc.onPacket(a);
    pc.onPacket(b);
    expect([a.topProto, b.topProto]).toEqual([0, Proto.Dns]);
  });

  it('setupDissection installs the hook once and detach removes it', () => {
    const e = new Engine();
    const d = setupDissection(e);
    expect(e.classify).toBe(d.packets!.classify);
    // Labels and streams get the engine's packets until detached.
    const hello1 = clientHelloRecord({ ciphers: [0x1301], extensions: [sniExt('one.example')] });
    const ingest = (sport: number): void => {
      const r = new PacketRecord();
      r.buf = frame({ ...C, sport, dport: 443, seq: 1, data: hello1 });
      r.capLen = r.origLen = r.buf.length;
      e.ingest(r);
    };
    ingest(50001);
    expect([d.classifier.classifiedFlows, d.streams.tcpCount]).toEqual([1, 1]);
    d.detach();
    expect(e.classify).toBe(null);
    ingest(50002);
    expect([d.classifier.classifiedFlows, d.streams.tcpCount]).toEqual([1, 1]);
    // Without the per-packet classifier, protocol filters fall back to the payload (detectApp).
    const e2 = new Engine();
    const off = setupDissection(e2, { classifyPackets: false });
    expect(off.packets).toBe(null);
    expect(e2.classify).toBe(null);
    const hello = clientHelloRecord({ ciphers: [0x1301], extensions: [sniExt('a.example')] });
    const f = compileFilter('tls', createFilterContext({ paths: e2.paths }));
    const r = new PacketRecord();
    r.buf = frame({ ...C, sport: 50000, dport: 443, seq: 1, data: hello });
    r.capLen = r.origLen = r.buf.length;
    let matched = 0;
    e2.addPreFilterObserver({ onPacket: (p) => { if (f.match(p)) matched++; } });
    e2.ingest(r);
    expect(matched).toBe(1);
  });

  // Directions of flows the engine holds are kept by flow slot; the first packet of a flow (not held yet) by 4-tuple.
  describe('state by flow slot', () => {
    /** A TLS record of 3000 bytes on 8443 (no port fallback) split over three segments: tls, -, tls. */
    const rec = new Uint8Array(5 + 3000);
    rec.set([23, 3, 3, 3000 >> 8, 3000 & 0xff]);
    const segs = [rec.subarray(0, 1400), rec.subarray(1400, 2800), rec.subarray(2800)];
    const conn = (sport: number): Uint8Array[] => segs.map((d, i) => frame({ ...S, sport: 8443, dport: sport, seq: 1 + i * 1400, data: d }));

    it('a connection seen from mid-stream carries its first packet\'s state over to its flow, also under a display filter', () => {
      expect(hierarchy(runFrames(conn(40000))).tls).toBe(2);
      // Under `tls` the flow is created only by the first (tls) packet; the middle one is kept out, the last counted.
      expect(runFrames(conn(40000), 'tls').packets).toBe(2);
    });

    it('a flow slot taken by a new flow starts afresh', () => {
      const e = new Engine({ rates: false, idleTimeoutSec: 0, maxFlows: 1 });
      setupDissection(e);
      // Flow A leaves its record open in its slot (205 bytes to go from seq 2801); flow B evicts A, takes
      // the slot, and sends 205 zero bytes at seq 2801: A's state would end the record there and mark it tls.
      const frames = [
        ...conn(40000).slice(0, 2),
        frame({ ...S, sport: 8443, dport: 40001, seq: 5000, data: new Uint8Array(10) }),
        frame({ ...S, sport: 8443, dport: 40001, seq: 2801, data: new Uint8Array(205) }),
      ];
      ingestFrames(e, frames);
      expect(e.flows.evicted).toBe(1);
      expect(hierarchy(e).tls).toBe(1);
    });
  });
});
