import { describe, expect, it } from 'vitest';
import { PacketRecord } from '../../src/capture/record.js';
import { newStatus, type PacketSource, type SourceEnd } from '../../src/capture/source.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { Engine } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';
import { fill, type PktSpec } from '../flows/make-packet.js';
import { gcsDuring } from '../helpers/gc-count.js';

function setup(opts: ConstructorParameters<typeof Engine>[0] = {}) {
  const e = new Engine(opts);
  const ip = e.paths.child(e.paths.child(0, Proto.Eth), Proto.IPv4);
  const tcp = e.paths.child(ip, Proto.Tcp);
  const p = new DecodedPacket();
  const send = (s: PktSpec) => e.ingestDecoded(fill(p, { pathId: tcp, ...s }));
  return { e, send };
}

/** A short TLS-like fetch: handshake, data, FIN both ways. */
function fetch(send: (s: PktSpec) => void, client: string, port: number, t: number): void {
  const c = { src: client, dst: '10.9.9.9', sport: port, dport: 443 };
  const s = { src: '10.9.9.9', dst: client, sport: 443, dport: port };
  send({ ...c, flags: 2, t });
  send({ ...s, flags: 18, t: t + 0.01 });
  send({ ...c, flags: 16, t: t + 0.02 });
  send({ ...c, flags: 24, len: 600, t: t + 0.03 });
  send({ ...s, flags: 24, len: 1500, t: t + 0.04 });
  send({ ...c, flags: 17, t: t + 0.05 });
  send({ ...s, flags: 17, t: t + 0.06 });
}

const idOf = (e: Engine, client: string, port: number): string =>
  e.snapshot().conversations.find((c) => c.a === client && c.aPort === port)!.id;

