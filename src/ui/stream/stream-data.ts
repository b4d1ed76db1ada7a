import { ChunkKind } from '../../streams/chunk.js';
import type { StreamChunk } from '../../streams/chunk.js';
import { escapeWithMap, extendEscaped } from './escaped-text.js';
import type { EscapedText } from './escaped-text.js';

/** What the view needs of a reassembly chunk (`StreamChunk` from src/streams fits as is). */
export type StreamViewChunk = Pick<StreamChunk, 'kind' | 'dir' | 'data' | 'missing' | 'frame'>;

/**
 * One stream as the view draws it. Built by the wiring from a `TcpStream`/`UdpStream`:
 * `chunks()` in delivery order, `halves[d].store.droppedBytes` (or `stores[d]`) for `dropped`.
 * A new `chunks` array (or a longer one) is how new data arrives.
 */
export interface StreamViewSource {
  readonly proto: 'tcp' | 'udp';
  /** tcp.stream / udp.stream number. */
  readonly index: number;
  /** Client (side 0, first sender seen) and server endpoints as text, e.g. `10.0.0.1:51234`. */
  readonly client: string;
  readonly server: string;
  readonly chunks: readonly StreamViewChunk[];
  /** Oldest bytes dropped per direction by the stream byte cap ([client, server]). */
  readonly dropped: readonly [number, number];
  /** Why they are not held, for the marker (default: the stream byte limit). */
  readonly droppedWhy?: string;
}

/**
 * A block is what `[`/`]` jump between: a run of consecutive data chunks in one direction (one
 * request or response, however many segments carried it; for UDP, one datagram), a gap marker, or
 * a dropped-oldest marker.
 * Segments are joined before escaping so a line or a UTF-8 character split across segments reads whole.
 */
export type StreamBlock =
  | { readonly kind: 'data'; readonly dir: 0 | 1; readonly bytes: Uint8Array; readonly escaped: EscapedText;
      /** Stream offset (per direction) of the first byte, counting dropped and missing bytes. */
      readonly offset: number; readonly firstFrame: number }
  | { readonly kind: 'gap'; readonly dir: 0 | 1; readonly missing: number; readonly offset: number; readonly firstFrame: number }
  | { readonly kind: 'dropped'; readonly dir: 0 | 1; readonly missing: number; readonly offset: 0; readonly firstFrame: 0; readonly why: string };

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Escaped runs kept between sources: new data arrives as a new chunks array every tick, and
 * escaping a megabyte again each time would stall follow mode. Keyed by the run's first chunk
 * object: a run that grew is extended (only its tail escaped); one that lost its head to the byte
 * cap starts with another chunk and is escaped afresh.
 */
export class EscapeCache {
  private readonly runs = new WeakMap<StreamViewChunk, { readonly count: number; readonly bytes: Uint8Array; readonly escaped: EscapedText }>();

  /** The run starting with `first` as it was escaped before, at most `count` chunks long (chunks are only appended). */
  get(first: StreamViewChunk, count: number): { readonly count: number; readonly bytes: Uint8Array; readonly escaped: EscapedText } | null {
    const hit = this.runs.get(first);
    return hit && hit.count <= count ? hit : null;
  }

  set(first: StreamViewChunk, count: number, bytes: Uint8Array, escaped: EscapedText): void {
    this.runs.set(first, { count, bytes, escaped });
  }
}

export function buildBlocks(source: StreamViewSource, cache: EscapeCache | null = null): StreamBlock[] {
  const blocks: StreamBlock[] = [];
  const offset: [number, number] = [source.dropped[0], source.dropped[1]];
  for (const d of [0, 1] as const) {
    if (source.dropped[d] > 0) blocks.push({
      kind: 'dropped', dir: d, missing: source.dropped[d], offset: 0, firstFrame: 0, why: source.droppedWhy ?? 'over the stream byte limit (--stream-bytes)',
    });
  }
  let run: Uint8Array[] = [];
  let runLen = 0;
  let runDir: 0 | 1 = 0;
  let runFrame = 0;
  let runFirst: StreamViewChunk | null = null;
  const flush = (): void => {
    if (run.length === 0) return;
    const hit = cache?.get(runFirst!, run.length) ?? null;
    const isSame = hit !== null && hit.count === run.length;
    const bytes = isSame ? hit.bytes : concat(run, runLen);
    const escaped = isSame ? hit.escaped : hit !== null ? extendEscaped(hit.escaped, bytes) : escapeWithMap(bytes);
    if (!isSame) cache?.set(runFirst!, run.length, bytes, escaped);
    blocks.push({ kind: 'data', dir: runDir, bytes, escaped, offset: offset[runDir], firstFrame: runFrame });
    offset[runDir] += runLen;
    run = [];
    runLen = 0;
  };
  for (const c of source.chunks) {
    if (c.kind === ChunkKind.Gap) {
      flush();
      blocks.push({ kind: 'gap', dir: c.dir, missing: c.missing, offset: offset[c.dir], firstFrame: c.frame });
      offset[c.dir] += c.missing;
      continue;
    }
    if (c.data.length === 0) continue;
    // A UDP datagram is a message of its own; TCP segments of one direction are one byte stream.
    if (run.length > 0 && (c.dir !== runDir || source.proto === 'udp')) flush();
    if (run.length === 0) {
      runDir = c.dir;
      runFrame = c.frame;
      runFirst = c;
    }
    run.push(c.data);
    runLen += c.data.length;
  }
  flush();
  return blocks;
}

/** Bytes held per direction (data only) and missing per direction (gaps). */
export function streamTotals(source: StreamViewSource): { readonly bytes: [number, number]; readonly missing: [number, number] } {
  const bytes: [number, number] = [0, 0];
  const missing: [number, number] = [0, 0];
  for (const c of source.chunks) {
    if (c.kind === ChunkKind.Gap) missing[c.dir] += c.missing;
    else bytes[c.dir] += c.data.length;
  }
  return { bytes, missing };
}
