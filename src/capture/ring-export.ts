import { PcapngWriter } from './pcapng-writer.js';
import { PcapWriter } from './pcap-writer.js';
import type { PacketRing } from './packet-ring.js';
import type { RingSelector } from './ring-key.js';

export interface RingExportOptions {
  /** 'auto' (default): pcap when the selection has one link type, pcapng otherwise. */
  format?: 'auto' | 'pcap' | 'pcapng';
}

export interface RingExportResult {
  format: 'pcap' | 'pcapng';
  packets: number;
  /** Captured bytes written (packet data only). */
  bytes: number;
  linkTypes: number[];
  /** Selected packets left out because `format: 'pcap'` can hold only one link type (the most common is kept). */
  skipped: number;
}

/** PacketRing.exportPcap: two scans, one to learn the link types, one to write. */
export function exportRing(ring: PacketRing, path: string, select: RingSelector, opts: RingExportOptions = {}): RingExportResult {
  const byType = new Map<number, number>();
  ring.scan((m) => {
    if (select(m)) byType.set(m.linkType, (byType.get(m.linkType) ?? 0) + 1);
  });
  const types = [...byType.keys()];
  const format = opts.format === 'pcap' || opts.format === 'pcapng' ? opts.format : types.length > 1 ? 'pcapng' : 'pcap';
  const res: RingExportResult = { format, packets: 0, bytes: 0, linkTypes: [], skipped: 0 };
  if (format === 'pcap') {
    const keep = types.length === 0 ? 1 : types.reduce((a, b) => (byType.get(b)! > byType.get(a)! ? b : a));
    const w = PcapWriter.toFile(path, { linkType: keep, nanos: true, snaplen: 262144 });
    try {
      ring.scan((m, data) => {
        if (!select(m)) return;
        if (m.linkType !== keep) {
          res.skipped++;
          return;
        }
        w.writePacket(m.tsSec, m.tsNsec, data, m.origLen);
        res.packets++;
        res.bytes += data.length;
      });
    } finally {
      w.close();
    }
    res.linkTypes = [keep];
    return res;
  }
  const w = PcapngWriter.toFile(path, { userAppl: 'wiretop' });
  try {
    const ifOf = new Map<number, number>();
    for (const t of types) ifOf.set(t, w.addInterface({ linkType: t, tsresol: 9, snaplen: 262144 }));
    ring.scan((m, data) => {
      if (!select(m)) return;
      w.writePacket(ifOf.get(m.linkType)!, m.tsSec, m.tsNsec, data, m.origLen);
      res.packets++;
      res.bytes += data.length;
    });
  } finally {
    w.close();
  }
  res.linkTypes = types;
  return res;
}
