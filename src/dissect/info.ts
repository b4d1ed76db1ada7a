import { ip4ToString, macToString } from '../decode/addr.js';
import { L3, type DecodedPacket } from '../decode/packet.js';
import { shownWindow, type TcpShown } from '../flows/tcp-numbers.js';
import { appInfoLine } from './dissect.js';
import type { AppInfo } from './types.js';

const FLAG_NAMES: readonly [number, string][] = [
  [2, 'SYN'], [1, 'FIN'], [4, 'RST'], [8, 'PSH'], [16, 'ACK'], [32, 'URG'], [64, 'ECE'], [128, 'CWR'],
];

/**
 * One-line summary of a packet for the packet list, in tshark's spirit:
 * the application line when there is one, else a transport line
 * (`51234 → 80 [SYN, ACK] Seq=0 Ack=1 Win=64240 Len=0`, `5353 → 5353 Len=42`).
 * `tcp`: the numbers tshark shows for it (relative seq/ack, calculated window,
 * see TcpNumbers); without them the raw fields. Ack only with the ACK flag, as tshark.
 */
export function packetInfoLine(p: DecodedPacket, app: AppInfo | null, tcp: TcpShown | null = null): string {
  if (app) return appInfoLine(app);
  if (p.ipProto === 6 && p.srcPort >= 0) {
    const flags = FLAG_NAMES.filter(([bit]) => p.tcpFlags & bit).map(([, n]) => n).join(', ');
    const line = `${p.srcPort} → ${p.dstPort} [${flags}]`;
    if (p.tcpSeq < 0) return line;
    const rel = tcp !== null && tcp.tcpSeq >= 0;
    const ack = p.tcpFlags & 16 ? ` Ack=${rel ? tcp.tcpAck : p.tcpAck}` : '';
    return `${line} Seq=${rel ? tcp.tcpSeq : p.tcpSeq}${ack} Win=${rel ? shownWindow(p, tcp.tcpScale) : p.tcpWin} Len=${p.payloadWireLen}`;
  }
  if (p.ipProto === 17 && p.srcPort >= 0) return `${p.srcPort} → ${p.dstPort} Len=${p.payloadWireLen}`;
  if (p.isLaterFragment) return `Fragmented IP protocol (proto=${p.ipProto}, off=${p.ipFragOffset})`;
  if (p.l3 === L3.Arp) return arpInfoLine(p);
  return '';
}

/** tshark's ARP Info for Ethernet/IPv4: `Who has B? Tell A`, `A is at aa:bb:..`, gratuitous ones; '' otherwise. */
function arpInfoLine(p: DecodedPacket): string {
  const o = p.l3Off;
  const b = p.buf;
  // Ethernet (htype 1, hlen 6) and IPv4 (ptype 0x0800, plen 4), all 28 bytes present.
  if (o < 0 || o + 28 > p.frameOff + p.capLen || b[o + 1] !== 1 || b[o + 2] !== 8 || b[o + 3] !== 0 || b[o + 4] !== 6 || b[o + 5] !== 4) return '';
  const spa = ip4ToString(p.arpSpa);
  const tpa = ip4ToString(p.arpTpa);
  const same = p.arpSpa === p.arpTpa;
  if (p.arpOp === 1) {
    // RFC 5227 as tshark names it: a probe comes from 0.0.0.0, an announcement asks for its own address.
    const thaZero = b[o + 18] === 0 && b[o + 19] === 0 && b[o + 20] === 0 && b[o + 21] === 0 && b[o + 22] === 0 && b[o + 23] === 0;
    if (p.arpSpa === 0 && thaZero) return `Who has ${tpa}? (ARP Probe)`;
    if (same && thaZero) return `ARP Announcement for ${spa}`;
    return same ? `Gratuitous ARP for ${spa} (Request)` : `Who has ${tpa}? Tell ${spa}`;
  }
  if (p.arpOp === 2) return same ? `Gratuitous ARP for ${spa} (Reply)` : `${spa} is at ${macToString(b, o + 8)}`;
  return '';
}
