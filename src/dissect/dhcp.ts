import type { DhcpInfo } from './types.js';
import { escapeWire } from '../util/escape.js';

export const DHCP_TYPES: readonly string[] = [
  '', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NAK', 'Release', 'Inform', 'Force Renew',
  'Lease Query', 'Lease Unassigned', 'Lease Unknown', 'Lease Active',
];

function ip4(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** BOOTP with the DHCP magic cookie at offset 236? */
export function looksLikeDhcp(b: Uint8Array, off: number, len: number): boolean {
  return len >= 240 && (b[off] === 1 || b[off] === 2) && b[off + 236] === 99 && b[off + 237] === 130 &&
    b[off + 238] === 83 && b[off + 239] === 99;
}

/** DHCP (RFC 2131/2132): message type, hostname (12), requested address (50), server id (54), yiaddr. */
export function dissectDhcp(b: Uint8Array, off: number, len: number): DhcpInfo | null {
  if (off < 0) return null;
  const end = Math.min(b.length, off + len);
  if (!looksLikeDhcp(b, off, end - off)) return null;
  const hlen = Math.min(b[off + 2]!, 16);
  const mac: string[] = [];
  for (let i = 0; i < hlen; i++) mac.push(b[off + 28 + i]!.toString(16).padStart(2, '0'));
  const d: DhcpInfo = {
    proto: 'dhcp', op: b[off]!, xid: ((b[off + 4]! << 24) >>> 0) + (b[off + 5]! << 16) + (b[off + 6]! << 8) + b[off + 7]!,
    msgType: 0, msgTypeName: '', clientMac: mac.join(':'), ciaddr: ip4(b, off + 12), yiaddr: ip4(b, off + 16), options: [],
  };
  let o = off + 240;
  while (o < end && d.options.length < 255) {
    const code = b[o]!;
    if (code === 0) {
      o++;
      continue;
    }
    if (code === 255) break;
    if (o + 2 > end) {
      d.error = 'option truncated';
      break;
    }
    const n = b[o + 1]!;
    const v = o + 2;
    if (v + n > end) {
      d.error = 'option truncated';
      break;
    }
    d.options.push(code);
    if (code === 53 && n >= 1) d.msgType = b[v]!;
    else if (code === 12) {
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(b[v + i]!);
      d.hostname = s;
    } else if (code === 50 && n === 4) d.requestedIp = ip4(b, v);
    else if (code === 54 && n === 4) d.serverId = ip4(b, v);
    o = v + n;
  }
  d.msgTypeName = DHCP_TYPES[d.msgType] ?? `Unknown (${d.msgType})`;
  return d;
}

/** tshark-style Info: `DHCP Discover - Transaction ID 0x3d1d`. */
export function dhcpInfoLine(d: DhcpInfo): string {
  const name = d.msgType ? `DHCP ${d.msgTypeName}` : d.op === 1 ? 'Boot Request' : 'Boot Reply';
  return escapeWire(`${name} - Transaction ID 0x${d.xid.toString(16)}`);
}
