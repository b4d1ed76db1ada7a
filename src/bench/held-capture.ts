import { openFileSource } from '../capture/file-source.js';
import { PacketRecord } from '../capture/record.js';

/**
 * The capture in memory the way a file source delivers it: packet bytes in a few large buffers and
 * one reused PacketRecord, so neither side pays for a million record objects in the heap (which
 * made every garbage collection of the side that allocates look expensive).
 */
export interface Held {
  chunks: Uint8Array[];
  /** Per packet: chunk, offset, captured and original length, link type, interface, time. */
  at: Int32Array;
  packets: number;
  bytes: number;
}

const CHUNK = 256 << 20;
const FIELDS = 8;

export async function loadHeld(path: string): Promise<Held> {
  const chunks: Uint8Array[] = [new Uint8Array(CHUNK)];
  let used = 0;
  let at = new Int32Array(FIELDS * 65536);
  let packets = 0;
  let bytes = 0;
  await openFileSource({ path }).start((r) => {
    if (used + r.capLen > CHUNK) {
      chunks.push(new Uint8Array(Math.max(CHUNK, r.capLen)));
      used = 0;
    }
    chunks[chunks.length - 1]!.set(r.buf.subarray(r.off, r.off + r.capLen), used);
    if ((packets + 1) * FIELDS > at.length) {
      const n = new Int32Array(at.length * 2);
      n.set(at);
      at = n;
    }
    const k = packets * FIELDS;
    at[k] = chunks.length - 1;
    at[k + 1] = used;
    at[k + 2] = r.capLen;
    at[k + 3] = r.origLen;
    at[k + 4] = r.linkType;
    at[k + 5] = r.ifIndex;
    at[k + 6] = r.tsSec;
    at[k + 7] = r.tsNsec;
    used += r.capLen;
    packets++;
    bytes += r.origLen;
  });
  return { chunks, at, packets, bytes };
}

/** Feed every held packet to `ingest` through one reused record. */
export function replay(h: Held, ingest: (r: PacketRecord) => void): void {
  const r = new PacketRecord();
  const a = h.at;
  for (let i = 0; i < h.packets; i++) {
    const k = i * FIELDS;
    r.buf = h.chunks[a[k]!]!;
    r.off = a[k + 1]!;
    r.capLen = a[k + 2]!;
    r.origLen = a[k + 3]!;
    r.linkType = a[k + 4]!;
    r.ifIndex = a[k + 5]!;
    r.tsSec = a[k + 6]! >>> 0;
    r.tsNsec = a[k + 7]!;
    ingest(r);
  }
}
