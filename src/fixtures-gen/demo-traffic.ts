/**
 * Traffic patterns for the demo capture: each function emits one realistic
 * exchange (a TLS page load, a bulk download, an SSH session...) into a
 * Timeline, which sorts everything by time before it is written.
 */
import type { Fixture, PacketMeta } from './fixture.js';
import { Net, TcpConn, type PacketSink } from './net.js';
import {
  dnsQuery,
  dnsResponse,
  httpRequest,
  httpResponse,
  tlsAppData,
  tlsClientHello,
  tlsRecord,
  tlsServerHello,
  utf8,
} from './packet-builder.js';
import type { Rng } from './rng.js';

export const MS = 1_000_000;
export const SEC = 1_000_000_000;

/** Collects packets from many interleaved generators and writes them in time order. */
export class Timeline implements PacketSink {
  private readonly items: { t: number; frame: Uint8Array; m: PacketMeta }[] = [];
  /** Packets at or past this time are dropped (the capture ends). */
  constructor(readonly endNs: number) {}

  add(relNs: number, frame: Uint8Array, m: PacketMeta): void {
    if (relNs >= 0 && relNs < this.endNs) this.items.push({ t: Math.round(relNs / 1000) * 1000, frame, m });
  }

  /** Stable sort by time (ties keep emission order), then write. */
  writeTo(fx: Fixture): void {
    this.items.sort((a, b) => a.t - b.t);
    for (const it of this.items) fx.add(it.t, it.frame, it.m);
  }
}

export interface Site {
  name: string;
  ip: string;
  /** Round trip in ms. */
  rtt: number;
}

/** Random bytes taken from a pool, so opaque ciphertext is cheap to make. */
export class Opaque {
  private readonly pool: Uint8Array;
  constructor(private readonly rng: Rng) {
    this.pool = rng.bytes(1 << 16);
  }
  take(n: number): Uint8Array {
    const off = this.rng.int(this.pool.length - n);
    return this.pool.subarray(off, off + n);
  }
}

export interface Ctx {
  net: Net;
  rng: Rng;
  opaque: Opaque;
  resolver: string;
  /** Per-host ephemeral port counters. */
  ports: Map<string, number>;
}

export function ephemeral(ctx: Ctx, host: string): number {
  const p = ctx.ports.get(host) ?? 49152 + ctx.rng.int(8000);
  ctx.ports.set(host, p + 1 + ctx.rng.int(3));
  return p;
}

/** A/AAAA lookup; returns the time the answer arrived. */
export function dnsLookup(ctx: Ctx, t: number, host: string, name: string, type: 'A' | 'AAAA', answer: string): number {
  const port = ephemeral(ctx, host);
  const id = ctx.rng.int(65536);
  const rtt = (2 + ctx.rng.int(30)) * MS;
  ctx.net.udp(t, host, port, ctx.resolver, 53, dnsQuery({ id, name, type }), { app: ['dns'] });
  ctx.net.udp(t + rtt, ctx.resolver, 53, host, port, dnsResponse({ id, name, type, answers: [{ type, data: answer, ttl: 60 + ctx.rng.int(3000) }] }), {
    app: ['dns'],
  });
  return t + rtt;
}

/**
 * Server-to-client (or client-to-server) bulk transfer: windows of full
 * segments back to back at `rateBps`, the receiver ACKing every second one, a
 * new window each round trip, slow start up to 44 segments.
 */
export function bulk(ctx: Ctx, conn: TcpConn, t: number, dir: 'c' | 's', bytes: number, rttNs: number, rateBps: number, tls: boolean): number {
  const back = dir === 'c' ? 's' : 'c';
  const mss = 1448;
  const gap = ((1514 * 8) / rateBps) * SEC;
  let cwnd = 10;
  let left = bytes;
  let n = 0;
  while (left > 0) {
    const start = t;
    for (let i = 0; i < cwnd && left > 0; i++) {
      const len = Math.min(mss, left);
      left -= len;
      const payload = tls ? tlsRecord(23, 0x0303, ctx.opaque.take(len - 5)) : ctx.opaque.take(len);
      conn.send(t, dir, payload, {}, left === 0);
      if (++n % 2 === 0 || left === 0) conn.ack(t + 0.04 * MS, back);
      t += gap * (0.9 + 0.2 * ctx.rng.next());
    }
    cwnd = Math.min(44, cwnd * 2);
    t = Math.max(t, start + rttNs);
  }
  return t;
}

export interface PageLoad {
  host: string;
  site: Site;
  /** Response size in bytes. */
  size: number;
  /** Keep the connection open at the end (no FIN inside the capture). */
  keepOpen?: boolean;
  /** Fire a DNS lookup first. */
  lookup?: boolean;
  v6?: boolean;
  /** Address the DNS query comes from (an IPv4 resolver is asked even for AAAA). */
  dnsFrom?: string;
}

