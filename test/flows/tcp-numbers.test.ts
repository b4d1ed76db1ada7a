/**
 * TcpNumbers (relative seq/ack and calculated window as tshark shows them) and how the dashboard
 * keeps them: with each packet in the ring, so they stay right when the ring no longer holds a
 * connection's first packets, after a display filter replays the ring, and after flow slots are reused.
 */
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { PacketRing } from '../../src/capture/packet-ring.js';
import { PacketRecord } from '../../src/capture/record.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Engine } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';
import { compileFilter, createFilterContext } from '../../src/filter/index.js';
import { TcpRelativeSeq } from '../../src/filter/tcp-rel.js';
import { TCP } from '../../src/fixtures-gen/packet-builder.js';
import { shownWindow, TcpNumbers } from '../../src/flows/tcp-numbers.js';
import { PacketStore } from '../../src/ui/store/packet-store.js';
import { tempFiles } from '../capture/temp-files.js';
import { frames, pcapOf, type Seg } from './tcp-scenarios.js';

const { SYN: S, ACK: A, PSH: P } = TCP;
const tmp = tempFiles('wiretop-tcpnum-unit-');
const clock: RuntimeClock = { now: () => 0, setInterval: () => 0, clearInterval: () => {} };

/** `seq ack window` per frame of `list`, one TcpNumbers over all of them ('-' without TCP numbers). */
function numbers(list: readonly Uint8Array[], t = new TcpNumbers()): string[] {
  const d = new Decoder();
  const p = new DecodedPacket();
  const r = new PacketRecord();
  return list.map((f) => {
    r.buf = f;
    r.off = 0;
    r.capLen = r.origLen = f.length;
    r.linkType = 1;
    d.decode(r, p);
    t.observe(p);
    return t.tcpSeq < 0 ? '-' : `${t.tcpSeq} ${t.tcpAck} ${shownWindow(p, t.tcpScale)}`;
  });
}

/** A handshake with window scaling (client shift 7, server 2), then data both ways. */
const handshake = (sport: number, isn = 100, sisn = 500): Seg[] => [
  ['c', S, isn, 0, 1000, 7], ['s', S | A, sisn, isn + 1, 2000, 2], ['c', A, isn + 1, sisn + 1, 300], ['s', A | P, sisn + 1, isn + 1, 400, undefined, 10],
  ['c', A, isn + 1, sisn + 11, 300],
];

async function dashboard(path: string, opts: { ringBytes?: number; maxFlows?: number } = {}) {
  const engine = new Engine({ maxFlows: opts.maxFlows });
  const ring = new PacketRing({ bytes: opts.ringBytes ?? 1 << 20 });
  // As the dashboard session compiles them: tcp.seq/tcp.ack read the engine's numbers.
  const compileDisplayFilter = (text: string) => {
    const f = compileFilter(text, createFilterContext({ tcpRel: new TcpRelativeSeq(engine.tcp) }));
    return (p: DecodedPacket) => f.match(p);
  };
  const runtime = new Runtime({ engine, source: openFileSource({ path }), clock, ring, compileDisplayFilter });
  const store = new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame);
  engine.addObserver(store);
  await runtime.start();
  runtime.stop();
  const info = (id: string | null = null): string[] => store.view(id)!.summaries.map((s) => `${s.no} ${s.info}`);
  return { engine, runtime, ring, store, info };
}

describe('TcpNumbers', () => {
  it('counts from the SYN: Seq=0 on it, Ack relative to the other direction, windows scaled after the handshake', () => {
    expect(numbers(frames(1000, handshake(1000)))).toEqual(['0 0 1000', '0 1 2000', '1 1 38400', '1 1 1600', '1 11 38400']);
  });

  it('wraps around 2^32: a SYN at 0xffffffff (a real seq, not "absent") and data across the wrap', () => {
    const list = frames(1001, [['c', S, 0xffffffff, 0, 1000], ['s', S | A, 0xfffffff0, 0, 2000], ['c', A | P, 0, 0xfffffff1, 300, undefined, 100],
      ['s', A, 0xfffffff1, 100, 500], ['c', A | P, 100, 0xfffffff1, 300, undefined, 100]]);
    expect(numbers(list)).toEqual(['0 0 1000', '0 1 2000', '1 1 300', '1 101 500', '101 1 300']);
  });

  it('a capture that starts mid-connection shows Seq=1 Ack=1 on its first segment, and raw windows (no handshake seen)', () => {
    const list = frames(1002, [['c', A | P, 0x7ffffff0, 0x10, 300, undefined, 50], ['s', A, 0x10, 0x80000022, 500], ['c', A | P, 0x80000022, 0x10, 301, undefined, 50]]);
    expect(numbers(list)).toEqual(['1 1 300', '1 51 500', '51 1 301']);
  });

  it('a new SYN on the same ports (port reuse) starts the numbers and scales afresh', () => {
    const list = frames(1003, [...handshake(1003), ['c', S, 9000, 0, 1000], ['s', S | A, 7000, 9001, 2000], ['c', A, 9001, 7001, 300]]);
    expect(numbers(list).slice(5)).toEqual(['0 0 1000', '0 1 2000', '1 1 300']);
  });

  it('a connection pushed out of a full table restarts as if seen mid-connection; no other connection takes its numbers', () => {
    const t = new TcpNumbers(4); // one set of four connections
    const first = frames(2000, handshake(2000));
    expect(numbers(first.slice(0, 3), t)).toEqual(['0 0 1000', '0 1 2000', '1 1 38400']);
    for (let i = 1; i <= 4; i++) numbers(frames(2000 + i, handshake(2000 + i, 10_000 * i, 20_000 * i)), t);
    expect(numbers(first.slice(3), t)).toEqual(['1 1 400', '1 11 300']);
  });

  it('non-TCP and truncated TCP packets have no numbers', () => {
    const cut = frames(1004, [['c', A, 5, 5, 300]])[0]!.subarray(0, 14 + 20 + 10);
    expect(numbers([cut])).toEqual(['-']);
  });
});

