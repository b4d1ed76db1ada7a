import { ETH, IPPROTO, TCP, arp, dnsQuery, dnsResponse, ethernet, icmp, ipv4, tcp, udp } from '../packet-builder.js';

/** One generated packet: when, the captured bytes and the length on the wire. */
export interface GenFrame {
  t: number;
  data: Uint8Array;
  origLen: number;
}

/** Bytes of a segment actually kept in the file; the rest is only counted in origLen (as with a short snaplen). */
const KEEP = 32;
const GATEWAY_MAC = '02:00:0a:01:00:01';

/** Internal hosts get a MAC derived from their address; everything else is behind the gateway. */
function macOf(ip: string): string {
  if (!ip.startsWith('10.')) return GATEWAY_MAC;
  const p = ip.split('.').map(Number);
  return `02:00:${p.map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

/**
 * Collects frames out of order (each generator writes whole conversations)
 * and hands them back sorted by time. Large TCP payloads are written short
 * with the IPv4 total length and origLen of the full segment, like a capture
 * taken with a small snaplen on a host with segmentation offload.
 */
export class FrameList {
  readonly frames: GenFrame[] = [];
  private ipId = 1;

  private push(t: number, src: string, dst: string, l3: Uint8Array, wireL3Len: number): void {
    const data = ethernet({ src: macOf(src), dst: macOf(dst), type: ETH.IPv4 }, l3);
    if (wireL3Len > l3.length) {
      data[16] = (wireL3Len >>> 8) & 0xff;
      data[17] = wireL3Len & 0xff;
    }
    this.frames.push({ t, data, origLen: 14 + Math.max(wireL3Len, l3.length) });
  }

  tcp(t: number, src: string, dst: string, sport: number, dport: number, flags: number, payloadLen = 0, seq = 0, ack = 0): void {
    const keep = Math.min(payloadLen, KEEP);
    const seg = tcp({ sport, dport, flags, seq, ack, payload: new Uint8Array(keep) });
    const l3 = ipv4({ src, dst, proto: IPPROTO.TCP, id: this.nextId() }, seg);
    this.push(t, src, dst, l3, 40 + payloadLen);
  }

  udp(t: number, src: string, dst: string, sport: number, dport: number, payload: Uint8Array): void {
    this.push(t, src, dst, ipv4({ src, dst, proto: IPPROTO.UDP, id: this.nextId() }, udp({ sport, dport, payload })), 0);
  }

  dns(t: number, client: string, server: string, sport: number, id: number, name: string, type: string, rtt: number, answer: unknown): void {
    this.udp(t, client, server, sport, 53, dnsQuery({ id, name, type }));
    const answers = type === 'TXT' ? [{ type: 'TXT', data: [String(answer)] }] : [{ type: 'A', data: String(answer) }];
    this.udp(t + rtt, server, client, 53, sport, dnsResponse({ id, name, type, answers }));
  }

  icmpEcho(t: number, src: string, dst: string, id: number, seq: number, request: boolean): void {
    const l3 = ipv4({ src, dst, proto: IPPROTO.ICMP, id: this.nextId() }, icmp({ type: request ? 8 : 0, id, seq, payload: new Uint8Array(32) }));
    this.push(t, src, dst, l3, 0);
  }

  arpRequest(t: number, senderIp: string, targetIp: string): void {
    this.frames.push({ t, data: ethernet({ src: macOf(senderIp), type: ETH.ARP, pad: true }, arp({ op: 1, senderMac: macOf(senderIp), senderIp, targetIp })), origLen: 60 });
  }

  /**
   * A whole TCP connection: handshake, a request, the response in segments of
   * up to `seg` bytes at `rateBps` bytes/s, client ACKs and a FIN exchange.
   * Returns when it ended.
   */
  session(t: number, c: string, s: string, sport: number, dport: number, reqBytes: number, respBytes: number, rtt: number, rateBps = 2e6, seg = 32768): number {
    const half = rtt / 2;
    // Initial sequence numbers derived from the ports keep the output deterministic.
    let cs = Math.imul(sport, 0x9e3779b1) >>> 0;
    let ss = Math.imul(dport * 65536 + sport, 0x85ebca6b) >>> 0;
    const add = (a: number, n: number): number => (a + n) >>> 0;
    this.tcp(t, c, s, sport, dport, TCP.SYN, 0, cs);
    this.tcp(t + half, s, c, dport, sport, TCP.SYN | TCP.ACK, 0, ss, add(cs, 1));
    cs = add(cs, 1);
    ss = add(ss, 1);
    this.tcp(t + rtt, c, s, sport, dport, TCP.ACK, 0, cs, ss);
    let now = t + rtt;
    for (let left = reqBytes; left > 0; left -= seg) {
      const len = Math.min(seg, left);
      this.tcp(now, c, s, sport, dport, TCP.ACK | TCP.PSH, len, cs, ss);
      cs = add(cs, len);
      now += len / rateBps;
    }
    now += half;
    let n = 0;
    for (let left = respBytes; left > 0; left -= seg) {
      const len = Math.min(seg, left);
      this.tcp(now, s, c, dport, sport, TCP.ACK | TCP.PSH, len, ss, cs);
      ss = add(ss, len);
      if (++n % 2 === 0 || left <= seg) this.tcp(now + half, c, s, sport, dport, TCP.ACK, 0, cs, ss);
      now += len / rateBps;
    }
    now += half;
    this.tcp(now, c, s, sport, dport, TCP.FIN | TCP.ACK, 0, cs, ss);
    this.tcp(now + half, s, c, dport, sport, TCP.FIN | TCP.ACK, 0, ss, add(cs, 1));
    this.tcp(now + rtt, c, s, sport, dport, TCP.ACK, 0, add(cs, 1), add(ss, 1));
    return now + rtt;
  }

  private nextId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /** Frames in time order (stable for equal times). */
  sorted(): GenFrame[] {
    const idx = this.frames.map((_, i) => i);
    idx.sort((a, b) => this.frames[a]!.t - this.frames[b]!.t || a - b);
    return idx.map((i) => this.frames[i]!);
  }
}
