import type { NtpInfo } from './types.js';

export const NTP_MODES: readonly string[] = [
  'reserved', 'symmetric active', 'symmetric passive', 'client', 'server', 'broadcast', 'NTP control message', 'private',
];

export function looksLikeNtp(b: Uint8Array, off: number, len: number): boolean {
  if (len < 48) return false;
  const v = (b[off]! >> 3) & 7;
  const mode = b[off]! & 7;
  return v >= 1 && v <= 4 && mode !== 0 && mode !== 6 && mode !== 7;
}

/** NTP (RFC 5905) header: leap, version, mode, stratum. */
export function dissectNtp(b: Uint8Array, off: number, len: number): NtpInfo | null {
  if (off < 0 || len < 2 || off + 2 > b.length) return null;
  const x = b[off]!;
  const mode = x & 7;
  return { proto: 'ntp', leap: x >> 6, version: (x >> 3) & 7, mode, modeName: NTP_MODES[mode]!, stratum: b[off + 1]! };
}

export function ntpInfoLine(n: NtpInfo): string {
  return `NTP Version ${n.version}, ${n.mode === 3 ? 'client' : n.mode === 4 ? 'server' : n.modeName}`;
}
