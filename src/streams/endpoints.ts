import type { DecodedPacket } from '../decode/packet.js';

/**
 * The two endpoints of a conversation as numbers (IPv4 in w[0], IPv6 in four
 * words), with `a` = the side that sent the first packet seen.
 */
export class Endpoints {
  readonly a = new Uint32Array(4);
  readonly b = new Uint32Array(4);
  aPort = -1;
  bPort = -1;
  v6 = false;

  static from(p: DecodedPacket): Endpoints {
    const e = new Endpoints();
    e.v6 = p.l3 === 6;
    if (e.v6) {
      e.a.set(p.ip6Src);
      e.b.set(p.ip6Dst);
    } else {
      e.a[0] = p.ip4Src;
      e.b[0] = p.ip4Dst;
    }
    e.aPort = p.srcPort;
    e.bPort = p.dstPort;
    return e;
  }

  /** 0 if the packet goes a->b, 1 if b->a, -1 if it is not this conversation. Allocates nothing. */
  direction(p: DecodedPacket): number {
    if ((p.l3 === 6) !== this.v6) return -1;
    if (sameAddr(this, this.a, p, true) && p.srcPort === this.aPort && sameAddr(this, this.b, p, false) && p.dstPort === this.bPort) return 0;
    if (sameAddr(this, this.b, p, true) && p.srcPort === this.bPort && sameAddr(this, this.a, p, false) && p.dstPort === this.aPort) return 1;
    return -1;
  }
}

function sameAddr(e: Endpoints, w: Uint32Array, p: DecodedPacket, src: boolean): boolean {
  if (!e.v6) return w[0] === (src ? p.ip4Src : p.ip4Dst);
  const x = src ? p.ip6Src : p.ip6Dst;
  return w[0] === x[0] && w[1] === x[1] && w[2] === x[2] && w[3] === x[3];
}

/** Direction-independent key of a packet's conversation (allocates one string). */
export function conversationKey(p: DecodedPacket, proto: number): string {
  let s: string;
  let d: string;
  if (p.l3 === 6) {
    s = `${p.ip6Src[0]}.${p.ip6Src[1]}.${p.ip6Src[2]}.${p.ip6Src[3]}`;
    d = `${p.ip6Dst[0]}.${p.ip6Dst[1]}.${p.ip6Dst[2]}.${p.ip6Dst[3]}`;
  } else {
    s = String(p.ip4Src);
    d = String(p.ip4Dst);
  }
  const x = `${s}/${p.srcPort}`;
  const y = `${d}/${p.dstPort}`;
  return x < y ? `${proto}|${x}|${y}` : `${proto}|${y}|${x}`;
}
