import type { TlsAlert, TlsClientHello, TlsInfo, TlsServerHello } from './types.js';
import { ja3String, ja4, md5Hex, type HelloFields } from './ja.js';
import { escapeWire } from '../util/escape.js';

/** Handshake bytes gathered over records before giving up (a ClientHello is rarely over 16 KiB). */
export const MAX_HANDSHAKE_BYTES = 64 * 1024;
const MAX_RECORDS = 256;
const MAX_LIST = 512;

export const ALERT_NAMES: Record<number, string> = {
  0: 'Close Notify', 10: 'Unexpected Message', 20: 'Bad Record MAC', 21: 'Decryption Failed', 22: 'Record Overflow',
  30: 'Decompression Failure', 40: 'Handshake Failure', 41: 'No Certificate', 42: 'Bad Certificate',
  43: 'Unsupported Certificate', 44: 'Certificate Revoked', 45: 'Certificate Expired', 46: 'Certificate Unknown',
  47: 'Illegal Parameter', 48: 'Unknown CA', 49: 'Access Denied', 50: 'Decode Error', 51: 'Decrypt Error',
  60: 'Export Restriction', 70: 'Protocol Version', 71: 'Insufficient Security', 80: 'Internal Error',
  86: 'Inappropriate Fallback', 90: 'User Canceled', 100: 'No Renegotiation', 109: 'Missing Extension',
  110: 'Unsupported Extension', 112: 'Unrecognized Name', 113: 'Bad Certificate Status Response',
  115: 'Unknown PSK Identity', 116: 'Certificate Required', 120: 'No Application Protocol',
};

export const HANDSHAKE_NAMES: Record<number, string> = {
  0: 'Hello Request', 1: 'Client Hello', 2: 'Server Hello', 4: 'New Session Ticket', 5: 'End Of Early Data',
  8: 'Encrypted Extensions', 11: 'Certificate', 12: 'Server Key Exchange', 13: 'Certificate Request',
  14: 'Server Hello Done', 15: 'Certificate Verify', 16: 'Client Key Exchange', 20: 'Finished', 24: 'Key Update',
};

export const VERSION_NAMES: Record<number, string> = {
  0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3',
};

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Does b[off..] start with a TLS record header (content type 20..24, version 3.0..3.4, sane length)? */
export function looksLikeTls(b: Uint8Array, off: number, len: number): boolean {
  if (len < 5) return false;
  const t = b[off]!;
  if (t < 20 || t > 24) return false;
  if (b[off + 1] !== 3 || b[off + 2]! > 4) return false;
  const l = u16(b, off + 3);
  return l > 0 && l <= 18432;
}

function u16List(b: Uint8Array, o: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < n && out.length < MAX_LIST; i += 2) out.push(u16(b, o + i));
  return out;
}

function ascii(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]!);
  return out;
}

/** Walk extensions at b[o..end) calling fn(type, dataOff, dataLen); returns the types. Bounds-checked. */
function walkExtensions(b: Uint8Array, o: number, end: number, fn: (t: number, d: number, n: number) => void): number[] {
  const types: number[] = [];
  if (o + 2 > end) return types;
  const total = u16(b, o);
  o += 2;
  const stop = Math.min(end, o + total);
  while (o + 4 <= stop && types.length < MAX_LIST) {
    const t = u16(b, o);
    const n = u16(b, o + 2);
    o += 4;
    if (o + n > stop) {
      types.push(t);
      break;
    }
    types.push(t);
    fn(t, o, n);
    o += n;
  }
  return types;
}

