import { open, type FileHandle } from 'node:fs/promises';
import { closeSync, createReadStream, fstatSync, openSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { CaptureError, oneLine } from './capture-error.js';
import { ChunkRing, ReaderUnavailable, RING_SLOT_BYTES, RING_SLOTS, type RingInput } from './chunk-ring.js';

/** Chunks of a capture in order; `next()` gives null at the end. A chunk stays valid until the second `next()` after it. */
export interface ChunkSource {
  next(): Promise<Buffer | null>;
  /** Stop reading (also interrupts a pending `next()`, which then gives null) and release the input. */
  close(): Promise<void>;
  /** 'thread' when a reader thread fills a shared ring, 'stream' when the main thread reads a stream. */
  readonly via: 'thread' | 'stream';
}

export interface ChunkSourceOptions {
  path: string;
  stdin?: Readable;
  /** Stream read size (the reader thread uses RING_SLOT_BYTES unless this is set). */
  chunkSize?: number;
  /** 'auto' (default): a reader thread for regular files of at least THREAD_MIN_BYTES. */
  thread?: boolean | 'auto';
}

const STREAM_CHUNK = 1 << 20;
/**
 * Below this a reader thread costs more than it saves: starting one takes
 * ~30 ms of the other core and the first chunk waits for it, while reading
 * 32 MiB on the main thread takes ~7 ms.
 */
export const THREAD_MIN_BYTES = 32 << 20;

function openError(path: string, e: unknown): CaptureError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : oneLine(e);
  return new CaptureError(`cannot open ${path}: ${why}`);
}

class StreamChunks implements ChunkSource {
  readonly via = 'stream';
  private readonly it: AsyncIterator<unknown>;

  constructor(private readonly stream: Readable) {
    this.it = stream[Symbol.asyncIterator]();
  }

  async next(): Promise<Buffer | null> {
    const r = await this.it.next();
    if (r.done) return null;
    return typeof r.value === 'string' ? Buffer.from(r.value) : (r.value as Buffer);
  }

  async close(): Promise<void> {
    this.stream.destroy(); // a file stream closes its fd or FileHandle itself (autoClose)
  }
}

/**
 * The reader thread behind ChunkSource. If the thread fails before its first
 * chunk, `next()` switches to reading the file on the main thread
 * (`fallback`), so a missing worker_threads or a thread limit costs speed,
 * not the capture.
 */
class ThreadChunks implements ChunkSource {
  via: 'thread' | 'stream' = 'thread';
  private ring: ChunkRing | null;
  private stream: StreamChunks | null = null;

  constructor(
    ring: ChunkRing,
    private readonly fallback: () => StreamChunks,
    private readonly release: () => Promise<void>,
  ) {
    this.ring = ring;
  }

  async next(): Promise<Buffer | null> {
    if (this.stream !== null) return this.stream.next();
    if (this.ring === null) return null;
    try {
      return await this.ring.next();
    } catch (e) {
      if (!(e instanceof ReaderUnavailable)) throw e;
      await this.ring!.close();
      this.ring = null;
      this.via = 'stream';
      this.stream = this.fallback();
      return this.stream.next();
    }
  }

  async close(): Promise<void> {
    if (this.stream !== null) return this.stream.close();
    const ring = this.ring;
    this.ring = null;
    if (ring === null) return;
    await ring.close();
    await this.release();
  }
}

function startRing(input: RingInput, chunkSize: number | undefined): ChunkRing | null {
  try {
    return new ChunkRing(input, RING_SLOTS, chunkSize ?? RING_SLOT_BYTES);
  } catch {
    return null; // no worker_threads, no SharedArrayBuffer, or no memory for the ring
  }
}

/**
 * What the reader thread should read for this input, or null for the main
 * thread: regular files of THREAD_MIN_BYTES or more (any size with thread:
 * true), and pipes, which the thread reopens non-blocking through /proc
 * (Linux): a blocking read of an idle pipe in a thread would hold up process
 * exit until the next byte arrives. Terminals, sockets and the rest stay on
 * the main thread.
 */
function threadInput(opts: ChunkSourceOptions, fd: number, path: string): RingInput | null {
  if (opts.thread === false) return null;
  try {
    const st = fstatSync(fd);
    if (st.isFile()) return opts.thread === true || st.size >= THREAD_MIN_BYTES ? { fd, position: path === '-' ? null : 0 } : null;
    if (st.isFIFO() && process.platform === 'linux') return { pipePath: path === '-' ? '/proc/self/fd/0' : path };
  } catch {
    // fall through: the main thread reports what is wrong
  }
  return null;
}

/** A source opened ahead of time by prefetchChunkSource, until openChunkSource takes it. */
let early: { path: string; source: Promise<ChunkSource> } | null = null;

/**
 * Start reading `path` before anyone asks for it, when it is a regular file
 * large enough for the reader thread: the thread takes ~25 ms to boot and read
 * its first chunk, and `wiretop report` spends that long loading the rest of
 * the program. The next openChunkSource of the same path with default
 * options takes this source over (errors included, so they surface where
 * they did); discardPrefetch() closes it if nothing did.
 */
export function prefetchChunkSource(path: string): void {
  if (early !== null || path === '-') return;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size < THREAD_MIN_BYTES) return;
  } catch {
    return; // the real open reports it
  }
  const source = openChunkSource({ path });
  source.catch(() => {}); // handled by whoever takes it over
  early = { path, source };
}

/** Close a prefetched source nobody took over (a run that failed before reading). */
export async function discardPrefetch(): Promise<void> {
  const e = early;
  early = null;
  if (e === null) return;
  try {
    await (await e.source).close();
  } catch {
    // it never opened
  }
}

/** Open the capture named by `opts.path` ('-' = stdin) as a ChunkSource. Throws CaptureError when it cannot be opened. */
export async function openChunkSource(opts: ChunkSourceOptions): Promise<ChunkSource> {
  if (early !== null && early.path === opts.path && opts.stdin === undefined && opts.chunkSize === undefined && opts.thread !== false) {
    const { source } = early;
    early = null;
    return source;
  }
  const size = opts.chunkSize ?? STREAM_CHUNK;
  if (opts.path === '-') {
    const input = opts.stdin === undefined ? threadInput(opts, 0, '-') : null;
    const ring = input === null ? null : startRing(input, opts.chunkSize);
    if (ring !== null) return new ThreadChunks(ring, () => new StreamChunks(process.stdin), async () => {});
    return new StreamChunks(opts.stdin ?? process.stdin);
  }
  let fd = -1;
  let fh: FileHandle | null = null;
  try {
    // A regular file opens at once (an async open is a thread-pool round trip, 2-4 ms of
    // start-up on a busy box); anything else the async way: opening a FIFO waits for a writer.
    if (statSync(opts.path).isFile()) fd = openSync(opts.path, 'r');
    else fh = await open(opts.path, 'r');
  } catch (e) {
    throw openError(opts.path, e);
  }
  let stream: () => StreamChunks;
  let release: () => Promise<void>;
  if (fh !== null) {
    const handle = fh;
    fd = handle.fd;
    stream = () => new StreamChunks(handle.createReadStream({ highWaterMark: size }));
    release = () => handle.close();
  } else {
    const file = fd;
    // The stream closes the fd itself (autoClose).
    stream = () => new StreamChunks(createReadStream(opts.path, { fd: file, highWaterMark: size, start: 0 }));
    release = async () => closeSync(file);
  }
  const input = threadInput(opts, fd, opts.path);
  const ring = input === null ? null : startRing(input, opts.chunkSize);
  return ring === null ? stream() : new ThreadChunks(ring, stream, release);
}