describe('TCP numbers in the dashboard', () => {
  it('packets keep their numbers when the ring no longer holds the SYN, and after a display filter replays the ring', async () => {
    const data: Seg[] = [];
    for (let i = 0; i < 60; i++) data.push(['c', A | P, 101 + i * 1000, 501, 300, undefined, 1000]);
    const path = tmp.file('long.pcap', pcapOf(frames(3000, [...handshake(3000).slice(0, 3), ...data])));
    const { engine, ring, runtime, info } = await dashboard(path, { ringBytes: 32 << 10 });
    expect(ring.evicted()).toBeGreaterThan(0);
    const last = info().at(-1)!;
    expect(last).toBe('63 3000 → 80 [PSH, ACK] Seq=59001 Ack=1 Win=38400 Len=1000');
    runtime.setDisplayFilter('tcp.flags.syn == 0');
    expect(info().at(-1)).toBe(last);
    // The conversation detail's packets were counted again from the ring: theirs too.
    runtime.setFocus(engine.snapshot().conversations[0]!.id);
    const recent = runtime.getSnapshot().focus!.recentPackets.map((r) => r.info);
    expect(recent.length).toBeGreaterThan(10);
    expect(recent).toEqual(info().slice(-recent.length).map((l) => l.slice(l.indexOf(' ') + 1)));
    // A filter on tcp.seq re-applied to the ring sees the numbers shown, not ones counted from the ring's oldest packet.
    runtime.setDisplayFilter('tcp.seq == 59001');
    expect(info()).toEqual([last]);
  });

  it('after flow eviction and slot reuse, each packet still shows its own connection\'s numbers', async () => {
    // maxFlows 1: each new connection takes the only slot; the ring still holds the older ones' packets.
    const path = tmp.file('reuse.pcap', pcapOf([...frames(4001, handshake(4001, 100, 500)), ...frames(4002, handshake(4002, 7000, 9000)), ...frames(4001, [['c', A, 101, 511, 300]])]));
    const { engine, info } = await dashboard(path, { maxFlows: 1 });
    expect(engine.flows.count).toBe(1);
    expect(info()).toEqual([
      '1 4001 → 80 [SYN] Seq=0 Win=1000 Len=0 MSS=1460 WS=128', '2 80 → 4001 [SYN, ACK] Seq=0 Ack=1 Win=2000 Len=0 MSS=1460 WS=4', '3 4001 → 80 [ACK] Seq=1 Ack=1 Win=38400 Len=0',
      '4 80 → 4001 [PSH, ACK] Seq=1 Ack=1 Win=1600 Len=10', '5 4001 → 80 [ACK] Seq=1 Ack=11 Win=38400 Len=0',
      '6 4002 → 80 [SYN] Seq=0 Win=1000 Len=0 MSS=1460 WS=128', '7 80 → 4002 [SYN, ACK] Seq=0 Ack=1 Win=2000 Len=0 MSS=1460 WS=4', '8 4002 → 80 [ACK] Seq=1 Ack=1 Win=38400 Len=0',
      '9 80 → 4002 [PSH, ACK] Seq=1 Ack=1 Win=1600 Len=10', '10 4002 → 80 [ACK] Seq=1 Ack=11 Win=38400 Len=0',
      // the first connection again, in a reused slot: still its own bases and scale
      '11 4001 → 80 [ACK] Seq=1 Ack=11 Win=38400 Len=0',
    ]);
    const conv = engine.snapshot().conversations[0]!;
    expect(info(conv.id)).toEqual(['11 4001 → 80 [ACK] Seq=1 Ack=11 Win=38400 Len=0']);
  });

  it('the conversation detail shows relative numbers and the calculated window', async () => {
    const path = tmp.file('detail.pcap', pcapOf(frames(5001, handshake(5001, 0xfffffff0, 77))));
    const { engine, runtime } = await dashboard(path);
    runtime.setFocus(engine.snapshot().conversations[0]!.id);
    expect(runtime.getSnapshot().focus!.recentPackets.map((r) => r.info)).toEqual([
      '5001 → 80 [SYN] Seq=0 Win=1000 Len=0', '80 → 5001 [SYN, ACK] Seq=0 Ack=1 Win=2000 Len=0', '5001 → 80 [ACK] Seq=1 Ack=1 Win=38400 Len=0',
      '80 → 5001 [PSH, ACK] Seq=1 Ack=1 Win=1600 Len=10', '5001 → 80 [ACK] Seq=1 Ack=11 Win=38400 Len=0',
    ]);
  });
});
