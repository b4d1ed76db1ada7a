import { describe, expect, it } from 'vitest';
import { PacketRecord } from '../../src/capture/record.js';
import { newStatus, type PacketSource, type SourceEnd } from '../../src/capture/source.js';
import { Engine } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';

/** An Ethernet/IPv4/UDP frame from 10.0.0.1:1000 to 10.0.0.2:53. */
function udpFrame(): Uint8Array {
  const b = new Uint8Array(14 + 20 + 8 + 4);
  b.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00]);
  b.set([0x45, 0, 0, 32, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  b.set([0x03, 0xe8, 0, 53, 0, 12, 0, 0], 34);
  return b;
}

class FakeSource implements PacketSource {
  info = newStatus('file', 'fake.pcap');
  private cb: ((r: PacketRecord) => void) | null = null;
  private done: ((e: SourceEnd) => void) | null = null;
  private readonly rec = new PacketRecord();
  start(onPacket: (r: PacketRecord) => void): Promise<SourceEnd> {
    this.cb = onPacket;
    return new Promise((res) => (this.done = res));
  }
  emit(t: number): void {
    const f = udpFrame();
    Object.assign(this.rec, { buf: f, off: 0, capLen: f.length, origLen: f.length, linkType: 1, tsSec: Math.floor(t), tsNsec: 0 });
    this.info.packetsRead++;
    this.cb!(this.rec);
  }
  end(): void {
    this.info.ended = true;
    this.done!({ reason: 'eof' });
  }
  pause(): void {}
  resume(): void {}
  stop(): void {
    this.end();
  }
}

class FakeClock implements RuntimeClock {
  t = 0;
  fns: (() => void)[] = [];
  now(): number {
    return this.t;
  }
  setInterval(fn: () => void): unknown {
    this.fns.push(fn);
    return this.fns.length - 1;
  }
  clearInterval(): void {
    this.fns = [];
  }
  fire(): void {
    for (const f of this.fns) f();
  }
}

describe('Runtime', () => {
  it('publishes snapshots on the ticker, not per packet', async () => {
    const src = new FakeSource();
    const clock = new FakeClock();
    const rt = new Runtime({ engine: new Engine(), source: src, clock, intervalMs: 500 });
    let notified = 0;
    rt.subscribe(() => notified++);
    const done = rt.start();
    const s0 = rt.getSnapshot();
    src.emit(100);
    src.emit(100);
    expect(rt.getSnapshot()).toBe(s0);
    expect(notified).toBe(0);
    clock.fire();
    const s1 = rt.getSnapshot();
    expect(s1).not.toBe(s0);
    expect(s1.totals.packets).toBe(2);
    expect(s1.seq).toBe(s0.seq + 1);
    expect(rt.getSnapshot()).toBe(s1); // stable between ticks
    src.end();
    await done;
    expect(rt.getSnapshot().source.ended).toBe(true);
    rt.stop();
  });

  it('pauses publishing while counting continues', async () => {
    const src = new FakeSource();
    const clock = new FakeClock();
    const rt = new Runtime({ engine: new Engine(), source: src, clock });
    void rt.start();
    src.emit(100);
    clock.fire();
    rt.pauseDisplay();
    const frozen = rt.getSnapshot();
    expect(frozen.paused).toBe(true);
    expect(frozen.totals.packets).toBe(1);
    src.emit(101);
    clock.fire();
    expect(rt.getSnapshot()).toBe(frozen);
    rt.resumeDisplay();
    expect(rt.getSnapshot().paused).toBe(false);
    expect(rt.getSnapshot().totals.packets).toBe(2);
    rt.stop();
  });

  it('applies display filters through the injected compiler and sets focus', () => {
    const src = new FakeSource();
    const rt = new Runtime({
      engine: new Engine(),
      source: src,
      clock: new FakeClock(),
      compileDisplayFilter: (text) => (p) => p.dstPort === Number(text.split('==')[1]),
    });
    void rt.start();
    src.emit(100);
    rt.setDisplayFilter('udp.port == 54');
    src.emit(101);
    expect(rt.getSnapshot().totals.packets).toBe(0);
    rt.setDisplayFilter(null);
    src.emit(102);
    rt.publish();
    const s = rt.getSnapshot();
    expect(s.totals.packets).toBe(1);
    expect(s.totals.packetsRead).toBe(3);
    rt.setFocus(s.conversations[0]!.id);
    expect(rt.getSnapshot().focus?.conversation.b).toBe('10.0.0.2');
    rt.stop();
  });

  it('moves the clock of an idle live capture', () => {
    const src = new FakeSource();
    src.info = newStatus('live', 'eth0');
    const clock = new FakeClock();
    const engine = new Engine();
    const rt = new Runtime({ engine, source: src, clock });
    void rt.start();
    clock.t = 5_000_500;
    clock.fire();
    expect(rt.getSnapshot().time).toBe(5000.5);
    expect(rt.getSnapshot().source.kind).toBe('interface');
    rt.stop();
  });
});

describe('Runtime at end of capture', () => {
  it("counts the capture's last, partial second in the rates and the chart (a sub-second capture is not all zeros)", async () => {
    const src = new FakeSource();
    const clock = new FakeClock();
    const rt = new Runtime({ engine: new Engine(), source: src, clock });
    const done = rt.start();
    for (let i = 0; i < 3; i++) src.emit(100);
    clock.fire();
    expect(rt.getSnapshot().pps).toBe(0); // while reading, second 100 is still in progress
    src.end();
    await done;
    const s = rt.getSnapshot();
    expect(s.source.ended).toBe(true);
    expect(s.pps).toBe(3);
    expect(s.bps).toBe(3 * 46 * 8);
    const host = s.hosts.find((h) => h.addr === '10.0.0.1')!;
    expect(host.tx).toEqual({ r2: 3 * 46, r10: 3 * 46, r40: 3 * 46 });
    expect(s.conversations[0]!.aToB.r40).toBe(3 * 46);
    expect(s.protocols.find((p) => p.path === 'eth')!.pps).toBe(3);
    expect(s.history.get('')!.at(-1)).toBe(3 * 46 * 8);
    rt.stop();
  });
});

describe('Runtime ticker', () => {
  it('keeps the same snapshot when nothing moved', async () => {
    const src = new FakeSource();
    const clock = new FakeClock();
    const rt = new Runtime({ engine: new Engine(), source: src, clock });
    const done = rt.start();
    src.emit(100);
    clock.fire();
    const s1 = rt.getSnapshot();
    clock.fire();
    expect(rt.getSnapshot()).toBe(s1);
    src.end();
    await done;
    const s2 = rt.getSnapshot();
    expect(s2.source.ended).toBe(true);
    clock.fire();
    expect(rt.getSnapshot()).toBe(s2);
    rt.stop();
  });
});
