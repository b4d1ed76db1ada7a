import { PacketRecord } from '../../src/capture/record.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import type { BaselineMonitor } from '../../src/baseline/monitor.js';
import type { GenFrame } from '../../src/fixtures-gen/anomalies/frames.js';

/** Decode generated frames and feed them to a monitor, then close its last second. */
export function feed(frames: readonly GenFrame[], m: BaselineMonitor): void {
  const dec = new Decoder();
  const rec = new PacketRecord();
  const p = new DecodedPacket();
  for (const f of frames) {
    rec.buf = f.data;
    rec.off = 0;
    rec.capLen = f.data.length;
    rec.origLen = f.origLen;
    rec.linkType = 1;
    rec.tsSec = Math.floor(f.t);
    rec.tsNsec = Math.min(999_999_999, Math.round((f.t - rec.tsSec) * 1e9));
    dec.decode(rec, p);
    m.onPacket(p, 0);
  }
  m.finish();
}
