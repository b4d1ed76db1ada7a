/**
 * The body of the reader thread (see chunk-ring.ts for the main-thread side
 * and the shared layout). It reads a regular file or a pipe into a ring of large chunks
 * in a SharedArrayBuffer and publishes each chunk cut at the last complete
 * capture record: the tail (a record straddling the cut) is moved to the
 * start of the next chunk, so the main thread parses every record in place
 * and never copies. Framing here is only an optimisation: when the reader
 * cannot frame (unknown format, a bogus length, a record larger than a
 * chunk) it publishes whole chunks, and the main thread's ByteQueue joins
 * split records as it does for any stream. All parsing decisions (warnings,
 * truncation, resync) stay with the main-thread parser.
 *
 * The function runs in a worker started from source text (`READER_SCRIPT`),
 * so the same code works from dist/ and from vitest's TypeScript: it must not
 * use imports or anything outside its own body.
 */

export interface ReaderData {
  sab: SharedArrayBuffer;
  /** A regular file, read with blocking reads (ignored when pipePath is set). */
  fd: number;
  /** A pipe (e.g. /proc/self/fd/0): the thread opens it non-blocking and polls it. */
  pipePath: string | null;
  /** Offset of the first read; null reads from the fd's current offset (stdin). */
  position: number | null;
  slots: number;
  slotSize: number;
}

/** ctrl (Int32Array over sab[0 .. CTRL_BYTES)) indices, shared with chunk-ring.ts. */
export const CTRL = { WRITTEN: 0, CONSUMED: 1, DONE: 2, STOP: 3, LEN0: 4 } as const;
export const CTRL_BYTES = 64;
export const MAX_SLOTS = (CTRL_BYTES >> 2) - CTRL.LEN0;
/** DONE values. */
export const DONE_EOF = 1;
export const DONE_ERROR = 2;