function parseClientHello(b: Uint8Array, o: number, end: number, transport: 't' | 'q'): TlsClientHello | null {
  if (o + 38 > end) return null;
  const legacyVersion = u16(b, o);
  o += 34;
  o += 1 + b[o]!;
  if (o + 2 > end) return null;
  const cl = u16(b, o);
  const ciphers = u16List(b, o + 2, Math.min(cl, end - o - 2));
  o += 2 + cl;
  if (o + 1 > end) return null;
  o += 1 + b[o]!;
  const h: HelloFields & { sni?: string } = {
    legacyVersion, versions: [], ciphers, extensions: [], groups: [], ecPointFormats: [], sigAlgs: [], alpn: [], hasSni: false,
  };
  h.extensions = walkExtensions(b, o, end, (t, d, n) => {
    switch (t) {
      case 0: {
        h.hasSni = true;
        // server_name_list: len(2), then type(1) len(2) name
        if (n >= 5 && b[d + 2] === 0) {
          const l = u16(b, d + 3);
          if (5 + l <= n) h.sni = ascii(b, d + 5, d + 5 + l);
        }
        break;
      }
      case 10:
        if (n >= 2) h.groups = u16List(b, d + 2, Math.min(u16(b, d), n - 2));
        break;
      case 11:
        if (n >= 1) for (let i = 0; i < b[d]! && i + 1 < n; i++) h.ecPointFormats.push(b[d + 1 + i]!);
        break;
      case 13:
        if (n >= 2) h.sigAlgs = u16List(b, d + 2, Math.min(u16(b, d), n - 2));
        break;
      case 16: {
        if (n < 2) break;
        let p = d + 2;
        const e = d + Math.min(n, 2 + u16(b, d));
        while (p < e && h.alpn.length < 32) {
          const l = b[p]!;
          if (p + 1 + l > e) break;
          h.alpn.push(ascii(b, p + 1, p + 1 + l));
          p += 1 + l;
        }
        break;
      }
      case 43:
        if (n >= 1) h.versions = u16List(b, d + 1, Math.min(b[d]!, n - 1));
        break;
    }
  });
  const ja3 = ja3String(h);
  return {
    legacyVersion, versions: h.versions, ciphers, extensions: h.extensions, ...(h.sni !== undefined ? { sni: h.sni } : {}),
    alpn: h.alpn, groups: h.groups, ecPointFormats: h.ecPointFormats, sigAlgs: h.sigAlgs,
    ja3, ja3Hash: md5Hex(ja3), ja4: ja4(h, transport),
  };
}

function parseServerHello(b: Uint8Array, o: number, end: number): TlsServerHello | null {
  if (o + 38 > end) return null;
  const legacyVersion = u16(b, o);
  o += 34;
  o += 1 + b[o]!;
  if (o + 3 > end) return null;
  const cipher = u16(b, o);
  o += 3;
  const sh: TlsServerHello = { legacyVersion, version: legacyVersion, cipher, extensions: [] };
  sh.extensions = walkExtensions(b, o, end, (t, d, n) => {
    if (t === 43 && n >= 2) sh.version = u16(b, d);
    if (t === 16 && n >= 4) {
      const l = b[d + 2]!;
      if (3 + l <= n) sh.alpn = ascii(b, d + 3, d + 3 + l);
    }
  });
  return sh;
}

/** Parse handshake messages in a contiguous buffer (already joined across records). */
function parseHandshakes(info: TlsInfo, hs: Uint8Array, transport: 't' | 'q'): void {
  let o = 0;
  while (o + 4 <= hs.length) {
    const type = hs[o]!;
    const len = (hs[o + 1]! << 16) | (hs[o + 2]! << 8) | hs[o + 3]!;
    if (!(type in HANDSHAKE_NAMES) || len > MAX_HANDSHAKE_BYTES) {
      info.handshakeTypes.push(-1); // encrypted (after Change Cipher Spec) or not a handshake
      return;
    }
    info.handshakeTypes.push(type);
    const end = Math.min(hs.length, o + 4 + len);
    if (o + 4 + len > hs.length) info.error ??= 'handshake message truncated';
    if (type === 1 && !info.clientHello) info.clientHello = parseClientHello(hs, o + 4, end, transport) ?? undefined;
    else if (type === 2 && !info.serverHello) info.serverHello = parseServerHello(hs, o + 4, end) ?? undefined;
    if (info.clientHello === undefined) delete info.clientHello;
    if (info.serverHello === undefined) delete info.serverHello;
    o += 4 + len;
  }
}

/**
 * Dissect TLS records at b[off..off+len): record types, handshake messages
 * (joined across records, at most MAX_HANDSHAKE_BYTES), ClientHello with JA3
 * and JA4, ServerHello, alerts. A truncated record still yields what it
 * holds. Returns null if the bytes do not start with a TLS record. Never throws.
 */
