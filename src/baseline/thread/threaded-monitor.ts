import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { DecodedPacket } from '../../decode/packet.js';
import type { EngineObserver } from '../../engine/engine-types.js';
import type { ReportAlert } from '../alerts.js';
import type { BaselineFileV1 } from '../baseline-file.js';
import type { Driver } from '../context.js';
import type { MonitorOptions, MonitorStatus, MonitorView } from '../monitor-options.js';
import type { MonitorRequest, MonitorThreadData } from './monitor-worker.js';
import { BYTES, C, carriesPayload, RECS, SLOTS, WireViews, wireBuffer, writePacket, writeTick } from './wire.js';

/** A monitor as `report` and the dashboard use it: BaselineMonitor and ThreadedMonitor both fit. */
export interface MonitorHandle extends EngineObserver {
  onTick(nowSec: number): void;
  finish(): void;
  reportAlerts(): ReportAlert[];
  status(): MonitorStatus;
  view(): MonitorView;
  drivers(metric: string): Driver[];
  toBaseline(source: string): BaselineFileV1;
  close?(): void;
}

/** A monitor thread that stops answering this long is reported as failed, not waited on forever. */
const STALL_MS = 60_000;

const WORKER_URL = new URL('./monitor-worker.js', import.meta.url);

/** True where the compiled worker exists (dist/; not when vitest runs the TypeScript sources). */
export function monitorThreadAvailable(url: URL = WORKER_URL): boolean {
  return existsSync(fileURLToPath(url));
}

/**
 * The baseline monitor on its own thread. Per packet this
 * thread only copies the dozen fields the detectors read into a shared slot
 * (wire.ts); the monitor thread runs an ordinary BaselineMonitor over them,
 * in order, with the ticks between them. The detectors cost about as much as
 * the rest of a report (~0.5 us a packet), and on two cores they now run
 * beside it. Requests (finish, alerts, a dashboard snapshot's view) block
 * until the thread has caught up, so results are exactly the in-thread
 * monitor's, one snapshot at a time.
 *
 * A full ring blocks this thread until the monitor thread frees a slot
 * (backpressure: nothing is dropped). A failure in the monitor thread is
 * thrown here as an Error with its one-line message.
 */
export class ThreadedMonitor implements MonitorHandle {
  private readonly v: WireViews;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private slot = 0;
  private written = 0;
  private recs = 0;
  private bytes = 0;
  private reqId = 0;
  private closed = false;
  private lastView: MonitorView | null = null;

  constructor(options: Omit<MonitorOptions, 'sinks'>, alertsPath: string | null = null, url: URL = WORKER_URL) {
    const sab = wireBuffer();
    this.v = new WireViews(sab);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: MonitorThreadData = { sab, port: port2, options, alertsPath };
    this.worker = new Worker(url, { workerData: data, transferList: [port2], stdout: false, stderr: false });
    // The thread ends with close(); until then it must not keep the process alive (an error path may skip close).
    this.worker.unref();
    this.worker.on('error', () => {});
  }

  onPacket(p: DecodedPacket): void {
    // Room for the payload is checked first: it is almost never short, so carriesPayload rarely runs twice.
    if (this.recs === RECS || (this.bytes + p.payloadLen > BYTES && carriesPayload(p))) this.publish();
    this.bytes += writePacket(this.v, this.slot, this.recs++, p, this.bytes);
  }

  onTick(nowSec: number): void {
    if (this.recs === RECS) this.publish();
    writeTick(this.v, this.slot, this.recs++, nowSec);
    // A live capture's alerts should not wait for a full slot.
    this.publish(true);
  }

  finish(): void {
    this.request('finish');
  }

  reportAlerts(): ReportAlert[] {
    return this.request('reportAlerts') as ReportAlert[];
  }

  status(): MonitorStatus {
    return this.request('status') as MonitorStatus;
  }

  /** After close() (the dashboard may draw once more while it quits), the last view. */
  view(): MonitorView {
    if (this.closed && this.lastView !== null) return this.lastView;
    return (this.lastView = this.request('view') as MonitorView);
  }

  drivers(metric: string): Driver[] {
    return this.closed ? [] : (this.request('drivers', metric) as Driver[]);
  }

  /** The learned models as a baseline file (BaselineMonitor.toBaseline). */
  toBaseline(source: string): BaselineFileV1 {
    return this.request('toBaseline', source) as BaselineFileV1;
  }

  /** Stop the thread (it holds no file open but --alerts, written synchronously). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.v.ctrl, C.STOP, 1);
    this.wake();
    void this.worker.terminate();
  }

  /** Hand the current slot (if it holds anything) to the monitor thread; wait for a free slot when all are taken. */
  private publish(force = false): void {
    if (this.recs === 0) return;
    const ctrl = this.v.ctrl;
    ctrl[C.LEN0 + 2 * this.slot] = this.recs;
    ctrl[C.LEN0 + 2 * this.slot + 1] = this.bytes;
    Atomics.store(ctrl, C.WRITTEN, ++this.written);
    // Full slots wake a sleeping thread every second one (it replays faster than this thread
    // fills them); ticks and requests wake it at once (force).
    this.wake(force || this.written - Atomics.load(ctrl, C.CONSUMED) >= 2);
    this.recs = 0;
    this.bytes = 0;
    this.slot = this.written % SLOTS;
    this.waitUntil(C.CONSUMED, this.written - SLOTS + 1);
  }

  private wake(notify = true): void {
    const ctrl = this.v.ctrl;
    Atomics.add(ctrl, C.EVENTS, 1);
    if (notify && Atomics.load(ctrl, C.WORKER_SLEEPS) !== 0) Atomics.notify(ctrl, C.EVENTS);
  }

  private request(op: MonitorRequest['op'], arg?: string): unknown {
    if (this.closed) throw new Error('the detector thread was closed');
    this.publish(true);
    const id = ++this.reqId;
    this.port.postMessage({ id, op, arg } satisfies MonitorRequest);
    this.wake();
    this.waitUntil(C.REPLY, id);
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      const r = m.message as { id: number; value?: unknown };
      if (r.id === id) return r.value;
    }
    throw new Error('the detector thread gave no answer');
  }

  /** Block until ctrl[i] >= target; throws the thread's error, or after STALL_MS without progress. */
  private waitUntil(i: number, target: number): void {
    const ctrl = this.v.ctrl;
    let last = Atomics.load(ctrl, i);
    if (last >= target) return;
    let since = Date.now();
    // Set before the value is read again: the thread notifies CONSUMED only while it is set.
    Atomics.store(ctrl, C.MAIN_WAITS, 1);
    try {
      last = Atomics.load(ctrl, i);
      while (last < target) {
        if (Atomics.load(ctrl, C.ERR) !== 0) this.fail();
        Atomics.wait(ctrl, i, last, 1000);
        const now = Atomics.load(ctrl, i);
        if (now !== last) {
          last = now;
          since = Date.now();
        } else if (Date.now() - since > STALL_MS) {
          throw new Error('the detector thread stopped responding');
        }
      }
    } finally {
      Atomics.store(ctrl, C.MAIN_WAITS, 0);
    }
  }

  private fail(): never {
    let msg = 'failed';
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      const r = m.message as { error?: string };
      if (r.error !== undefined) msg = r.error;
    }
    this.close();
    throw new Error(`anomaly detectors: ${msg}`);
  }
}
