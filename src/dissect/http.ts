import type { HttpInfo } from './types.js';
import { escapeWire } from '../util/escape.js';

/** Header blocks larger than this are not parsed (tshark's default is similar in spirit). */
export const MAX_HEADER_BYTES = 64 * 1024;
const MAX_HEADERS = 200;

const METHODS = new Set([
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH',
  'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'MKACTIVITY', 'CHECKOUT', 'MERGE', 'NOTIFY',
  'SUBSCRIBE', 'UNSUBSCRIBE', 'M-SEARCH', 'PURGE',
]);

function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]!);
  return out;
}

const METHOD_BYTES: readonly Uint8Array[] = [...METHODS].map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0)));

/** Does b[off..off+len) start like an HTTP/1.x request or status line? Allocates nothing. */
export function looksLikeHttp(b: Uint8Array, off: number, len: number): boolean {
  if (len < 5) return false;
  // Every method and "HTTP/" starts with an uppercase letter: one test turns most data away.
  const c = b[off]!;
  if (c < 0x41 || c > 0x5a) return false;
  // "HTTP/"
  if (c === 0x48 && b[off + 1] === 0x54 && b[off + 2] === 0x54 && b[off + 3] === 0x50 && b[off + 4] === 0x2f) return true;
  for (let k = 0; k < METHOD_BYTES.length; k++) {
    const m = METHOD_BYTES[k]!;
    if (len <= m.length || b[off + m.length] !== 0x20) continue;
    let i = 0;
    while (i < m.length && b[off + i] === m[i]) i++;
    if (i === m.length) return true;
  }
  return false;
}

