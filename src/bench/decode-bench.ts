import { PacketRecord } from '../capture/record.js';
import { DecodedPacket } from '../decode/packet.js';
import { Decoder } from '../decode/decoder.js';

/** The fields of a PacketRecord the decoder reads, so a bench can feed plain objects. */
export interface PacketRecordLike {
  readonly buf: Uint8Array;
  readonly off: number;
  readonly capLen: number;
  readonly origLen: number;
  readonly linkType: number;
  readonly ifIndex?: number;
  readonly tsSec?: number;
  readonly tsNsec?: number;
}

export interface DecodeBenchResult {
  readonly packets: number;
  readonly seconds: number;
  readonly pps: number;
  /** Wrapping sum of path ids, so the work cannot be optimised away. */
  readonly checksum: number;
}

/**
 * Decodes `records` `iterations` times through one reused record and one
 * reused DecodedPacket, the way a source feeds the engine.
 */
export function benchDecode(records: readonly PacketRecordLike[], iterations: number): DecodeBenchResult {
  const dec = new Decoder();
  const rec = new PacketRecord();
  const out = new DecodedPacket();
  let checksum = 0;
  const run = (): void => {
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      rec.buf = r.buf;
      rec.off = r.off;
      rec.capLen = r.capLen;
      rec.origLen = r.origLen;
      rec.linkType = r.linkType;
      rec.ifIndex = r.ifIndex ?? 0;
      rec.tsSec = r.tsSec ?? 0;
      rec.tsNsec = r.tsNsec ?? 0;
      dec.decode(rec, out);
      checksum = (checksum + out.pathId + out.malformed) | 0;
    }
  };
  // One untimed pass so the timed loop runs optimised code and the path table is warm.
  run();
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < iterations; k++) run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const packets = records.length * iterations;
  return { packets, seconds, pps: seconds > 0 ? packets / seconds : 0, checksum };
}
