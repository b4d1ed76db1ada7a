import { ChunkKind } from '../../../src/streams/chunk.js';
import type { StreamViewChunk, StreamViewSource } from '../../../src/ui/stream/stream-data.js';

const enc = new TextEncoder();

export function data(dir: 0 | 1, bytes: string | Uint8Array, frame = 1): StreamViewChunk {
  return { kind: ChunkKind.Data, dir, data: typeof bytes === 'string' ? enc.encode(bytes) : bytes, missing: 0, frame };
}

export function gap(dir: 0 | 1, missing: number, frame = 1): StreamViewChunk {
  return { kind: ChunkKind.Gap, dir, data: new Uint8Array(0), missing, frame };
}

export function source(chunks: readonly StreamViewChunk[], over: Partial<StreamViewSource> = {}): StreamViewSource {
  return { proto: 'tcp', index: 3, client: '10.0.0.1:51234', server: '93.184.216.34:80', chunks, dropped: [0, 0], ...over };
}

/** A small HTTP exchange: two request/response pairs, the first request split over two segments. */
export function httpChunks(): StreamViewChunk[] {
  return [
    data(0, 'GET /index.html HTTP/1.1\r\nHost: exam', 4),
    data(0, 'ple.com\r\nUser-Agent: test\r\n\r\n', 5),
    data(1, 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\nhello world\n', 6),
    data(0, 'GET /second HTTP/1.1\r\nHost: example.com\r\n\r\n', 8),
    data(1, 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n', 9),
  ];
}

/**
 * Everything a terminal would act on, after removing the SGR styling Ink itself emits. Wire
 * payloads in these tests that look like SGR are also asserted to appear as escaped text.
 */
export function controlBytes(frame: string): string[] {
  // eslint-disable-next-line no-control-regex
  const unstyled = frame.replace(/\x1b\[[0-9;]*m/g, '');
  // eslint-disable-next-line no-control-regex
  return [...unstyled.matchAll(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g)].map((m) => m[0]);
}
