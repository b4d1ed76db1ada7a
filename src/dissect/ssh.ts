import type { SshInfo } from './types.js';
import { escapeWire } from '../util/escape.js';

const MAX_BANNER = 255;

/** Does the payload start with "SSH-"? */
export function looksLikeSsh(b: Uint8Array, off: number, len: number): boolean {
  return len >= 4 && b[off] === 0x53 && b[off + 1] === 0x53 && b[off + 2] === 0x48 && b[off + 3] === 0x2d;
}

/** SSH identification string (RFC 4253 4.2): `SSH-protoversion-softwareversion SP comments`. */
export function dissectSsh(b: Uint8Array, off: number, len: number): SshInfo | null {
  if (off < 0 || !looksLikeSsh(b, off, len)) return null;
  const end = Math.min(b.length, off + len, off + MAX_BANNER);
  let e = off;
  while (e < end && b[e] !== 0x0a) e++;
  let line = '';
  for (let i = off; i < e; i++) line += String.fromCharCode(b[i]!);
  line = line.replace(/\r$/, '');
  const rest = line.slice(4);
  const dash = rest.indexOf('-');
  const protoVersion = dash >= 0 ? rest.slice(0, dash) : rest;
  const sw = dash >= 0 ? rest.slice(dash + 1) : '';
  const sp = sw.indexOf(' ');
  return {
    proto: 'ssh', banner: line, protoVersion,
    software: sp >= 0 ? sw.slice(0, sp) : sw, comments: sp >= 0 ? sw.slice(sp + 1) : '',
  };
}

export function sshInfoLine(s: SshInfo): string {
  return escapeWire(`Protocol (${s.banner})`);
}
