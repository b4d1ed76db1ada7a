import type { ProtocolRow } from '../../engine/snapshot.js';
import type { TalkerRow } from '../rows/talker-rows.js';
import { protocolLeaf } from '../rows/protocol-rows.js';

/** Display-filter text for one selected row, in the filter language's Wireshark-style fields. */

function addrField(addr: string): string {
  return addr.includes(':') ? 'ipv6.addr' : 'ip.addr';
}

function hostExpr(addr: string): string {
  return `${addrField(addr)} == ${addr}`;
}

function transport(proto: string): string | null {
  const p = proto.toLowerCase();
  return p === 'tcp' || p === 'udp' || p === 'sctp' ? p : null;
}

export function talkerExpr(row: TalkerRow): string {
  if (row.kind === 'host') return hostExpr(row.host.addr);
  if (row.kind === 'conversation') {
    const c = row.conv;
    const parts = [hostExpr(c.a), hostExpr(c.b)];
    const t = transport(c.proto);
    if (t !== null && c.aPort !== null) parts.push(`${t}.port == ${c.aPort}`);
    if (t !== null && c.bPort !== null && c.bPort !== c.aPort) parts.push(`${t}.port == ${c.bPort}`);
    if (t === null && c.proto) parts.push(c.proto.toLowerCase());
    return parts.join(' && ');
  }
  const t = transport(row.port.proto);
  if (t !== null && row.port.port !== null) return `${t}.port == ${row.port.port}`;
  return row.port.proto.toLowerCase();
}

export function protocolExpr(row: ProtocolRow): string {
  return protocolLeaf(row.path);
}

function group(expr: string): string {
  return /&&|\|\|/.test(expr) ? `(${expr})` : expr;
}

/** ANDs `expr` (or its negation) onto the filter already applied. */
export function combineFilter(existing: string | null, expr: string, isExclude: boolean): string {
  const term = isExclude ? `!(${expr})` : group(expr);
  const base = existing?.trim() ? existing.trim() : null;
  if (base === null) return isExclude ? term : expr;
  return `${group(base)} && ${term}`;
}
