import type { DecodedPacket } from '../decode/packet.js';

/**
 * The two endpoints of a conversation as numbers (IPv4 in word 0, IPv6 in four
 * words), with `a` = the side that sent the first packet seen. Plain number
 * fields rather than typed arrays: direction() runs on every packet, and each
 * typed array would be one more object to reach. Words are kept as int32 (`| 0`):
 * an address above 2^31 as a uint32 is a heap number, one more object to reach.
 */
export class Endpoints {
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  b0 = 0;
  b1 = 0;
  b2 = 0;
  b3 = 0;
  aPort = -1;
  bPort = -1;
  v6 = false;

  static from(p: DecodedPacket): Endpoints {
    const e = new Endpoints();
    e.setFrom(p);
    return e;
  }

  /** Side a = the packet's source. */
  protected setFrom(p: DecodedPacket): void {
    this.v6 = p.l3 === 6;
    if (this.v6) {
      const s = p.ip6Src;
      const d = p.ip6Dst;
      this.a0 = s[0]! | 0;
      this.a1 = s[1]! | 0;
      this.a2 = s[2]! | 0;
      this.a3 = s[3]! | 0;
      this.b0 = d[0]! | 0;
      this.b1 = d[1]! | 0;
      this.b2 = d[2]! | 0;
      this.b3 = d[3]! | 0;
    } else {
      this.a0 = p.ip4Src | 0;
      this.b0 = p.ip4Dst | 0;
    }
    this.aPort = p.srcPort;
    this.bPort = p.dstPort;
  }

  /** Side a's address words (a new array: for display). */
  get a(): Uint32Array {
    return Uint32Array.of(this.a0, this.a1, this.a2, this.a3);
  }

  get b(): Uint32Array {
    return Uint32Array.of(this.b0, this.b1, this.b2, this.b3);
  }

  /** 0 if the packet goes a->b, 1 if b->a, -1 if it is not this conversation. Allocates nothing. */
  direction(p: DecodedPacket): number {
    const sp = p.srcPort;
    const dp = p.dstPort;
    if (this.v6) {
      if (p.l3 !== 6) return -1;
      const s = p.ip6Src;
      const d = p.ip6Dst;
      if (sp === this.aPort && dp === this.bPort && (s[0]! | 0) === this.a0 && (s[1]! | 0) === this.a1 && (s[2]! | 0) === this.a2
        && (s[3]! | 0) === this.a3 && (d[0]! | 0) === this.b0 && (d[1]! | 0) === this.b1 && (d[2]! | 0) === this.b2 && (d[3]! | 0) === this.b3) return 0;
      if (sp === this.bPort && dp === this.aPort && (s[0]! | 0) === this.b0 && (s[1]! | 0) === this.b1 && (s[2]! | 0) === this.b2
        && (s[3]! | 0) === this.b3 && (d[0]! | 0) === this.a0 && (d[1]! | 0) === this.a1 && (d[2]! | 0) === this.a2 && (d[3]! | 0) === this.a3) return 1;
      return -1;
    }
    if (p.l3 === 6) return -1;
    const src = p.ip4Src | 0;
    const dst = p.ip4Dst | 0;
    if (sp === this.aPort && dp === this.bPort && src === this.a0 && dst === this.b0) return 0;
    if (sp === this.bPort && dp === this.aPort && src === this.b0 && dst === this.a0) return 1;
    return -1;
  }
}
