/** What reassembly delivers: data in order, or a marker where bytes are known to be missing. */
export const enum ChunkKind {
  Data = 0,
  /** Bytes the receiver acknowledged but the capture never held (tshark's "[N bytes missing in capture file]"). */
  Gap = 1,
}

export interface StreamChunk {
  readonly kind: ChunkKind;
  /** 0 = client (the side that sent the first packet seen), 1 = server. */
  readonly dir: 0 | 1;
  /** Data bytes (a private copy); empty for a gap. */
  readonly data: Uint8Array;
  /** data.length, without making a view. */
  readonly length: number;
  /** Bytes missing for a gap; 0 for data. */
  readonly missing: number;
  /** 1-based frame number of the packet that carried the data (or completed the gap). */
  readonly frame: number;
  /** Delivery order within the stream (both directions share one counter). */
  readonly order: number;
  readonly tsSec: number;
  readonly tsNsec: number;
}

export const EMPTY_BYTES = new Uint8Array(0);

/** The bytes tshark's follow writes for a gap: the marker text and a NUL. */
export function gapMarkerBytes(missing: number): Uint8Array {
  const s = `[${missing} bytes missing in capture file]`;
  const b = new Uint8Array(s.length + 1);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/**
 * A private copy of b[start..end). Not `b.slice()`: on a Node Buffer that is a
 * view into the reader's reused chunk, which the next read overwrites.
 */
export function copyBytes(b: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(b.subarray(start, end));
}
