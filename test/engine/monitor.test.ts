import { describe, expect, it } from 'vitest';
import { BaselineMonitor } from '../../src/baseline/index.js';
import { PacketRecord } from '../../src/capture/record.js';
import { newStatus, type PacketSource, type SourceEnd } from '../../src/capture/source.js';
import { Engine, type EngineObserver } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';
import { monitorFields } from '../../src/engine/snapshot-builder.js';
import type { GenFrame } from '../../src/fixtures-gen/anomalies/frames.js';
import { generateAnomalyFrames } from '../../src/fixtures-gen/anomalies/generate.js';
import { INJECTION_SUBJECT } from '../../src/fixtures-gen/anomalies/injections.js';

/** Delivers generated frames when asked, ends when told. */
class FrameSource implements PacketSource {
  info = newStatus('file', 'gen.pcap');
  private cb: ((r: PacketRecord) => void) | null = null;
  private done: ((e: SourceEnd) => void) | null = null;
  private readonly rec = new PacketRecord();
  start(onPacket: (r: PacketRecord) => void): Promise<SourceEnd> {
    this.cb = onPacket;
    return new Promise((res) => (this.done = res));
  }
  emit(frames: readonly GenFrame[]): void {
    for (const f of frames) {
      const sec = Math.floor(f.t);
      Object.assign(this.rec, {
        buf: f.data, off: 0, capLen: f.data.length, origLen: f.origLen, linkType: 1, tsSec: sec,
        tsNsec: Math.min(999_999_999, Math.round((f.t - sec) * 1e9)),
      });
      this.info.packetsRead++;
      this.cb!(this.rec);
    }
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

const clock: RuntimeClock = { now: () => 0, setInterval: () => 0, clearInterval: () => {} };

const scanFrames = (): GenFrame[] =>
  generateAnomalyFrames({ seed: 3, durationSec: 300, hosts: 4, injections: [{ kind: 'port-scan', atSec: 20 }] });

describe('Engine pre-filter observers', () => {
  it('get ticks only when they ask, and see packets the display filter drops', () => {
    const e = new Engine({ displayPredicate: () => false });
    const seen = { plain: 0, ticked: 0, ticks: [] as number[], plainTicks: 0, after: 0 };
    const plain: EngineObserver = { onPacket: () => void seen.plain++, onTick: () => void seen.plainTicks++ };
    const ticked: EngineObserver = { onPacket: () => void seen.ticked++, onTick: (s) => void seen.ticks.push(s) };
    const after: EngineObserver = { onPacket: () => void seen.after++ };
    e.addPreFilterObserver(plain);
    const off = e.addPreFilterObserver(ticked, { ticks: true });
    e.addObserver(after);
    expect([e.hasObserver(plain), e.hasObserver(ticked), e.hasObserver(after), e.hasObserver({ onPacket() {} })]).toEqual([true, true, true, false]);
    const src = new FrameSource();
    void src.start((r) => e.ingest(r));
    const frames = generateAnomalyFrames({ seed: 1, durationSec: 60, hosts: 3 });
    src.emit(frames);
    expect(frames.length).toBeGreaterThan(50);
    expect(seen.plain).toBe(frames.length);
    expect(seen.ticked).toBe(frames.length);
    expect(seen.after).toBe(0);
    expect(seen.plainTicks).toBe(0);
    expect(seen.ticks.length).toBeGreaterThan(0);
    expect(seen.ticks).toEqual([...seen.ticks].sort((a, b) => a - b));
    off();
    expect(e.hasObserver(ticked)).toBe(false);
    e.advanceClock(2_000_000_000);
    expect(seen.ticks.at(-1)).not.toBe(2_000_000_000);
  });
});

describe('Runtime with a baseline monitor', () => {
  it('carries meters, alerts and the baseline status on snapshots, computed at snapshot time', async () => {
    const engine = new Engine();
    const monitor = new BaselineMonitor();
    const src = new FrameSource();
    const rt = new Runtime({ engine, source: src, clock, monitor });
    expect(engine.hasObserver(monitor)).toBe(true);
    const s0 = rt.getSnapshot();
    expect(s0.alerts).toEqual([]);
    expect(s0.baselineStatus).toMatchObject({ learning: false, learned: false, learnedFrom: null, alertsRaised: 0 });
    expect(s0.baselineStatus!.note).toMatch(/^no baseline: /);
    const done = rt.start();
    const frames = scanFrames();
    src.emit(frames);
    expect(monitor.packets).toBe(frames.length);
    // nothing published yet: snapshots are immutable
    expect(rt.getSnapshot()).toBe(s0);
    src.end();
    await done;
    const s = rt.getSnapshot();
    expect(Object.isFrozen(s)).toBe(true);
    const scan = s.alerts!.find((a) => a.kind === 'port-scan')!;
    expect(scan).toMatchObject({ subject: INJECTION_SUBJECT['port-scan'], count: 1, expected: 64 });
    expect(Object.keys(scan).sort()).toEqual(
      ['active', 'count', 'expected', 'firstSeen', 'kind', 'lastSeen', 'message', 'observed', 'severity', 'subject', 'time'],
    );
    expect(scan.time).toBe(scan.firstSeen);
    expect(scan.observed).toBeGreaterThan(64);
    expect(Object.isFrozen(scan)).toBe(true);
    expect(s.baselineStatus!.alertsRaised).toBe(1);
    expect(s.meters!.length).toBeGreaterThan(0);
    const m = s.meters![0]!;
    expect(Object.keys(m).sort()).toEqual(['current', 'deviation', 'high', 'learning', 'level', 'low', 'name', 'unit']);
    expect(s.meters!.some((r) => r.name === 'distinct ports per source')).toBe(true);
    rt.stop();
  });

  it('lets the monitor see what the display filter hides, and is attached once', async () => {
    const engine = new Engine();
    const monitor = new BaselineMonitor();
    // already attached (as the dashboard does it): the runtime must not feed it twice
    engine.addPreFilterObserver(monitor, { ticks: true });
    const src = new FrameSource();
    const rt = new Runtime({ engine, source: src, clock, monitor, compileDisplayFilter: () => () => false });
    rt.setDisplayFilter('nothing');
    const done = rt.start();
    const frames = scanFrames();
    src.emit(frames);
    src.end();
    await done;
    expect(monitor.packets).toBe(frames.length);
    const s = rt.getSnapshot();
    expect(s.totals.packets).toBe(0);
    expect(s.alerts!.map((a) => a.kind)).toEqual(['port-scan']);
    rt.stop();
  });

  it('leaves the fields out without a monitor', () => {
    const rt = new Runtime({ engine: new Engine(), source: new FrameSource(), clock });
    const s = rt.getSnapshot();
    expect('meters' in s || 'alerts' in s || 'baselineStatus' in s).toBe(false);
  });

  it('escapes wire-derived alert text and copies the records', () => {
    const rec = {
      kind: 'dns-tunnel', subject: 'x\x1b[2J.example', severity: 'high' as const, firstSeen: 10, lastSeen: 12,
      observed: 30, expected: 20, message: 'names\x07 under x', count: 2, active: true,
    };
    const f = monitorFields({
      meters: () => [],
      alerts: () => [rec],
      status: () => ({ learning: false, learned: true, learnedFrom: 'online', learningLeftSec: 0, note: 'ok' }),
    });
    expect(f.alerts[0]).toMatchObject({ time: 10, subject: 'x\\x1b[2J.example', message: 'names\\x07 under x', count: 2 });
    expect(f.baselineStatus).toEqual({ learning: false, learned: true, learnedFrom: 'online', learningLeftSec: 0, note: 'ok', alertsRaised: 2 });
    rec.count = 3;
    expect(f.alerts[0]!.count).toBe(2);
  });
});
