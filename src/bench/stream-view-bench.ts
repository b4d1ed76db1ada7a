import { PacketRing } from '../capture/packet-ring.js';
import { RingKey } from '../capture/ring-key.js';
import { setupDissection } from '../dissect/setup.js';
import { Engine } from '../engine/engine.js';
import { TcpEntry } from '../streams/stream-entries.js';
import { sessionStreamIndex } from '../ui/store/stream-index.js';
import { RingRebuild } from '../ui/store/stream-rebuild.js';
import { replay, type Held } from './held-capture.js';

/** The dashboard's on-demand reassembly: the stream with the most bytes whose packets are all in the ring (else the largest). */
export interface StreamViewBench {
  readonly ringMb: number;
  readonly ringPackets: number;
  readonly stream: number;
  /** Chunks (request/response runs) the view shows. */
  readonly streamChunks: number;
  readonly streamBytes: number;
  /** Whether its first packet is in the ring (false: the view marks the bytes before it). */
  readonly whole: boolean;
  /** Bytes the view shows (held in the ring). */
  readonly shownBytes: number;
  /** Best of 5: the first view (ring scan, decode, reassembly) and an update with nothing new. */
  readonly firstMs: number;
  readonly againMs: number;
}

/**
 * The dashboard's path for the stream view: the capture read as Runtime reads it (ring appends keyed
 * and tagged by frame number, stream index), then the largest stream whose packets are all in the
 * ring reassembled from it, as opening it with `s` does.
 */
export function streamView(h: Held, o: { streamBytes?: number; totalBytes?: number }, ringMb = 64): StreamViewBench | null {
  const engine = new Engine({ rates: false, idleTimeoutSec: 0 });
  const ring = new PacketRing({ bytes: ringMb << 20 });
  const streams = { ring, frame: () => frame, streamBytes: o.streamBytes, totalBytes: o.totalBytes };
  let frame = 0;
  const after = sessionStreamIndex((slot) => engine.flows.gen[slot]!, streams).after;
  const d = setupDissection(engine, { store: false, streamBytes: o.streamBytes, totalBytes: o.totalBytes, after });
  const key = new RingKey();
  replay(h, (r) => {
    frame++;
    engine.ingest(r);
    key.fromPacket(engine.packet, frame);
    ring.append(r, key);
  });
  let oldest = 0;
  ring.scan((m) => {
    oldest = m.tag;
    return false;
  });
  const t = d.streams;
  for (let s = 0; s < engine.flows.gen.length; s++) t.syncSlot(s);
  // The largest stream wholly in the ring; else (long connections) the largest, its start before the ring.
  let best: TcpEntry | null = null;
  let bestBytes = 0;
  for (const whole of [true, false]) {
    for (const e of t.tcpEntries) {
      if (!(e instanceof TcpEntry) || (whole && e.firstTag < oldest)) continue;
      const bytes = e.expected(0) + e.expected(1);
      if (bytes > bestBytes) {
        best = e;
        bestBytes = bytes;
      }
    }
    if (best !== null) break;
  }
  if (best === null) return null;
  let firstMs = Infinity;
  let againMs = Infinity;
  let chunks = 0;
  let shown = 0;
  for (let i = 0; i < 5; i++) {
    const rebuild = new RingRebuild(best, streams);
    const t0 = performance.now();
    const r = rebuild.update();
    const t1 = performance.now();
    rebuild.update();
    const t2 = performance.now();
    firstMs = Math.min(firstMs, t1 - t0);
    againMs = Math.min(againMs, t2 - t1);
    chunks = r.chunks.length;
    shown = r.chunks.reduce((n, c) => n + c.data.length, 0);
  }
  return { ringMb, ringPackets: ring.packets(), stream: best.index, streamChunks: chunks, whole: best.firstTag >= oldest, shownBytes: shown, streamBytes: bestBytes, firstMs, againMs };
}
