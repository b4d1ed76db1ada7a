import { openFileSource } from '../capture/file-source.js';
import { emptySourceFlag } from './source-args.js';
import { Decoder } from '../decode/decoder.js';
import { DecodedPacket } from '../decode/packet.js';
import { ip4ToString, ip6ToString } from '../decode/addr.js';
import { StreamTracker } from '../streams/stream-tracker.js';
import { ChunkKind, gapMarkerBytes, type StreamChunk } from '../streams/chunk.js';
import type { Endpoints } from '../streams/endpoints.js';
import { escapeBytes, escapeForTerminal } from '../util/escape.js';
import { parseCommandArgs } from './parse-args.js';

export type FollowFormat = 'raw' | 'ascii' | 'hex';
export type FollowDirection = 'both' | 'client' | 'server';

export interface FollowOptions {
  file: string;
  stream: number;
  format: FollowFormat;
  direction: FollowDirection;
  udp: boolean;
}

export class FollowError extends Error {}

/** The options as yargs wants them, for the lead's `follow` command in main.ts. */
export const FOLLOW_YARGS_OPTIONS = {
  r: { alias: 'read', type: 'string', describe: 'capture file (pcap or pcapng; - for stdin)', demandOption: true },
  stream: { type: 'number', describe: 'stream number (tshark tcp.stream / udp.stream)', demandOption: true },
  format: { choices: ['raw', 'ascii', 'hex'], default: 'ascii', describe: 'raw bytes, escaped text or hex dump' },
  direction: { choices: ['both', 'client', 'server'], default: 'both', describe: 'client = side that sent the first packet seen' },
  udp: { type: 'boolean', default: false, describe: 'follow a UDP conversation instead of a TCP stream' },
} as const;

/**
 * Parse `follow` arguments (a leading `follow` is allowed) with FOLLOW_YARGS_OPTIONS.
 * Throws FollowError with a one-line message.
 */
export function parseFollowArgs(argv: readonly string[]): FollowOptions {
  return followOptions(parseCommandArgs(argv, { command: 'follow', options: FOLLOW_YARGS_OPTIONS }, (m) => new FollowError(m)));
}

/** yargs' argv for `follow` (main.ts routes it too) checked into options; FollowError with one line when a value is not usable. */
export function followOptions(a: Record<string, unknown>): FollowOptions {
  const stream = a['stream'];
  if (typeof stream !== 'number' || !Number.isInteger(stream) || stream < 0) {
    throw new FollowError(`--stream must be a stream number (0, 1, ...), got "${String(stream)}"`);
  }
  if (typeof a['r'] !== 'string') throw new FollowError('-r takes one capture file');
  const empty = emptySourceFlag(a['r'], undefined);
  if (empty !== null) throw new FollowError(empty);
  return { file: a['r'], stream, format: a['format'] as FollowFormat, direction: a['direction'] as FollowDirection, udp: a['udp'] === true };
}

/** Where follow writes; tests pass their own. */
export interface FollowIo {
  write(b: Uint8Array | string): boolean;
  /** Resolves when a write that returned false has drained (or the reader went away). */
  drain(): Promise<void>;
  error(line: string): void;
  /** True once the reader has gone away (EPIPE): follow stops reading. */
  closed?(): boolean;
}

function processIo(): FollowIo {
  let broken = false;
  const waiting: (() => void)[] = [];
  const wake = (): void => {
    for (const w of waiting.splice(0)) w();
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`wiretop follow: ${escapeForTerminal(e.message)}\n`);
    broken = true; // the reader went away (head, less): stop quietly
    wake();
  });
  process.stdout.on('drain', wake);
  return {
    write: (b) => (broken ? true : process.stdout.write(b)),
    drain: () => (broken ? Promise.resolve() : new Promise<void>((res) => waiting.push(res))),
    error: (line) => {
      process.stderr.write(`wiretop follow: ${escapeForTerminal(line)}\n`);
    },
    closed: () => broken,
  };
}

function addrText(e: Endpoints, side: 0 | 1): string {
  const w = side === 0 ? e.a : e.b;
  const port = side === 0 ? e.aPort : e.bPort;
  return e.v6 ? `[${ip6ToString(w)}]:${port}` : `${ip4ToString(w[0]!)}:${port}`;
}

/** Turns delivered chunks into output bytes for one format. */
class Formatter {
  private readonly offsets = [0, 0];
  constructor(private readonly format: FollowFormat, private readonly direction: FollowDirection) {}

