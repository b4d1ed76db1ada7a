import { existsSync } from 'node:fs';
import { describeRing, ringSelect } from '../../capture/ring-select.js';
import type { PacketRing } from '../../capture/packet-ring.js';
import type { RingSelector } from '../../capture/ring-key.js';
import { parseIp4, parseIp6 } from '../../decode/addr.js';
import { IP_PROTO_NAMES } from '../../decode/protocols.js';
import type { ExportOutcome, ExportTarget } from '../export/export-target.js';

const PORTED = new Set([6, 17, 132, 136]);

function protoNumber(text: string): number | null {
  const name = text.toLowerCase();
  const m = /^ipproto-(\d+)$/.exec(name);
  if (m) return Number(m[1]);
  for (const [n, text] of Object.entries(IP_PROTO_NAMES)) if (text === name) return Number(n);
  return null;
}

type AddrMatch = (m: { ipVersion: number; src: Uint32Array; dst: Uint32Array }, side: 'src' | 'dst') => boolean;

function addrMatch(text: string): AddrMatch | null {
  const v4 = parseIp4(text);
  if (v4 !== null) return (m, side) => m.ipVersion === 4 && m[side][0] === v4 >>> 0;
  const w = parseIp6(text);
  if (w === null) return null;
  return (m, side) => {
    const x = m[side];
    return m.ipVersion === 6 && x[0] === w[0] && x[1] === w[1] && x[2] === w[2] && x[3] === w[3];
  };
}

/**
 * The ring selector for a target, or null when its addresses do not parse. A conversation is its
 * 5-tuple in either direction (ports only for port protocols: ICMP flows have none in the ring).
 */
export function targetSelector(t: ExportTarget): RingSelector | null {
  if (t.kind === 'host') {
    const v4 = parseIp4(t.addr);
    if (v4 !== null) return ringSelect.host4(v4);
    const v6 = parseIp6(t.addr);
    return v6 === null ? null : ringSelect.host6(v6);
  }
  const a = addrMatch(t.a);
  const b = addrMatch(t.b);
  const proto = protoNumber(t.proto);
  if (a === null || b === null) return null;
  const usePorts = proto !== null && PORTED.has(proto) && t.aPort !== null && t.bPort !== null;
  const ap = t.aPort ?? 0;
  const bp = t.bPort ?? 0;
  return (m) => {
    if (proto !== null && m.proto !== proto) return false;
    if (a(m, 'src') && b(m, 'dst')) return !usePorts || (m.srcPort === ap && m.dstPort === bp);
    if (b(m, 'src') && a(m, 'dst')) return !usePorts || (m.srcPort === bp && m.dstPort === ap);
    return false;
  };
}

/** "ring holds the last 3m12s, 48,211 packets; older packets are not in it" for the prompt. */
export function ringReach(ring: PacketRing): string {
  const text = describeRing(ring);
  if (ring.packets() === 0) return `${text}: nothing to write yet`;
  return ring.evicted() > 0 ? `${text}; older packets are not in it` : `${text}: everything since the start`;
}

/**
 * Write a target's packets from the ring to `path` (pcap; pcapng when link types are mixed).
 * An existing file is refused unless `overwrite`; errors come back as one line, never thrown.
 */
export function exportTargetPcap(ring: PacketRing, target: ExportTarget, path: string, opts: { readonly overwrite?: boolean } = {}): ExportOutcome {
  const select = targetSelector(target);
  if (select === null) return { ok: false, exists: false, message: `cannot select packets of ${target.kind === 'host' ? target.addr : `${target.a} and ${target.b}`}` };
  if (path.trim() === '') return { ok: false, exists: false, message: 'no file name given' };
  if (!opts.overwrite && existsSync(path)) return { ok: false, exists: true, message: `${path} exists` };
  try {
    const r = ring.exportPcap(path, select);
    return { ok: true, packets: r.packets, path, format: r.format };
  } catch (e) {
    return { ok: false, exists: false, message: e instanceof Error ? e.message : String(e) };
  }
}
