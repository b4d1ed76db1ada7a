import { PacketRecord } from '../../src/capture/record.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';

export interface FrameSpec {
  src: [number, number, number, number];
  dst: [number, number, number, number];
  sport: number;
  dport: number;
  udp?: boolean;
  seq?: number;
  ack?: number;
  flags?: number;
  data?: Uint8Array;
}

/** Ethernet + IPv4 + TCP/UDP frame (checksums left zero: nothing here verifies them). */
export function frame(f: FrameSpec): Uint8Array {
  const data = f.data ?? new Uint8Array(0);
  const l4len = f.udp ? 8 : 20;
  const b = new Uint8Array(14 + 20 + l4len + data.length);
  const v = new DataView(b.buffer);
  b.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 8, 0]);
  b[14] = 0x45;
  v.setUint16(16, 20 + l4len + data.length);
  b[22] = 64;
  b[23] = f.udp ? 17 : 6;
  b.set(f.src, 26);
  b.set(f.dst, 30);
  v.setUint16(34, f.sport);
  v.setUint16(36, f.dport);
  if (f.udp) v.setUint16(38, 8 + data.length);
  else {
    v.setUint32(38, (f.seq ?? 0) >>> 0);
    v.setUint32(42, (f.ack ?? 0) >>> 0);
    b[46] = 0x50;
    b[47] = f.flags ?? 0x18;
    v.setUint16(48, 65535);
  }
  b.set(data, 34 + l4len);
  return b;
}

export function pcapOf(frames: Uint8Array[]): Buffer {
  const w = new PcapWriter();
  frames.forEach((fr, i) => w.writePacket(1_700_000_000 + i, 0, fr));
  return Buffer.from(w.toBuffer());
}

/** Feed `frames` to an engine (one second apart from 1_700_000_000), calling `after()` after each. */
export function ingestFrames(e: { ingest(r: PacketRecord): void }, frames: readonly Uint8Array[], after?: () => void): void {
  const r = new PacketRecord();
  frames.forEach((f, i) => {
    r.buf = f;
    r.off = 0;
    r.capLen = r.origLen = f.length;
    r.tsSec = 1_700_000_000 + i;
    e.ingest(r);
    after?.();
  });
}
