import { Worker } from 'node:worker_threads';
import { CTRL, CTRL_BYTES, DONE_EOF, DONE_ERROR, MAX_SLOTS, READER_SCRIPT, type ReaderData } from './read-worker.js';

/** ES2024's Atomics.waitAsync (in Node since 16; the project's lib is ES2023). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** Chunks in the ring: the main thread holds up to two (see `next`), the reader fills the rest ahead. */
export const RING_SLOTS = 6;
export const RING_SLOT_BYTES = 4 << 20;

/** What the reader thread reads: a regular file's fd (from `position`, or its current offset when null), or a pipe it opens itself. */
export interface RingInput {
  fd?: number;
  position?: number | null;
  pipePath?: string;
}

/** A read error in the reader thread, with the errno code when there is one. */
export class ChunkReadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Raised by `next()` when the reader thread never started; the caller reads the file itself instead. */
export class ReaderUnavailable extends Error {}

/**
 * The main-thread end of the reader thread (read-worker.ts): a ring of
 * `slots` chunks of `slotSize` bytes in one SharedArrayBuffer. Layout: a
 * 64-byte Int32 control block (chunks published, chunks released, done,
 * stop, one length per slot), then the slots. The reader waits while every
 * slot is published and unreleased (backpressure; memory stays at the ring).
 *
 * `next()` returns the next chunk as a Buffer over the shared memory, or null
 * at end of file. It waits with Atomics.waitAsync, so the event loop keeps
 * running (dashboard keys, frames) while the reader catches up. A chunk stays
 * valid until the second `next()` after it: the parser's ByteQueue may still
 * point into chunk k until chunk k+1 has been pushed.
 */
export class ChunkRing {
  private readonly ctrl: Int32Array;
  private readonly slots: number;
  /**
   * Releases per wake-up of the reader. The reader sleeps only on a full ring,
   * and this thread holds at most two chunks, so by the time it runs out of
   * chunks it has made slots - 2 releases since the reader fell asleep: any
   * batch up to slots - 2 wakes it before then. 2 keeps two chunks ready.
   */
  private readonly batch: number;
  private readonly views: Buffer[] = [];
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private taken = 0;
  private failure: Error | null = null;
  private readonly failed: Promise<void>;
  private onFail!: () => void;
  private closed = false;

  constructor(input: RingInput, slots = RING_SLOTS, slotSize = RING_SLOT_BYTES) {
    if (slots < 3 || slots > MAX_SLOTS) throw new RangeError(`ring slots must be 3..${MAX_SLOTS}`);
    slotSize = Math.max(64, slotSize);
    const sab = new SharedArrayBuffer(CTRL_BYTES + slots * slotSize);
    this.ctrl = new Int32Array(sab, 0, CTRL_BYTES >> 2);
    for (let i = 0; i < slots; i++) this.views.push(Buffer.from(sab, CTRL_BYTES + i * slotSize, slotSize));
    this.failed = new Promise((resolve) => (this.onFail = resolve));
    this.slots = slots;
    this.batch = Math.max(1, Math.min(2, slots - 2));
    const workerData: ReaderData = { sab, fd: input.fd ?? -1, position: input.position ?? null, pipePath: input.pipePath ?? null, slots, slotSize };
    this.worker = new Worker(READER_SCRIPT, { eval: true, workerData, stdout: false, stderr: false });
    this.worker.on('message', (m: { message: string; code?: string; unavailable?: boolean }) =>
      this.fail(m.unavailable ? new Error(m.message) : new ChunkReadError(m.message, m.code)),
    );
    this.worker.on('error', (e) => this.fail(e));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        if (Atomics.load(this.ctrl, CTRL.DONE) === 0 && !this.closed) this.fail(new Error('reader thread exited early'));
        resolve();
      }),
    );
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.onFail();
  }

  /**
   * The next chunk, or null at end of input. Throws ChunkReadError on a read
   * error, and ReaderUnavailable when the thread failed before delivering
   * anything (the caller can still read the file itself).
   */
  async next(): Promise<Buffer | null> {
    const ctrl = this.ctrl;
    const k = this.taken;
    if (k >= 2) {
      Atomics.store(ctrl, CTRL.CONSUMED, k - 1);
      // Waking the reader costs this thread ~0.1 ms (a futex wake), so it is woken only every
      // `batch` releases; see `batch` for why it still never sleeps while this thread waits.
      if ((k - 1) % this.batch === 0) Atomics.notify(ctrl, CTRL.CONSUMED);
    }
    for (;;) {
      if (this.closed) return null;
      const written = Atomics.load(ctrl, CTRL.WRITTEN);
      if (written > k) break;
      const done = Atomics.load(ctrl, CTRL.DONE);
      if (done === DONE_EOF) {
        if (Atomics.load(ctrl, CTRL.WRITTEN) === k) return null;
        continue;
      }
      if (this.failure !== null) {
        const f = this.failure;
        throw written === 0 && !(f instanceof ChunkReadError) ? new ReaderUnavailable(f.message) : f;
      }
      // DONE_ERROR: the message is posted before DONE is set and arrives through `failed`.
      const w = done === DONE_ERROR ? null : waitAsync(ctrl, CTRL.WRITTEN, written);
      if (w === null) await this.failed;
      else if (w.async) await Promise.race([w.value, this.failed]);
    }
    this.taken = k + 1;
    const slot = k % this.slots;
    return this.views[slot]!.subarray(0, ctrl[CTRL.LEN0 + slot]!);
  }

  /** Stop the reader and wait until it no longer touches the file (so the caller may close the fd). */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      Atomics.store(this.ctrl, CTRL.STOP, 1);
      Atomics.notify(this.ctrl, CTRL.CONSUMED); // the reader waits for a free slot
      Atomics.notify(this.ctrl, CTRL.STOP); // or naps while a pipe is empty
      Atomics.notify(this.ctrl, CTRL.WRITTEN); // next() waits for a chunk
    }
    await this.exited;
  }
}
