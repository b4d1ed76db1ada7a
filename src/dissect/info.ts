import type { DecodedPacket } from '../decode/packet.js';
import { appInfoLine } from './dissect.js';
import type { AppInfo } from './types.js';

const FLAG_NAMES: readonly [number, string][] = [
  [2, 'SYN'], [1, 'FIN'], [4, 'RST'], [8, 'PSH'], [16, 'ACK'], [32, 'URG'], [64, 'ECE'], [128, 'CWR'],
];

/**
 * One-line summary of a packet for the packet list, in tshark's spirit:
 * the application line when there is one, else a transport line
 * (`51234 → 80 [SYN, ACK] Seq=… Len=0`, `5353 → 5353 Len=42`).
 */
export function packetInfoLine(p: DecodedPacket, app: AppInfo | null): string {
  if (app) return appInfoLine(app);
  if (p.ipProto === 6 && p.srcPort >= 0) {
    const flags = FLAG_NAMES.filter(([bit]) => p.tcpFlags & bit).map(([, n]) => n).join(', ');
    return `${p.srcPort} → ${p.dstPort} [${flags}] Seq=${p.tcpSeq >>> 0} Ack=${p.tcpAck >>> 0} Win=${p.tcpWin} Len=${p.payloadWireLen}`;
  }
  if (p.ipProto === 17 && p.srcPort >= 0) return `${p.srcPort} → ${p.dstPort} Len=${p.payloadWireLen}`;
  if (p.isLaterFragment) return `Fragmented IP protocol (proto=${p.ipProto}, off=${p.ipFragOffset})`;
  return '';
}
