import { openFileSource } from '../capture/file-source.js';
import { Decoder } from '../decode/decoder.js';
import { DecodedPacket } from '../decode/packet.js';
import { StreamTracker, type StreamTrackerOptions } from './stream-tracker.js';

/**
 * Offline API: read a whole capture file and return its streams, numbered and
 * reassembled. `opts.keep` limits which streams keep data (follow keeps one).
 */
export async function trackFile(path: string, opts: StreamTrackerOptions = {}): Promise<StreamTracker> {
  const tracker = new StreamTracker(opts);
  const decoder = new Decoder();
  const pkt = new DecodedPacket();
  const src = openFileSource({ path });
  await src.start((r) => {
    decoder.decode(r, pkt);
    tracker.onPacket(pkt);
  });
  return tracker;
}