  wants(c: StreamChunk): boolean {
    return this.direction === 'both' || (this.direction === 'client') === (c.dir === 0);
  }

  render(c: StreamChunk): Uint8Array | string {
    if (this.format === 'raw') return c.kind === ChunkKind.Gap ? gapMarkerBytes(c.missing) : c.data;
    // Direction marks instead of tshark's tab for server lines: escaped output carries no control byte but \n.
    const indent = this.direction !== 'both' ? '' : c.dir === 0 ? '> ' : '< ';
    if (c.kind === ChunkKind.Gap) return `${indent}[${c.missing} bytes missing in capture file]\n`;
    if (this.format === 'ascii') {
      const text = escapeBytes(c.data, 0, c.data.length, true);
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return lines.map((l) => `${indent}${l}\n`).join('');
    }
    let out = '';
    const base = this.offsets[c.dir]!;
    for (let i = 0; i < c.data.length; i += 16) {
      let hex = '';
      let asc = '';
      for (let k = 0; k < 16; k++) {
        const j = i + k;
        if (j < c.data.length) {
          const v = c.data[j]!;
          hex += v.toString(16).padStart(2, '0') + ' ';
          asc += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
        } else hex += '   ';
        if (k === 7) hex += ' ';
      }
      out += `${indent}${(base + i).toString(16).padStart(8, '0')}  ${hex} ${asc}\n`;
    }
    this.offsets[c.dir] = base + c.data.length;
    return out;
  }
}

/**
 * `wiretop follow -r FILE --stream N [--format raw|ascii|hex] [--direction both|client|server] [--udp]`.
 * Streams the chosen stream's data to stdout while the file is read (memory does
 * not grow with the stream). Raw output equals `tshark -q -z follow,tcp,raw,N`
 * per direction, gap markers included. Returns the exit code.
 */
export async function runFollow(argv: readonly string[] | FollowOptions, io: FollowIo = processIo()): Promise<number> {
  let opts: FollowOptions;
  try {
    opts = Array.isArray(argv) ? parseFollowArgs(argv) : (argv as FollowOptions);
  } catch (e) {
    io.error(e instanceof Error ? e.message : String(e));
    return 1;
  }
  const proto = opts.udp ? 'udp' : 'tcp';
  const fmt = new Formatter(opts.format, opts.direction);
  let headerDone = false;
  let needDrain = false;
  const tracker = new StreamTracker({
    keep: (p, i) => p === proto && i === opts.stream,
    storeData: false,
    streamBytes: Number.MAX_SAFE_INTEGER,
    totalBytes: Number.MAX_SAFE_INTEGER,
    onChunk: (p, i, c) => {
      if (p !== proto || i !== opts.stream || !fmt.wants(c)) return;
      if (!headerDone && opts.format !== 'raw') {
        headerDone = true;
        const s = (proto === 'tcp' ? tracker.tcp[i] : tracker.udp[i])!;
        io.write(`Follow: ${proto} stream ${i}\nClient: ${addrText(s.ends, 0)}\nServer: ${addrText(s.ends, 1)}\n`);
      }
      if (!io.write(fmt.render(c))) needDrain = true;
    },
  });
  const decoder = new Decoder();
  const pkt = new DecodedPacket();
  try {
    const src = openFileSource({ path: opts.file });
    const done = src.start((r) => {
      decoder.decode(r, pkt);
      tracker.onPacket(pkt);
      if (io.closed?.()) {
        src.stop();
        return;
      }
      if (needDrain) {
        needDrain = false;
        src.pause();
        void io.drain().then(() => src.resume());
      }
    });
    await done;
  } catch (e) {
    io.error(e instanceof Error ? e.message.split('\n')[0]! : String(e));
    return 1;
  }
  if (io.closed?.()) return 0;
  const count = opts.udp ? tracker.udpCount : tracker.tcpCount;
  if (opts.stream >= count) {
    io.error(`no ${proto} stream ${opts.stream} in ${opts.file} (it has ${count}${count ? `: 0..${count - 1}` : ''})`);
    return 1;
  }
  if (!headerDone && opts.format !== 'raw') {
    const s = (proto === 'tcp' ? tracker.tcp[opts.stream] : tracker.udp[opts.stream])!;
    io.write(`Follow: ${proto} stream ${opts.stream}\nClient: ${addrText(s.ends, 0)}\nServer: ${addrText(s.ends, 1)}\n`);
  }
  return 0;
}
