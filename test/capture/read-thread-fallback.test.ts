import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { frame, pcapHeader, pcapRecord } from './bytes.js';
import { tempFiles } from './temp-files.js';

/** How the fake Worker misbehaves in the next test. */
const mode = vi.hoisted(() => ({ kind: 'throw' as 'throw' | 'error' | 'read-error' }));

vi.mock('node:worker_threads', () => ({
  Worker: class extends EventEmitter {
    constructor() {
      super();
      if (mode.kind === 'throw') throw new Error('ERR_WORKER_INIT_FAILED');
      setTimeout(() => {
        if (mode.kind === 'error') this.emit('error', new Error('no threads here'));
        else this.emit('message', { message: 'EIO: i/o error, read', code: 'EIO' });
        this.emit('exit', 1);
      }, 5);
    }
  },
}));

const { openFileSource } = await import('../../src/capture/file-source.js');
const { openChunkSource } = await import('../../src/capture/chunk-source.js');

const bytes = Buffer.concat([pcapHeader(), ...[...Array(20).keys()].map((i) => pcapRecord({ sec: i, frac: 0, data: frame(100, i) }))]);
const path = tempFiles('wiretop-fallback-').file('f.pcap', bytes);

describe('reader thread fallback', () => {
  it.each(['throw', 'error'] as const)('reads on the main thread when the thread cannot start (%s)', async (kind) => {
    mode.kind = kind;
    const chunks = await openChunkSource({ path, thread: true });
    let total = 0;
    for (let c = await chunks.next(); c !== null; c = await chunks.next()) total += c.length;
    await chunks.close();
    expect(chunks.via).toBe('stream');
    expect(total).toBe(bytes.length);
    const src = openFileSource({ path, thread: true });
    const ids: number[] = [];
    await src.start((r) => ids.push(r.buf[r.off]!));
    expect(ids).toEqual([...Array(20).keys()]);
  });

  it('reports a read error in the thread as one line', async () => {
    mode.kind = 'read-error';
    const err = await openFileSource({ path, thread: true }).start(() => {}).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`cannot read ${path}: EIO: i/o error, read`);
    expect((err as { exitCode?: number }).exitCode).toBe(1);
  });
});
