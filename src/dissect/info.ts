import { ip4ToString, macToString } from '../decode/addr.js';
import { L3, type DecodedPacket } from '../decode/packet.js';
import { tcpOptionAt, tcpOptionsEnd } from '../decode/tcp-options.js';
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
    // SACK edges are in the acknowledgement space: relative to the same base as Ack.
    const ackBase = rel && p.tcpFlags & 16 ? (p.tcpAck - tcp.tcpAck) >>> 0 : 0;
    return `${line} Seq=${rel ? tcp.tcpSeq : p.tcpSeq}${ack} Win=${rel ? shownWindow(p, tcp.tcpScale) : p.tcpWin} Len=${p.payloadWireLen}${tcpOptionsInfo(p, ackBase)}`;
  }
  if (p.ipProto === 17 && p.srcPort >= 0) return `${p.srcPort} → ${p.dstPort} Len=${p.payloadWireLen}`;
  if (p.isLaterFragment) return `Fragmented IP protocol (proto=${p.ipProto}, off=${p.ipFragOffset})`;
  if (p.l3 === L3.Arp) return arpInfoLine(p);
  return '';
}

/**
 * The options tshark appends to a TCP Info line, in the packet's order: ` MSS=1460`, ` WS=128`
 * (the multiplier), ` SACK_PERM`, ` TSval=.. TSecr=..`, ` SLE=.. SRE=..` per SACK block (minus
 * `ackBase`); '' without options. Stops at the end of the header or at a malformed option.
 */
function tcpOptionsInfo(p: DecodedPacket, ackBase: number): string {
  const b = p.buf;
  const end = tcpOptionsEnd(p);
  const u32 = (o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  let out = '';
  for (let i = tcpOptionAt(b, p.l4Off + 20, end); i >= 0; i = tcpOptionAt(b, i + b[i + 1]!, end)) {
    const kind = b[i]!;
    const len = b[i + 1]!;
    if (kind === 2 && len === 4) out += ` MSS=${(b[i + 2]! << 8) | b[i + 3]!}`;
    else if (kind === 3 && len === 3) out += ` WS=${2 ** Math.min(b[i + 2]!, 14)}`;
    else if (kind === 4 && len === 2) out += ' SACK_PERM';
    else if (kind === 8 && len === 10) out += ` TSval=${u32(i + 2)} TSecr=${u32(i + 6)}`;
    else if (kind === 5 && (len - 2) % 8 === 0) {
      for (let o = i + 2; o < i + len; o += 8) out += ` SLE=${(u32(o) - ackBase) >>> 0} SRE=${(u32(o + 4) - ackBase) >>> 0}`;
    }
  }
  return out;
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
