import { ChunkKind } from '../../streams/chunk.js';
import type { StreamChunk } from '../../streams/chunk.js';
import { escapeWithMap } from './escaped-text.js';
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
}

/**
 * A block is what `[`/`]` jump between: a run of consecutive data chunks in one direction (one
 * request or response, however many segments carried it), a gap marker, or a dropped-oldest marker.
 * Segments are joined before escaping so a line or a UTF-8 character split across segments reads whole.
 */
export type StreamBlock =
  | { readonly kind: 'data'; readonly dir: 0 | 1; readonly bytes: Uint8Array; readonly escaped: EscapedText;
      /** Stream offset (per direction) of the first byte, counting dropped and missing bytes. */
      readonly offset: number; readonly firstFrame: number }
  | { readonly kind: 'gap'; readonly dir: 0 | 1; readonly missing: number; readonly offset: number; readonly firstFrame: number }
  | { readonly kind: 'dropped'; readonly dir: 0 | 1; readonly missing: number; readonly offset: 0; readonly firstFrame: 0 };

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

export function buildBlocks(source: StreamViewSource): StreamBlock[] {
  const blocks: StreamBlock[] = [];
  const offset: [number, number] = [source.dropped[0], source.dropped[1]];
  for (const d of [0, 1] as const) {
    if (source.dropped[d] > 0) blocks.push({ kind: 'dropped', dir: d, missing: source.dropped[d], offset: 0, firstFrame: 0 });
  }
  let run: Uint8Array[] = [];
  let runLen = 0;
  let runDir: 0 | 1 = 0;
  let runFrame = 0;
  const flush = (): void => {
    if (run.length === 0) return;
    const bytes = concat(run, runLen);
    blocks.push({ kind: 'data', dir: runDir, bytes, escaped: escapeWithMap(bytes), offset: offset[runDir], firstFrame: runFrame });
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
    if (run.length > 0 && c.dir !== runDir) flush();
    if (run.length === 0) {
      runDir = c.dir;
      runFrame = c.frame;
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