/** DNS (optional), TCP handshake, TLS ClientHello with SNI, server hello and certificate, request, response, close. */
export function httpsPage(ctx: Ctx, t: number, p: PageLoad): number {
  const { rng, net, opaque } = ctx;
  const rtt = p.site.rtt * MS * (0.8 + 0.4 * rng.next());
  if (p.lookup) t = dnsLookup(ctx, t, p.dnsFrom ?? p.host, p.site.name, p.v6 ? 'AAAA' : 'A', p.site.ip) + rng.int(3) * MS;
  const conn = new TcpConn(net, { client: p.host, cport: ephemeral(ctx, p.host), server: p.site.ip, sport: 443, app: 'tls', cisn: rng.u32(), sisn: rng.u32() });
  t = conn.open(t, rtt);
  conn.send((t += 0.2 * MS), 'c', tlsClientHello({ sni: p.site.name, random: opaque.take(32), sessionId: opaque.take(32), alpn: ['h2', 'http/1.1'] }));
  t += rtt;
  conn.send(t, 's', tlsServerHello({ random: opaque.take(32), sessionId: opaque.take(32) }), {}, false);
  conn.send((t += 0.1 * MS), 's', tlsRecord(23, 0x0303, opaque.take(1443)), {}, false);
  conn.send((t += 0.1 * MS), 's', tlsRecord(23, 0x0303, opaque.take(600 + rng.int(800))));
  conn.ack((t += 0.05 * MS), 'c');
  conn.send((t += 2 * MS), 'c', tlsAppData(opaque.take(64)));
  conn.send((t += 0.1 * MS), 'c', tlsAppData(opaque.take(300 + rng.int(500))));
  t += rtt;
  t = bulk(ctx, conn, t, 's', p.size, rtt, 40e6, true);
  if (p.keepOpen) return t;
  t += (1 + rng.int(20)) * SEC * rng.next();
  return conn.close(t, rng.chance(0.7) ? 'c' : 's', rtt);
}

/** Plain HTTP GET with a short response. */
export function httpGet(ctx: Ctx, t: number, host: string, site: Site, path: string, ua: string, status = 200, body = 2000): number {
  const { rng, net, opaque } = ctx;
  const rtt = site.rtt * MS;
  const conn = new TcpConn(net, { client: host, cport: ephemeral(ctx, host), server: site.ip, sport: 80, app: 'http', cisn: rng.u32(), sisn: rng.u32() });
  t = conn.open(t, rtt);
  conn.send((t += 0.3 * MS), 'c', httpRequest({ host: site.name, path, userAgent: ua, headers: [['Accept', '*/*']] }));
  conn.ack((t += rtt / 2), 's');
  const head = httpResponse({ status, reason: status === 200 ? 'OK' : status === 204 ? 'No Content' : 'Not Modified', headers: [['Content-Type', 'text/html'], ['Server', 'nginx']], body: '' });
  // Headers and the first part of the body in one segment, the rest in full segments.
  let left = body;
  let first = true;
  while (first || left > 0) {
    const chunk = Math.min(left, first ? 1448 - head.length : 1448);
    left -= chunk;
    const payload = first ? concatBytes(head, opaque.take(Math.max(0, chunk))) : opaque.take(chunk);
    conn.send((t += 0.15 * MS), 's', payload, {}, left === 0);
    first = false;
  }
  conn.ack((t += 0.05 * MS), 'c');
  return conn.close((t += 5 * MS), 'c', rtt);
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** An interactive SSH session: banners, key exchange, then keystrokes echoed and bursts of output until `end`. */
export function sshSession(ctx: Ctx, t: number, end: number, client: string, server: string): void {
  const { rng, opaque } = ctx;
  const rtt = 0.6 * MS;
  const conn = new TcpConn(ctx.net, { client, cport: ephemeral(ctx, client), server, sport: 22, app: 'ssh', cisn: rng.u32(), sisn: rng.u32() });
  t = conn.open(t, rtt);
  conn.send((t += 0.2 * MS), 'c', utf8('SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5\r\n'));
  conn.send((t += rtt), 's', utf8('SSH-2.0-OpenSSH_8.9p1 Debian-3+deb12u1\r\n'));
  conn.send((t += 0.3 * MS), 'c', sshPacket(20, opaque.take(1400)));
  conn.send((t += rtt), 's', sshPacket(20, opaque.take(1060)));
  conn.send((t += 0.5 * MS), 'c', sshPacket(30, concatBytes(Uint8Array.of(0, 0, 0, 32), opaque.take(32))));
  conn.send((t += 3 * MS), 's', sshPacket(31, opaque.take(560)));
  conn.send((t += 1 * MS), 'c', sshPacket(21, new Uint8Array(0)));
  while (t < end) {
    // A command typed, echoed, then its output.
    const keys = 3 + rng.int(25);
    for (let k = 0; k < keys && t < end; k++) {
      conn.send((t += (60 + rng.exp(140)) * MS), 'c', opaque.take(36));
      conn.send((t += rtt), 's', opaque.take(36));
      conn.ack((t += 0.04 * MS), 'c');
    }
    const out = rng.int(4) === 0 ? 1 + rng.int(30) : rng.int(3);
    for (let i = 0; i < out; i++) conn.send((t += 0.2 * MS), 's', opaque.take(rng.chance(0.5) ? 1448 : 100 + rng.int(1300)), {}, i === out - 1);
    if (out) conn.ack((t += 0.05 * MS), 'c');
    t += rng.exp(4) * SEC;
  }
}

/** An SSH binary packet header (length, padding length, type) followed by opaque bytes. */
function sshPacket(type: number, body: Uint8Array): Uint8Array {
  const pad = 4 + ((8 - ((body.length + 6) % 8)) % 8);
  const len = 2 + body.length + pad;
  const b = new Uint8Array(4 + len);
  new DataView(b.buffer).setUint32(0, len);
  b[4] = pad;
  b[5] = type;
  b.set(body, 6);
  return b;
}
