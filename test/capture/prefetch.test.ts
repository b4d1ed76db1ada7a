import { describe, expect, it } from 'vitest';
import { discardPrefetch, openChunkSource, prefetchChunkSource, THREAD_MIN_BYTES } from '../../src/capture/chunk-source.js';
import { openFileSource } from '../../src/capture/file-source.js';
import { frame, pcapHeader, pcapRecord } from './bytes.js';
import { tempFiles } from './temp-files.js';

const { file } = tempFiles('wiretop-prefetch-');

/** A pcap just over the reader-thread threshold: 1500-byte packets, packet i filled with i & 0xff. */
function bigPcap(): { path: string; packets: number } {
  const packets = Math.ceil(THREAD_MIN_BYTES / (16 + 1500)) + 10;
  const recs = [...Array(packets).keys()].map((i) => pcapRecord({ le: true, sec: 1_700_000_000 + i, frac: 0, data: frame(1500, i & 0xff) }));
  return { path: file(`big-${Math.random()}.pcap`, Buffer.concat([pcapHeader({ le: true }), ...recs])), packets };
}

describe('prefetchChunkSource', () => {
  it('hands the early reader to the file source, which reads every packet from it', async () => {
    const { path, packets } = bigPcap();
    prefetchChunkSource(path);
    const src = openFileSource({ path });
    let n = 0;
    let intact = true;
    await src.start((r) => {
      if (r.buf[r.off + 100] !== (n & 0xff)) intact = false;
      n++;
    });
    expect(n).toBe(packets);
    expect(intact).toBe(true);
    await discardPrefetch(); // nothing left to discard
  });

  it('is taken over once, by the same path only', async () => {
    const { path } = bigPcap();
    prefetchChunkSource(path);
    const other = await openChunkSource({ path, thread: false });
    expect(other.via).toBe('stream'); // thread: false is not what was prefetched
    await other.close();
    const first = await openChunkSource({ path });
    expect(first.via).toBe('thread');
    await first.close();
    await discardPrefetch();
  });

  it('is closed by discardPrefetch when nothing took it over', async () => {
    const { path } = bigPcap();
    prefetchChunkSource(path);
    await discardPrefetch();
    // a later open is a fresh one and reads from the start
    const again = await openChunkSource({ path });
    const chunk = await again.next();
    expect(chunk!.readUInt32LE(0)).toBe(0xa1b2c3d4);
    await again.close();
  });

  it('ignores small files, pipes and paths it cannot stat', async () => {
    prefetchChunkSource('-');
    prefetchChunkSource('/nonexistent/x.pcap');
    prefetchChunkSource(file('small.pcap', Buffer.concat([pcapHeader({ le: true })])));
    await expect(openChunkSource({ path: '/nonexistent/x.pcap' })).rejects.toThrow(/no such file/);
    await discardPrefetch();
  });
});