export function dissectTls(b: Uint8Array, off: number, len: number, transport: 't' | 'q' = 't'): TlsInfo | null {
  if (off < 0 || len <= 0) return null;
  const end = Math.min(b.length, off + len);
  if (!looksLikeTls(b, off, end - off)) return null;
  const info: TlsInfo = {
    proto: 'tls', recordTypes: [], recordVersion: u16(b, off + 1), handshakeTypes: [], alerts: [], consumed: 0,
  };
  const parts: Uint8Array[] = [];
  let hsBytes = 0;
  let afterCcs = false;
  let encrypted = 0;
  let o = off;
  try {
    while (o + 5 <= end && info.recordTypes.length < MAX_RECORDS) {
      if (!looksLikeTls(b, o, end - o)) {
        info.error ??= 'not a TLS record';
        break;
      }
      const type = b[o]!;
      const rl = u16(b, o + 3);
      const body = o + 5;
      const bodyEnd = Math.min(end, body + rl);
      if (body + rl > end) info.error = 'record truncated';
      info.recordTypes.push(type);
      if (type === 20) afterCcs = true;
      else if (type === 21) {
        if (rl === 2 && bodyEnd - body === 2 && !afterCcs) {
          const d = b[body + 1]!;
          const alert: TlsAlert = { level: b[body]!, description: d, name: ALERT_NAMES[d] ?? `Unknown (${d})` };
          info.alerts.push(alert);
        }
      } else if (type === 22) {
        if (afterCcs) encrypted++;
        else if (hsBytes < MAX_HANDSHAKE_BYTES) {
          const n = Math.min(bodyEnd - body, MAX_HANDSHAKE_BYTES - hsBytes);
          parts.push(b.subarray(body, body + n));
          hsBytes += n;
        }
      }
      if (body + rl > end) break;
      o = body + rl;
      info.consumed = o - off;
    }
    if (parts.length > 0) {
      const hs = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      parseHandshakes(info, hs, transport);
    }
    for (let i = 0; i < encrypted; i++) info.handshakeTypes.push(-1);
  } catch (e) {
    info.error = e instanceof Error ? e.message : 'malformed';
  }
  return info;
}

const RECORD_NAMES: Record<number, string> = { 20: 'Change Cipher Spec', 21: 'Alert', 22: 'Handshake', 23: 'Application Data', 24: 'Heartbeat' };

/** tshark-style Info: `Client Hello (SNI=example.com)`, `Server Hello, Change Cipher Spec`, `Application Data`. */
export function tlsInfoLine(t: TlsInfo): string {
  const items: string[] = [];
  // Handshake types before Change Cipher Spec were parsed from the joined records; list them at the
  // first handshake record (later ones held their continuation). After it, each record is encrypted.
  const plain = t.handshakeTypes.filter((x) => x >= 0);
  let listed = false;
  let afterCcs = false;
  let ai = 0;
  const hsName = (ht: number): string =>
    ht === 1 && t.clientHello?.sni !== undefined ? `Client Hello (SNI=${t.clientHello.sni})` : HANDSHAKE_NAMES[ht] ?? `Handshake ${ht}`;
  for (const rt of t.recordTypes) {
    if (rt === 22) {
      if (afterCcs) items.push('Encrypted Handshake Message');
      else if (!listed) {
        listed = true;
        for (const ht of plain) items.push(hsName(ht));
        if (plain.length === 0) items.push('Encrypted Handshake Message');
      }
    } else if (rt === 21) {
      const a = afterCcs ? undefined : t.alerts[ai++];
      items.push(a ? `Alert (Level: ${a.level === 2 ? 'Fatal' : 'Warning'}, Description: ${a.name})` : 'Encrypted Alert');
    } else {
      if (rt === 20) afterCcs = true;
      items.push(RECORD_NAMES[rt] ?? `Record ${rt}`);
    }
  }
  const dedup = items.filter((x, i) => i === 0 || x !== items[i - 1] || x !== 'Application Data');
  return escapeWire(dedup.join(', ') + (t.error === 'record truncated' ? ' [continues]' : ''));
}
