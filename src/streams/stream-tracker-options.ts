import type { SlotFlows } from './slot-streams.js';
import type { ChunkListener } from './streams.js';

export const DEFAULT_STREAM_BYTES = 1 << 20;
export const DEFAULT_TOTAL_BYTES = 64 << 20;

/** What a StreamTracker keeps, and how (src/streams/stream-tracker.ts). */
export interface StreamTrackerOptions {
  /** Bytes held per direction of a stream (`--stream-bytes`; each chunk also counts 64); the oldest are dropped past it. Default 1 MiB. */
  streamBytes?: number;
  /** Bytes held over all streams; the oldest anywhere are dropped past it. Default 64 MiB. */
  totalBytes?: number;
  /** Out-of-order bytes one direction may hold before its lowest hole is declared missing. Default streamBytes. */
  maxOooBytes?: number;
  /** Out-of-order fragments one direction may hold. Default 4096. */
  maxOooFragments?: number;
  /** Stream objects retained; older ones are forgotten (their numbers stay taken). Default 200000. */
  maxStreams?: number;
  /** Which streams keep data (others are only numbered and counted). Default: all. */
  keep?: (proto: 'tcp' | 'udp', index: number) => boolean;
  /** Called with every chunk of a kept stream as it is delivered. */
  onChunk?: ChunkListener;
  /** Store chunks (default true); false with onChunk streams data through without holding it. */
  storeData?: boolean;
  /**
   * Reassemble (default true). false is index mode: streams are numbered exactly the same way and
   * counted (`tcpEntries`, `udpEntries`), nothing else: no chunks, no copies (`tcp`/`udp` stay empty).
   */
  store?: boolean;
  /**
   * Index mode only: the engine's flow table (what the `flowSlot` of onPacket indexes). Then an
   * ordinary packet of a known conversation (flow not new, not a TCP SYN, both TCP directions seen)
   * only gets its stream number from a per-slot word: its entry is not looked up nor counted
   * (syncSlot() brings it up to date).
   */
  flows?: SlotFlows;
}
