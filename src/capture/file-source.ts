import type { Readable } from 'node:stream';
import { CaptureError, oneLine } from './capture-error.js';
import { openChunkSource, type ChunkSource } from './chunk-source.js';
import { createCaptureParser, type AutoCaptureParser } from './capture-parser.js';
import { linkTypeName, PacketRecord } from './record.js';
import { newStatus, realTimers, type PacketSource, type SourceEnd, type SourceStatus, type SourceTimers } from './source.js';
import { WarningLog } from './warning-log.js';

export interface FileSourceOptions {
  /** Capture file path, or '-' for standard input. */
  path: string;
  /** N times real time by packet timestamps, or 'max' (default): as fast as possible. */
  speed?: number | 'max';
  /** Start again at EOF (demo mode); timestamps keep increasing across passes. Ignored for stdin. */
  loop?: boolean;
  /** Packets it rejects are counted in info.packetsFiltered and not delivered. */
  captureFilter?: (r: PacketRecord) => boolean;
  /** Stream used for '-' (default process.stdin). */
  stdin?: Readable;
  timers?: SourceTimers;
  /** Read size: 1 MiB for streams, 4 MiB for the reader thread by default. */
  chunkSize?: number;
  /**
   * Read on a reader thread (chunk-ring.ts): 'auto' (default) for regular files
   * of 32 MiB or more; true for any regular file; false never. Pipes always
   * stay on the main thread.
   */
  thread?: boolean | 'auto';
}
/** Waits shorter than this are not worth a timer; packets go out in small bursts instead. */
const MIN_WAIT_MS = 2;
/** The longest delay setTimeout takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Longest run of packets delivered without giving the event loop a turn. A
 * 1 MiB chunk is thousands of packets, and with every observer attached a
 * dashboard spends tens of ms on it: keys and frames waited for the whole
 * chunk. Yielding every ~8 ms bounds that wait and costs about nothing
 * (a setImmediate per 8 ms of work).
 */
const SLICE_MS = 8;
/** Packets between clock reads (a clock read per packet would cost more than the check saves). */
const SLICE_CHECK = 32;

class FileSource implements PacketSource {
  readonly info: SourceStatus;
  private readonly rec = new PacketRecord();
  private readonly timers: SourceTimers;
  private readonly warnings = new WarningLog();
  private chunks: ChunkSource | null = null;
  private started = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private timer: unknown = null;
  private anchorPkt = -1;
  private anchorWall = 0;
  private loopOffset = 0;
  /** When the event loop last had a turn (see SLICE_MS). */
  private sliceStart = 0;
  private passMin = Infinity;
  private passMax = -Infinity;
  /** An exception thrown by onPacket: passed through unchanged, never reported as a read error. */
  private consumerError: unknown = undefined;

  constructor(private readonly opts: FileSourceOptions) {
    this.info = newStatus('file', opts.path);
    this.info.warnings = this.warnings.list;
    this.timers = opts.timers ?? realTimers;
  }

  async start(onPacket: (r: PacketRecord) => void): Promise<SourceEnd> {
    if (this.started) throw new CaptureError('capture source already started');
    this.started = true;
    const isStdin = this.opts.path === '-';
    if (isStdin && this.opts.loop) this.warnings.add('loop-stdin', 'cannot loop standard input; reading it once');
    try {
      for (;;) {
        const before = this.info.packetsRead;
        await this.runPass(onPacket);
        const again = this.opts.loop && !isStdin && !this.stopped && this.info.packetsRead > before;
        if (!again) break;
        // Shift the next pass after this one so rates and pacing stay sane.
        this.loopOffset += Math.ceil(this.passMax - this.passMin) + 1;
        this.passMin = Infinity;
        this.passMax = -Infinity;
      }
      return { reason: this.stopped ? 'stopped' : 'eof' };
    } catch (e) {
      if (e instanceof CaptureError || e === this.consumerError) throw e;
      throw new CaptureError(`cannot read ${this.opts.path}: ${oneLine(e)}`);
    } finally {
      this.info.ended = true;
      await this.chunks?.close();
      this.chunks = null;
    }
  }

  pause(): void {
    this.info.paused = true;
  }

  resume(): void {
    if (!this.info.paused) return;
    this.info.paused = false;
    this.anchorPkt = -1; // re-anchor pacing so a long pause does not cause a burst
    this.wakeUp();
  }

  stop(): void {
    this.stopped = true;
    void this.chunks?.close();
    this.wakeUp();
  }