describe('Engine focus', () => {
  it('shows a finished conversation\'s packets as soon as it is focused', () => {
    const { e, send } = setup();
    fetch(send, '10.0.0.1', 40001, 10);
    fetch(send, '10.0.0.2', 40002, 10.5);
    fetch(send, '10.0.0.1', 40003, 11);
    const id = idOf(e, '10.0.0.1', 40001);
    expect(e.setFocus(id)).toBe(true);
    const f = e.snapshot().focus!;
    expect(f.conversation.id).toBe(id);
    expect(f.recentPackets.map((x) => x.info.split(' [')[1]!.split(']')[0])).toEqual([
      'SYN', 'SYN, ACK', 'ACK', 'PSH, ACK', 'PSH, ACK', 'FIN, ACK', 'FIN, ACK',
    ]);
    expect(f.recentPackets.map((x) => x.time)).toEqual([10, 10.01, 10.02, 10.03, 10.04, 10.05, 10.06]);
    expect(f.recentPackets[3]).toMatchObject({ src: '10.0.0.1', dst: '10.9.9.9', len: 600 });
    expect(f.recentPackets[4]).toMatchObject({ src: '10.9.9.9', dst: '10.0.0.1', len: 1500 });
    // later packets of the flow are appended as before
    send({ src: '10.0.0.1', dst: '10.9.9.9', sport: 40001, dport: 443, flags: 4, t: 12 });
    expect(e.snapshot().focus!.recentPackets.map((x) => x.time).slice(-2)).toEqual([10.06, 12]);
  });

  it('keeps what the recent-packet ring still holds, at most the focus ring\'s 32', () => {
    const { e, send } = setup({ recentPackets: 10 });
    fetch(send, '10.0.0.1', 40001, 10); // 7 packets
    fetch(send, '10.0.0.2', 40002, 11); // 7 more: only the last 3 of the first fetch are left
    expect(e.recent.size).toBe(10);
    e.setFocus(idOf(e, '10.0.0.1', 40001));
    expect(e.snapshot().focus!.recentPackets.map((x) => x.time)).toEqual([10.04, 10.05, 10.06]);

    const big = setup();
    for (let i = 0; i < 50; i++) big.send({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, flags: 16, t: 100 + i });
    big.e.setFocus(idOf(big.e, '10.0.0.1', 1));
    const times = big.e.snapshot().focus!.recentPackets.map((x) => x.time);
    expect(times).toHaveLength(32);
    expect(times[0]).toBe(118);
    expect(times[31]).toBe(149);
  });

  it('does not mix in packets of an earlier flow in the same slot', () => {
    const { e, send } = setup({ idleTimeoutSec: 60 });
    send({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 10 });
    const old = idOf(e, '10.0.0.1', 1);
    // the first flow expires; the new one reuses its slot with a new generation
    send({ src: '10.0.0.3', dst: '10.0.0.4', proto: 17, sport: 3, dport: 4, t: 101 });
    const fresh = idOf(e, '10.0.0.3', 3);
    expect(fresh.split(':')[0]).toBe(old.split(':')[0]);
    expect(fresh).not.toBe(old);
    e.setFocus(fresh);
    expect(e.snapshot().focus!.recentPackets.map((x) => x.time)).toEqual([101]);
  });

  it('says why a focused conversation is not tracked', () => {
    // expired before it was focused
    const a = setup({ idleTimeoutSec: 60 });
    a.send({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 10 });
    const id = idOf(a.e, '10.0.0.1', 1);
    a.send({ src: '10.0.0.3', dst: '10.0.0.4', proto: 17, sport: 3, dport: 4, t: 100 });
    expect(a.e.setFocus(id)).toBe(false);
    let s = a.e.snapshot();
    expect(s.focus).toBeNull();
    expect(s.focusGone).toEqual({ id, reason: 'expired', message: 'conversation no longer tracked (expired: idle past the timeout)' });
    a.e.setFocus(null);
    expect(a.e.snapshot().focusGone).toBeNull();

    // evicted after it was focused
    const b = setup({ maxFlows: 2 });
    b.send({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, flags: 2, t: 10 });
    b.send({ src: '10.0.0.3', dst: '10.0.0.4', sport: 3, dport: 4, flags: 2, t: 11 });
    const bid = idOf(b.e, '10.0.0.1', 1);
    expect(b.e.setFocus(bid)).toBe(true);
    expect(b.e.snapshot().focusGone).toBeNull();
    b.send({ src: '10.0.0.5', dst: '10.0.0.6', sport: 5, dport: 6, flags: 2, t: 12 });
    s = b.e.snapshot();
    expect(s.focus).toBeNull();
    expect(s.focusGone).toMatchObject({ id: bid, reason: 'evicted' });
    // focusing it again says the same; the slot has been reused once
    expect(b.e.setFocus(bid)).toBe(false);
    expect(b.e.snapshot().focusGone?.reason).toBe('evicted');
    // reused and freed again: the cause for that generation is no longer known
    b.send({ src: '10.0.0.7', dst: '10.0.0.8', sport: 7, dport: 8, flags: 2, t: 13 });
    b.send({ src: '10.0.0.9', dst: '10.0.0.8', sport: 9, dport: 8, flags: 2, t: 14 });
    b.e.setFocus(bid);
    expect(b.e.snapshot().focusGone).toEqual({ id: bid, reason: 'unknown', message: 'conversation no longer tracked (evicted or expired)' });

    // the display filter changed
    const c = setup();
    c.send({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, t: 10 });
    const cid = idOf(c.e, '10.0.0.1', 1);
    c.e.setFocus(cid);
    c.e.setDisplayFilter(() => true, 'ip');
    expect(c.e.snapshot().focusGone).toMatchObject({ id: cid, reason: 'reset' });
    expect(c.e.setFocus(cid)).toBe(false);
    expect(c.e.snapshot().focusGone?.reason).toBe('reset');

    expect(c.e.setFocus('nonsense')).toBe(false);
    expect(c.e.snapshot().focusGone).toMatchObject({ id: 'nonsense', reason: 'invalid' });
  });

  it('allocates nothing per packet with the recent-packet ring and a focus (no scavenges)', async () => {
    const e = new Engine({ idleTimeoutSec: 600 });
    const ip = e.paths.child(e.paths.child(0, Proto.Eth), Proto.IPv4);
    const tcp = e.paths.child(ip, Proto.Tcp);
    const packets = Array.from({ length: 2000 }, (_, i) =>
      fill(new DecodedPacket(), {
        src: `10.${(i >> 8) & 255}.${i & 255}.1`, dst: '10.200.0.1', sport: 1000 + i, dport: 443, flags: 16, pathId: tcp, len: 60 + (i % 1400),
      }));
    const run = (n: number, t0: number) => {
      for (let i = 0; i < n; i++) {
        const p = packets[i % packets.length]!;
        p.tsSec = t0 + Math.floor(i / 4000);
        p.tsNsec = (i % 4000) * 1000;
        e.ingestDecoded(p);
      }
    };
    run(200_000, 1000); // warm up: every flow exists, JIT done
    expect(e.setFocus(e.snapshot().conversations[0]!.id)).toBe(true);
    run(20_000, 1050);
    const gcs = await gcsDuring(() => run(800_000, 1100));
    // a few bytes per packet would be tens of MB: several scavenges. Allow one for stray timers.
    expect(gcs).toBeLessThanOrEqual(1);
    expect(e.snapshot().focus!.recentPackets).toHaveLength(32);
  });
});