export function readerMain(fs: typeof import('node:fs'), post: (m: unknown) => void, d: ReaderData): void {
  const W = 0, C = 1, DONE = 2, STOP = 3, LEN0 = 4, DATA = 64;
  const MAX_CAPLEN = 262144;
  const MAX_BLOCK = 16 * 1024 * 1024 + 4096;
  const { sab, slots, slotSize } = d;
  let pos = d.position;
  const ctrl = new Int32Array(sab, 0, DATA >> 2);
  const mem = new Uint8Array(sab, DATA, slots * slotSize);
  const u32 = (o: number, le: boolean): number =>
    le
      ? (mem[o]! | (mem[o + 1]! << 8) | (mem[o + 2]! << 16) | (mem[o + 3]! << 24)) >>> 0
      : ((mem[o]! << 24) | (mem[o + 1]! << 16) | (mem[o + 2]! << 8) | mem[o + 3]!) >>> 0;

  // Framing state, in absolute stream offsets.
  let framing = true;
  let format = 0; // 0 unknown, 1 pcap, 2 pcapng
  let le = true;
  let hdr = 16;
  let next = 0; // where the next record starts
  let base = 0; // stream offset of the current chunk's first byte

  /** Stream offset where the chunk holding [base, base + fill) at `off` should be cut. */
  function cutAt(off: number, fill: number): number {
    const end = base + fill;
    if (format === 0) {
      if (fill < 24) return base; // wait for the file header (at EOF everything is published)
      const m = u32(off, true);
      if (m === 0x0a0d0d0a) format = 2;
      else if ([0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34].some((x) => x === m || x === u32(off, false))) {
        format = 1;
        le = [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34].includes(m);
        hdr = u32(off, le) === 0xa1b2cd34 ? 24 : 16;
        next = 24;
      } else framing = false;
    }
    let p = next;
    const need = format === 1 ? hdr : 12;
    while (framing && p + need <= end) {
      const o = off + (p - base);
      let len: number;
      if (format === 1) {
        const capLen = u32(o + 8, le);
        if (capLen > MAX_CAPLEN) framing = false;
        len = hdr + capLen;
      } else {
        if (u32(o, true) === 0x0a0d0d0a) {
          const bom = u32(o + 8, true);
          if (bom === 0x1a2b3c4d) le = true;
          else if (bom === 0x4d3c2b1a) le = false;
          else framing = false;
        }
        len = u32(o + 4, le);
        if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) framing = false;
      }
      if (!framing || p + len > end) {
        // Carry the partial record only if it will fit in one chunk.
        if (framing && len > slotSize) {
          next = p + len;
          return end;
        }
        break;
      }
      p += len;
    }
    if (!framing) return end;
    next = p;
    // p > end: a record too big to carry ends in a later chunk.
    return p < end ? p : end;
  }

  // An empty pipe is polled after 0.05, 0.1, 0.2 .. 16 ms: a writer such as `cat` refills
  // the 64 KiB pipe buffer in tens of microseconds (starting at 1 ms capped a no-op
  // consumer of `cat bench-1m.pcap |` at half the stream's speed), and an idle one
  // costs 60 wake-ups a second.
  const FIRST_NAP_MS = 0.05;
  const LAST_NAP_MS = 16;
  /** Sleep up to `ms` (close() cuts it short). */
  const nap = (ms: number): void => void Atomics.wait(ctrl, STOP, 0, ms);

  let fd = d.fd;
  if (d.pipePath !== null) {
    try {
      // A fresh, non-blocking open of the pipe: a read never blocks, so the thread
      // never holds up process exit, and stdin's own open file stays as it was.
      fd = fs.openSync(d.pipePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    } catch (e) {
      post({ unavailable: true, message: String((e as Error)?.message ?? e) });
      return;
    }
  }
  /** Bytes read into mem[at ..], 0 at end of input, -1 when a pipe has nothing now. */
  function readSome(at: number, max: number): number {
    try {
      const n = fs.readSync(fd, mem, at, max, pos);
      if (pos !== null) pos += n;
      return n;
    } catch (e) {
      if (d.pipePath !== null && (e as { code?: unknown })?.code === 'EAGAIN') return -1;
      throw e;
    }
  }

  let seq = 0;
  let carryFrom = -1;
  let carry = 0;
  try {
    for (;;) {
      for (;;) {
        if (Atomics.load(ctrl, STOP) !== 0) return; // close() wakes next() itself
        const consumed = Atomics.load(ctrl, C);
        if (seq - consumed < slots) break;
        Atomics.wait(ctrl, C, consumed, 1000);
      }
      const slot = seq % slots;
      const off = slot * slotSize;
      if (carry > 0) mem.copyWithin(off, carryFrom, carryFrom + carry);
      let fill = carry;
      let eof = false;
      let cut = base;
      let idle = FIRST_NAP_MS;
      // A file: fill the chunk. A pipe: read while it has data, and publish whole
      // records as soon as it runs dry, so a slow `tcpdump -U -w -` is not held back.
      for (;;) {
        const n = fill < slotSize ? readSome(off + fill, slotSize - fill) : 0;
        if (n > 0) {
          fill += n;
          idle = FIRST_NAP_MS;
          continue;
        }
        if (n === 0) {
          eof = fill < slotSize;
          cut = eof ? base + fill : cutAt(off, fill);
          if (cut === base) cut = base + fill; // a full chunk with no whole record: publish it anyway
          break;
        }
        if (fill > carry) {
          cut = cutAt(off, fill);
          if (cut > base) break;
        }
        if (Atomics.load(ctrl, STOP) !== 0) return;
        nap(idle);
        idle = Math.min(idle * 2, LAST_NAP_MS);
      }
      const len = cut - base;
      if (len > 0) {
        ctrl[LEN0 + slot] = len;
        Atomics.store(ctrl, W, ++seq);
        Atomics.notify(ctrl, W);
      }
      carryFrom = off + len;
      carry = fill - len;
      base = cut;
      if (eof) break;
    }
    Atomics.store(ctrl, DONE, 1);
  } catch (e) {
    const err = e as { message?: unknown; code?: unknown };
    post({ message: String(err?.message ?? e), code: typeof err?.code === 'string' ? err.code : undefined });
    Atomics.store(ctrl, DONE, 2);
  } finally {
    if (d.pipePath !== null) fs.closeSync(fd);
  }
  Atomics.notify(ctrl, W);
}

/** Source text for `new Worker(READER_SCRIPT, { eval: true, workerData })`. */
export const READER_SCRIPT = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
(${readerMain.toString()})(require('node:fs'), (m) => parentPort.postMessage(m), workerData);`;