  private wakeUp(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async runPass(onPacket: (r: PacketRecord) => void): Promise<void> {
    const parser = createCaptureParser(this.warnings);
    await this.chunks?.close(); // the previous pass (loop)
    const chunks = await openChunkSource(this.opts);
    this.chunks = chunks;
    try {
      for (;;) {
        const buf = await chunks.next();
        if (buf === null || this.stopped) break;
        this.info.bytesRead += buf.length;
        parser.feed(buf);
        await this.drain(parser, onPacket);
        if (this.stopped || parser.stopped) break;
        // A pipe delivers 64 KiB at a time: a loop turn per chunk was ~12k setImmediates per GB.
        if (this.timers.now() - this.sliceStart >= SLICE_MS) await this.yieldToLoop();
      }
    } catch (e) {
      if (e instanceof CaptureError || e === this.consumerError) throw e;
      if (this.stopped) return;
      const code = (e as NodeJS.ErrnoException).code;
      throw new CaptureError(`cannot read ${this.opts.path}: ${code === 'EISDIR' ? 'is a directory' : oneLine(e)}`);
    }
    if (this.stopped) return;
    parser.end();
    await this.drain(parser, onPacket);
  }

  /**
   * Deliver every packet the parser has. At speed max the packets go through
   * `deliverRun`, a plain loop; only a packet that must wait (slice used up,
   * paused, paced) takes the async path below, which then re-enters the loop.
   */
  private async drain(parser: AutoCaptureParser, onPacket: (r: PacketRecord) => void): Promise<void> {
    const rec = this.rec;
    const info = this.info;
    const speed = this.opts.speed ?? 'max';
    const timers = this.timers;
    for (;;) {
      if (speed === 'max') {
        if (!this.deliverRun(parser, onPacket)) break;
      } else {
        if (this.stopped || !parser.next(rec)) break;
        this.count(rec);
      }
      // Before the pause check, so a key that pauses during the yield holds this packet back.
      if (timers.now() - this.sliceStart >= SLICE_MS) await this.yieldToLoop();
      for (;;) {
        while (info.paused && !this.stopped) {
          await this.sleep(-1);
          this.sliceStart = timers.now();
        }
        if (speed === 'max' || this.stopped) break;
        const wait = this.paceDelay(rec, speed);
        if (wait <= 0) break;
        // A timer holds at most 2^31-1 ms (24.8 days): past that Node fires after 1 ms and prints a
        // TimeoutOverflowWarning over the dashboard. Longer gaps sleep in steps.
        await this.sleep(Math.min(wait, MAX_TIMER_MS));
        this.sliceStart = timers.now();
        if (!info.paused && wait <= MAX_TIMER_MS) break; // paused while waiting: wait for resume, then go out at once
      }
      // Counted as read, so delivered even when a stop came meanwhile (read == counted, and -w has it).
      this.deliver(rec, onPacket);
      if (this.stopped) break;
    }
    this.syncInfo(parser);
  }

  /**
   * Deliver packets until the parser needs more data (false) or a packet must
   * wait: the time slice is used up, or the source is paused (true; `rec`
   * holds that packet, counted but not delivered). Synchronous, so V8 keeps
   * the loop's state in registers rather than in an async frame.
   */
  private deliverRun(parser: AutoCaptureParser, onPacket: (r: PacketRecord) => void): boolean {
    const sliceStart = this.sliceStart;
    const rec = this.rec;
    const info = this.info;
    let sinceCheck = 0;
    while (!this.stopped && parser.next(rec)) {
      this.count(rec);
      if (++sinceCheck >= SLICE_CHECK) {
        sinceCheck = 0;
        if (this.timers.now() - sliceStart >= SLICE_MS) return true;
      }
      if (info.paused) return true;
      this.deliver(rec, onPacket);
    }
    return false;
  }

  private count(rec: PacketRecord): void {
    this.info.packetsRead++;
    // Stores on every packet, not only when a new second starts: a store first reached
    // after deliverRun was optimised threw it back to the interpreter (a deopt) mid-file.
    const sec = rec.tsSec;
    this.passMin = sec < this.passMin ? sec : this.passMin;
    this.passMax = sec > this.passMax ? sec : this.passMax;
    rec.tsSec = sec + this.loopOffset;
  }

  private deliver(rec: PacketRecord, onPacket: (r: PacketRecord) => void): void {
    const filter = this.opts.captureFilter;
    if (filter !== undefined && !filter(rec)) {
      this.info.packetsFiltered++;
      return;
    }
    try {
      onPacket(rec);
    } catch (e) {
      this.consumerError = e;
      throw e;
    }
  }

  private syncInfo(parser: AutoCaptureParser): void {
    const lts = parser.linkTypes;
    const info = this.info;
    if (lts.length > 0) {
      for (const lt of lts) {
        const name = linkTypeName(lt);
        if (!info.linkTypes.includes(name)) info.linkTypes.push(name);
      }
    }
    if (parser.truncated) info.truncated = true;
  }

  /** Milliseconds to wait before delivering `rec` at `speed` times real time. */
  private paceDelay(rec: PacketRecord, speed: number): number {
    const t = rec.tsSec + rec.tsNsec / 1e9;
    const now = this.timers.now();
    if (this.anchorPkt < 0) {
      this.anchorPkt = t;
      this.anchorWall = now;
      return 0;
    }
    const wait = this.anchorWall + ((t - this.anchorPkt) * 1000) / speed - now;
    return wait >= MIN_WAIT_MS ? wait : 0;
  }

  /** Sleep `ms`, or until resume()/stop() when ms < 0. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      if (ms >= 0) {
        this.timer = this.timers.setTimeout(() => {
          this.timer = null;
          this.wake = null;
          resolve();
        }, ms);
      }
    });
  }

  /** Give the event loop a turn; the next time slice starts when it returns. */
  private async yieldToLoop(): Promise<void> {
    await new Promise<void>((resolve) => this.timers.setImmediate(resolve));
    this.sliceStart = this.timers.now();
  }
}

/** A source reading a pcap or pcapng file (or stdin) in 1 MiB chunks. */
export function openFileSource(opts: FileSourceOptions): PacketSource {
  const speed = opts.speed ?? 'max';
  if (speed !== 'max' && !(typeof speed === 'number' && speed > 0 && Number.isFinite(speed))) {
    throw new CaptureError(`invalid replay speed ${String(speed)}: use a positive number or 'max'`);
  }
  return new FileSource(opts);
}
