import { closeSync, openSync, writeSync } from 'node:fs';
import { ChunkKind } from '../../streams/chunk.js';
import type { StreamViewChunk } from './stream-data.js';

export type StreamDirection = 'both' | 'client' | 'server';

export interface ExportOptions {
  /** Replace an existing file (default false: an existing file is an error, not silently lost). */
  readonly overwrite?: boolean;
}

/**
 * Write the stream's payload bytes, exactly as captured, in delivery order: both directions
 * interleaved, or one. Gap and dropped markers are not data and are not written. Returns the bytes
 * written; throws the fs error (EEXIST, EACCES, ...) for the caller to show.
 */
export function exportStream(chunks: readonly StreamViewChunk[], path: string, direction: StreamDirection = 'both',
  opts: ExportOptions = {}): number {
  const want = direction === 'client' ? 0 : direction === 'server' ? 1 : -1;
  const fd = openSync(path, opts.overwrite ? 'w' : 'wx', 0o600);
  let total = 0;
  try {
    for (const c of chunks) {
      if (c.kind !== ChunkKind.Data || (want >= 0 && c.dir !== want)) continue;
      let at = 0;
      while (at < c.data.length) at += writeSync(fd, c.data, at, c.data.length - at);
      total += c.data.length;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}
