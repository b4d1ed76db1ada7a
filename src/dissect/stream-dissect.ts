import { Proto } from '../decode/protocols.js';
import { ChunkKind } from '../streams/chunk.js';
import type { TcpStream } from '../streams/streams.js';
import { dnsTcpMessages, looksLikeDns } from './dns.js';
import { httpMessages, looksLikeHttp } from './http.js';
import { dissectSsh, looksLikeSsh } from './ssh.js';
import { dissectTls, looksLikeTls } from './tls.js';
import type { DnsInfo, HttpInfo, SshInfo, TlsInfo } from './types.js';

export interface StreamDissection {
  /** Proto code found from the stream's first bytes (0 if none). */
  proto: number;
  http?: { requests: HttpInfo[]; responses: HttpInfo[] };
  tls?: { client: TlsInfo | null; server: TlsInfo | null };
  dns?: { client: DnsInfo[]; server: DnsInfo[] };
  ssh?: { client: SshInfo | null; server: SshInfo | null };
}

/** Bytes dissected per direction: handshakes and heads live at the start of a stream. */
export const STREAM_DISSECT_BYTES = 256 * 1024;

/** The first `max` stored data bytes of one direction (up to the first gap). */
export function leadingBytes(s: TcpStream, dir: 0 | 1, max = STREAM_DISSECT_BYTES): Uint8Array {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (const c of s.halves[dir].store.live()) {
    if (c.kind === ChunkKind.Gap || n >= max) break;
    parts.push(c.data);
    n += c.length;
  }
  const out = Buffer.concat(parts);
  return out.length > max ? out.subarray(0, max) : out;
}

/**
 * Dissect a reassembled TCP stream: HTTP messages whose heads span segments,
 * TLS hellos split over records and segments, DNS over TCP, SSH banners.
 * On demand (stream view, follow); allocates its results.
 */
export function dissectTcpStream(s: TcpStream): StreamDissection {
  const c = leadingBytes(s, 0);
  const v = leadingBytes(s, 1);
  const dnsPort = [53, 5353, 5355].includes(s.ends.aPort) || [53, 5353, 5355].includes(s.ends.bPort);
  const first = c.length > 0 ? c : v;
  if (looksLikeTls(first, 0, first.length)) {
    return { proto: Proto.Tls, tls: { client: dissectTls(c, 0, c.length), server: dissectTls(v, 0, v.length) } };
  }
  if (looksLikeHttp(first, 0, first.length)) {
    return {
      proto: Proto.Http,
      http: { requests: httpMessages(c).filter((m) => m.kind === 'request'), responses: httpMessages(v).filter((m) => m.kind === 'response') },
    };
  }
  if (looksLikeSsh(c, 0, c.length) || looksLikeSsh(v, 0, v.length)) {
    return { proto: Proto.Ssh, ssh: { client: dissectSsh(c, 0, c.length), server: dissectSsh(v, 0, v.length) } };
  }
  if (dnsPort && looksLikeDns(first, 0, first.length, true)) {
    return { proto: Proto.Dns, dns: { client: dnsTcpMessages(c), server: dnsTcpMessages(v) } };
  }
  return { proto: 0 };
}
