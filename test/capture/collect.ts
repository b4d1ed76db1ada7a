import { createCaptureParser } from '../../src/capture/capture-parser.js';
import { PacketRecord } from '../../src/capture/record.js';

export interface Got {
  capLen: number;
  origLen: number;
  linkType: number;
  ifIndex: number;
  tsSec: number;
  tsNsec: number;
  first: number;
  last: number;
}

/** Parse `bytes` fed in chunks of `chunk` bytes; copies each record's fields. */
export function parseAll(bytes: Buffer, chunk = bytes.length || 1) {
  const p = createCaptureParser();
  const rec = new PacketRecord();
  const packets: Got[] = [];
  const take = () => {
    while (p.next(rec)) {
      packets.push({
        capLen: rec.capLen,
        origLen: rec.origLen,
        linkType: rec.linkType,
        ifIndex: rec.ifIndex,
        tsSec: rec.tsSec,
        tsNsec: rec.tsNsec,
        first: rec.capLen ? rec.buf[rec.off]! : -1,
        last: rec.capLen ? rec.buf[rec.off + rec.capLen - 1]! : -1,
      });
    }
  };
  for (let i = 0; i < bytes.length; i += chunk) {
    p.feed(bytes.subarray(i, i + chunk));
    take();
  }
  p.end();
  take();
  return { packets, warnings: p.warnings.list, truncated: p.truncated, stopped: p.stopped, format: p.format, linkTypes: p.linkTypes };
}
