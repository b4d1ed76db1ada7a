import { EXTERNAL, INTERNAL } from './addr-key.js';
import type { PacketFacts } from './context.js';
import type { BeaconDetector } from './detectors/beacon.js';
import type { ExfilDetector } from './detectors/exfil.js';
import type { ScanDetector } from './detectors/scan.js';
import type { SynFloodDetector } from './detectors/syn-flood.js';
import type { VolumeSpikeDetector } from './detectors/volume-spike.js';
import { hash32 } from './model/distinct.js';
import type { PacketFields } from './packet-log.js';

/** The detectors that keep tables (they see logged packets; see PacketLog). */
export interface TableDetectors {
  readonly scan: ScanDetector;
  readonly synFlood: SynFloodDetector;
  readonly exfil: ExfilDetector;
  readonly beacon: BeaconDetector;
  readonly volume: VolumeSpikeDetector;
}

/** Hand one packet (its fields in p, its facts in pk) to the table detectors that want it. */
export function dispatchPacket(d: TableDetectors, pk: PacketFacts, p: PacketFields): void {
  // Each detector checks its packets itself; these tests only skip the calls
  // for the common packets none of them wants (TCP segments of established
  // connections between a client and a server).
  const proto = p.ipProto;
  const flags = proto === 6 ? p.tcpFlags : 0;
  // A SYN, a RST, or anything that is not TCP.
  const probe = proto !== 6 || (flags & 0x12) === 0x02 || (flags & 0x04) !== 0;
  if (probe) d.scan.onPacket(p);
  if (proto === 6) {
    const f = flags & 0x17;
    if (f === 0x02 || f === 0x12 || f === 0x10) d.synFlood.onPacket(p);
  }
  const srcInternal = (pk.srcCls & INTERNAL) !== 0;
  if (srcInternal) {
    if ((pk.dstCls & EXTERNAL) !== 0) {
      pk.exfilDstHash = hash32(pk.dst + 0x5bd1e995);
      d.exfil.onPacket(p);
    }
    if (proto !== 6 || (flags & 0x12) === 0x02) {
      pk.beaconDstHash = hash32(pk.dst + 0x27d4eb2f);
      d.beacon.onPacket(p);
    }
  }
  if (srcInternal || (pk.dstCls & INTERNAL) !== 0) d.volume.onPacket(p);
}