class FakeSource implements PacketSource {
  info = newStatus('file', 'fake.pcap');
  private cb: ((r: PacketRecord) => void) | null = null;
  private readonly rec = new PacketRecord();
  start(onPacket: (r: PacketRecord) => void): Promise<SourceEnd> {
    this.cb = onPacket;
    return new Promise(() => {});
  }
  /** An Ethernet/IPv4/UDP frame 10.0.0.1:sport -> 10.0.0.2:53. */
  emit(t: number, sport = 1000): void {
    const b = new Uint8Array(14 + 20 + 8 + 4);
    b.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00]);
    b.set([0x45, 0, 0, 32, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
    b.set([sport >> 8, sport & 255, 0, 53, 0, 12, 0, 0], 34);
    Object.assign(this.rec, { buf: b, off: 0, capLen: b.length, origLen: b.length, linkType: 1, tsSec: Math.floor(t), tsNsec: 0 });
    this.info.packetsRead++;
    this.cb!(this.rec);
  }
  pause(): void {}
  resume(): void {}
  stop(): void {}
}

const noTimers: RuntimeClock = { now: () => 0, setInterval: () => 0, clearInterval: () => {} };

describe('Runtime focus while paused', () => {
  it('publishes the focus detail at once, with the counts still frozen', () => {
    const src = new FakeSource();
    const rt = new Runtime({ engine: new Engine(), source: src, clock: noTimers });
    void rt.start();
    src.emit(100, 1000);
    src.emit(100, 1001);
    rt.publish();
    rt.pauseDisplay();
    const frozen = rt.getSnapshot();
    src.emit(101, 1000);
    src.emit(101, 1002);
    let notified = 0;
    rt.subscribe(() => notified++);
    const id = frozen.conversations.find((c) => c.aPort === 1000)!.id;
    rt.setFocus(id);
    const s = rt.getSnapshot();
    expect(notified).toBe(1);
    expect(s).not.toBe(frozen);
    expect(s.seq).toBeGreaterThan(frozen.seq);
    expect(s.paused).toBe(true);
    expect(s.totals).toBe(frozen.totals);
    expect(s.conversations).toBe(frozen.conversations);
    expect(s.totals.packets).toBe(2);
    expect(s.focus!.conversation.id).toBe(id);
    // the detail is read now: both packets of the flow, one from after the pause
    expect(s.focus!.recentPackets.map((p) => p.time)).toEqual([100, 101]);
    expect(Object.isFrozen(s)).toBe(true);

    rt.setFocus('999:0');
    expect(rt.getSnapshot().focus).toBeNull();
    expect(rt.getSnapshot().focusGone?.reason).toBe('unknown');
    expect(rt.getSnapshot().totals).toBe(frozen.totals);

    rt.resumeDisplay();
    rt.setFocus(id);
    expect(rt.getSnapshot().paused).toBe(false);
    expect(rt.getSnapshot().totals.packets).toBe(4);
    expect(rt.getSnapshot().focus!.conversation.aToBPackets).toBe(2);
    rt.stop();
  });
});