/** Find the end of the header block: index just past CRLFCRLF (or LFLF), or -1. */
function headerEnd(b: Uint8Array, off: number, end: number): number {
  for (let i = off; i < end; i++) {
    if (b[i] !== 0x0a) continue;
    if (i + 1 < end && b[i + 1] === 0x0a) return i + 2;
    if (i + 2 < end && b[i + 1] === 0x0d && b[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

/** Parse a decimal length; undefined if absent, not all digits or unsafe (overflow). */
function parseLength(v: string): number | undefined {
  const t = v.trim();
  if (!/^\d{1,15}$/.test(t)) return undefined;
  return Number(t);
}

/**
 * Dissect an HTTP/1.x message head at b[off..off+len). `complete` is false
 * when the header block does not end within the bytes (a head that spans
 * segments: give it the reassembled stream instead). Never throws.
 */
export function dissectHttp(b: Uint8Array, off: number, len: number): HttpInfo | null {
  if (off < 0 || len <= 0) return null;
  const end = Math.min(b.length, off + len);
  if (!looksLikeHttp(b, off, end - off)) return null;
  const limit = Math.min(end, off + MAX_HEADER_BYTES);
  const he = headerEnd(b, off, limit);
  const blockEnd = he < 0 ? limit : he;
  let lineEnd = off;
  while (lineEnd < blockEnd && b[lineEnd] !== 0x0a) lineEnd++;
  const first = latin1(b, off, lineEnd).replace(/\r$/, '');
  const info: HttpInfo = {
    proto: 'http', kind: 'request', version: '', chunked: false, headers: [], headerLen: he < 0 ? 0 : he - off, complete: he >= 0,
  };
  if (first.startsWith('HTTP/')) {
    const m = /^(HTTP\/\d\.\d)\s+(\d{3})(?:\s+(.*))?$/.exec(first);
    info.kind = 'response';
    if (m) {
      info.version = m[1]!;
      info.status = Number(m[2]);
      info.reason = m[3] ?? '';
    } else {
      info.version = first.split(' ')[0]!;
      info.error = 'bad status line';
    }
  } else {
    const sp1 = first.indexOf(' ');
    const sp2 = first.lastIndexOf(' ');
    info.method = first.slice(0, sp1);
    if (sp2 > sp1) {
      info.uri = first.slice(sp1 + 1, sp2);
      info.version = first.slice(sp2 + 1);
    } else {
      info.uri = first.slice(sp1 + 1);
    }
    if (!/^HTTP\/\d\.\d$/.test(info.version)) info.error = 'bad request line';
  }
  let o = lineEnd + 1;
  while (o < blockEnd && info.headers.length < MAX_HEADERS) {
    let e = o;
    while (e < blockEnd && b[e] !== 0x0a) e++;
    if (e >= blockEnd && he >= 0) break;
    const line = latin1(b, o, e).replace(/\r$/, '');
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      info.headers.push({ name, value, off: o, len: e - o });
      switch (name.toLowerCase()) {
        case 'host':
          info.host ??= value;
          break;
        case 'user-agent':
          info.userAgent ??= value;
          break;
        case 'content-type':
          info.contentType ??= value;
          break;
        case 'content-length': {
          const n = parseLength(value);
          if (n === undefined) info.error = 'bad Content-Length';
          else info.contentLength ??= n;
          break;
        }
        case 'transfer-encoding':
          if (/chunked/i.test(value)) info.chunked = true;
          break;
      }
    }
    o = e + 1;
  }
  return info;
}

/**
 * Every HTTP message head in one reassembled direction of a stream, skipping
 * bodies by Content-Length or chunked encoding (chunk sizes over 15 hex digits
 * stop the walk). At most `max` messages. Never throws.
 */
export function httpMessages(b: Uint8Array, max = 1000): HttpInfo[] {
  const out: HttpInfo[] = [];
  let o = 0;
  while (o < b.length && out.length < max) {
    const h = dissectHttp(b, o, b.length - o);
    if (!h) {
      // Resynchronise on the next line that starts a message.
      const nl = b.indexOf(0x0a, o);
      if (nl < 0) break;
      o = nl + 1;
      continue;
    }
    out.push(h);
    if (!h.complete) break;
    o += h.headerLen;
    if (h.chunked) {
      const n = skipChunked(b, o);
      h.bodyComplete = n >= 0;
      if (n < 0) break;
      o = n;
    } else if (h.contentLength !== undefined) {
      o += h.contentLength;
      h.bodyComplete = o <= b.length;
    } else if (h.kind === 'response' && h.status !== 204 && h.status !== 304 && !(h.status! >= 100 && h.status! < 200)) {
      // No length: the body runs to the end of the connection, unless the next bytes start a message.
      if (!(o < b.length && looksLikeHttp(b, o, b.length - o))) break;
    }
  }
  return out;
}

/** Offset just past a chunked body starting at `o`, or -1 when it is cut short or malformed. */
function skipChunked(b: Uint8Array, o: number): number {
  for (let guard = 0; guard < 1_000_000; guard++) {
    let e = o;
    while (e < b.length && b[e] !== 0x0a) e++;
    if (e >= b.length) return -1;
    const line = latin1(b, o, e).replace(/\r$/, '').split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,15}$/.test(line)) return -1;
    const size = parseInt(line, 16);
    o = e + 1;
    if (size === 0) {
      // Trailers up to an empty line.
      for (;;) {
        let t = o;
        while (t < b.length && b[t] !== 0x0a) t++;
        if (t >= b.length) return b.length;
        const empty = t === o || (t === o + 1 && b[o] === 0x0d);
        o = t + 1;
        if (empty) return o;
      }
    }
    o += size;
    if (o > b.length) return -1;
    if (b[o] === 0x0d) o++;
    if (b[o] === 0x0a) o++;
  }
  return -1;
}

/** tshark-style Info: `GET /index.html HTTP/1.1`, `HTTP/1.1 200 OK  (text/html)`. Escaped for the terminal. */
export function httpInfoLine(h: HttpInfo): string {
  let s: string;
  if (h.kind === 'request') s = `${h.method} ${h.uri ?? ''} ${h.version}`.trimEnd();
  else s = `${h.version} ${h.status ?? ''} ${h.reason ?? ''}`.trimEnd();
  if (h.kind === 'response' && h.contentType) s += `  (${h.contentType.split(';')[0]})`;
  if (!h.complete) s += ' [continues]';
  return escapeWire(s);
}
