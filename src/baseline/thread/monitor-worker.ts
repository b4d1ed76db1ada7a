import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { DecodedPacket } from '../../decode/packet.js';
import { NdjsonAlertSink } from '../alerts.js';
import { BaselineMonitor } from '../monitor.js';
import type { MonitorOptions } from '../monitor-options.js';
import { C, readRecord, WirePacket, WireViews, SLOTS } from './wire.js';

/** What the main thread starts the monitor thread with (threaded-monitor.ts). */
export interface MonitorThreadData {
  sab: SharedArrayBuffer;
  port: MessagePort;
  /** MonitorOptions without sinks (functions do not cross threads). */
  options: Omit<MonitorOptions, 'sinks'>;
  /** `--alerts FILE`: the thread appends alerts as it raises them. */
  alertsPath: string | null;
}

/** A request from the main thread; the reply carries the same id. */
export interface MonitorRequest {
  id: number;
  op: 'finish' | 'reportAlerts' | 'status' | 'toBaseline' | 'view' | 'drivers';
  /** toBaseline's source name, or the metric whose drivers are asked for. */
  arg?: string;
}

/**
 * The monitor thread: replays the packets and ticks the main thread
 * publishes, in order, through an ordinary BaselineMonitor, and answers
 * requests once every packet published before them has been replayed. It
 * blocks on Atomics.wait between slots: it has no event loop to keep.
 */
function run(d: MonitorThreadData): void {
  const v = new WireViews(d.sab);
  const ctrl = v.ctrl;
  const port = d.port;
  const monitor = new BaselineMonitor({ ...d.options, sinks: d.alertsPath ? [new NdjsonAlertSink(d.alertsPath)] : [] });
  const p = new WirePacket();
  const asPacket = p as unknown as DecodedPacket;
  let consumed = 0;

  const drain = (): void => {
    const written = Atomics.load(ctrl, C.WRITTEN);
    while (consumed < written) {
      const s = consumed % SLOTS;
      const n = ctrl[C.LEN0 + 2 * s]!;
      for (let r = 0; r < n; r++) {
        if (readRecord(v, s, r, p)) monitor.onPacket(asPacket);
        else monitor.onTick(p.tsSec);
      }
      Atomics.store(ctrl, C.CONSUMED, ++consumed);
      // A futex wake costs ~0.1 ms: only when the main thread is waiting for a slot.
      if (Atomics.load(ctrl, C.MAIN_WAITS) !== 0) Atomics.notify(ctrl, C.CONSUMED);
    }
  };

  const answer = (m: MonitorRequest): void => {
    drain();
    let value: unknown = null;
    if (m.op === 'finish') monitor.finish();
    else if (m.op === 'reportAlerts') value = monitor.reportAlerts();
    else if (m.op === 'status') value = monitor.status();
    else if (m.op === 'toBaseline') value = monitor.toBaseline(m.arg ?? '');
    else if (m.op === 'view') value = monitor.view();
    else if (m.op === 'drivers') value = monitor.drivers(m.arg ?? '');
    port.postMessage({ id: m.id, value });
    Atomics.store(ctrl, C.REPLY, m.id);
    Atomics.notify(ctrl, C.REPLY);
  };

  for (;;) {
    const events = Atomics.load(ctrl, C.EVENTS);
    drain();
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) answer(m.message as MonitorRequest);
    if (Atomics.load(ctrl, C.STOP) !== 0) return;
    // The flag, then a last look at EVENTS: a publish either sees the flag (and notifies) or
    // happened before it, and then EVENTS has moved and the wait returns at once.
    Atomics.store(ctrl, C.WORKER_SLEEPS, 1);
    Atomics.wait(ctrl, C.EVENTS, events);
    Atomics.store(ctrl, C.WORKER_SLEEPS, 0);
  }
}

const data = workerData as MonitorThreadData;
try {
  run(data);
} catch (e) {
  // The main thread turns this into one line (never a stack trace) at its next wait.
  data.port.postMessage({ id: -1, error: e instanceof Error ? e.message : String(e) });
  const ctrl = new WireViews(data.sab).ctrl;
  Atomics.store(ctrl, C.ERR, 1);
  Atomics.notify(ctrl, C.CONSUMED);
  Atomics.notify(ctrl, C.REPLY);
}
