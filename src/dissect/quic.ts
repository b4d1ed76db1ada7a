import type { QuicInfo } from './types.js';

function hex(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += b[i]!.toString(16).padStart(2, '0');
  return out;
}

export function quicVersionName(v: number): string {
  if (v === 0) return 'Version Negotiation';
  if (v === 1) return '1';
  if (v === 0x6b3343cf) return '2';
  if ((v >>> 8) === 0xff0000) return `draft-${v & 0xff}`;
  if ((v >>> 24) === 0x51) return String.fromCharCode(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  if ((v & 0x0f0f0f0f) === 0x0a0a0a0a) return 'Forcing Version Negotiation';
  return `Unknown (0x${v.toString(16).padStart(8, '0')})`;
}

/** Long header with a known version family (v1, v2, drafts, gQUIC Qxxx, negotiation)? */
export function looksLikeQuic(b: Uint8Array, off: number, len: number): boolean {
  if (len < 7 || (b[off]! & 0x80) === 0) return false;
  const v = ((b[off + 1]! << 24) >>> 0) + (b[off + 2]! << 16) + (b[off + 3]! << 8) + b[off + 4]!;
  const known = v === 0 || v === 1 || v === 0x6b3343cf || (v >>> 8) === 0xff0000 || (v >>> 24) === 0x51;
  return known && b[off + 5]! <= 20;
}

const V1_TYPES = ['Initial', '0-RTT', 'Handshake', 'Retry'];
const V2_TYPES = ['Retry', 'Initial', '0-RTT', 'Handshake'];

/** QUIC invariants (RFC 8999): header form, version, connection ids; short headers only say so. */
export function dissectQuic(b: Uint8Array, off: number, len: number): QuicInfo | null {
  if (off < 0 || len < 1 || off + 1 > b.length) return null;
  const end = Math.min(b.length, off + len);
  const f = b[off]!;
  if ((f & 0x80) === 0) return { proto: 'quic', longHeader: false, version: 0, versionName: '', packetType: '1-RTT', dcid: '', scid: '' };
  if (off + 6 > end) return null;
  const v = ((b[off + 1]! << 24) >>> 0) + (b[off + 2]! << 16) + (b[off + 3]! << 8) + b[off + 4]!;
  let o = off + 5;
  const dl = b[o]!;
  const dcid = o + 1 + dl <= end ? hex(b, o + 1, o + 1 + dl) : '';
  o += 1 + dl;
  const sl = o < end ? b[o]! : 0;
  const scid = o + 1 + sl <= end ? hex(b, o + 1, o + 1 + sl) : '';
  const t = (f >> 4) & 3;
  const packetType = v === 0 ? 'Version Negotiation' : v === 0x6b3343cf ? V2_TYPES[t]! : V1_TYPES[t]!;
  return { proto: 'quic', longHeader: true, version: v, versionName: quicVersionName(v), packetType, dcid, scid };
}

export function quicInfoLine(q: QuicInfo): string {
  return q.longHeader ? `${q.packetType}, DCID=${q.dcid}${q.scid ? `, SCID=${q.scid}` : ''} (version ${q.versionName})` : 'Protected Payload (short header)';
}
