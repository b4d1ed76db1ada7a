import { DEFAULT_STREAM_BYTES, DEFAULT_TOTAL_BYTES } from './stream-tracker.js';

/** yargs options for the commands that keep streams (live view, report); the lead wires them in main.ts. */
export const STREAM_YARGS_OPTIONS = {
  'stream-bytes': {
    type: 'string', default: '1M',
    describe: 'bytes kept per direction of each TCP stream / UDP conversation (oldest dropped; K, M, G suffixes)',
  },
  'stream-total-bytes': {
    type: 'string', default: '64M', describe: 'bytes kept over all streams (oldest dropped first; K, M, G suffixes)',
  },
} as const;

/** Parse `1048576`, `512K`, `1M`, `1.5G` (binary units). Returns null when invalid. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(?:i?[bB])?\s*$/.exec(text);
  if (!m) return null;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.floor(Number(m[1]) * mult);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export { DEFAULT_STREAM_BYTES, DEFAULT_TOTAL_BYTES };
