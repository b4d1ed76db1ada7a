import { L3, type DecodedPacket } from '../decode/packet.js';

/**
 * tshark shows tcp.seq and tcp.ack relative to the first sequence number seen
 * in each direction of a connection (tcp.relative_sequence_numbers is on by
 * default). The rule, checked against tshark 4.0.17 output:
 * - the first segment seen in a direction sets its base: `seq` for a SYN, else `seq - 1`
 *   (so a capture that starts mid-connection shows seq 1, not 0);
 * - the first segment with ACK set also sets the other direction's base to `ack - 1`
 *   when that direction has none yet;
 * - relative = (raw - base) mod 2^32; without a base, tcp.ack stays raw.
 * A SYN whose seq differs from its direction's base starts a new connection.
 *
 * Connections live in a fixed open-addressing table of typed arrays; when it is
 * three quarters full it is cleared (old connections then restart their base).
 */
const WORDS = 9;

export class TcpRelativeSeq {
  /** Relative seq/ack of the packet last observed, NaN when it has no TCP header. */
  seq = NaN;
  ack = NaN;
  private readonly cap: number;
  private readonly keys: Uint32Array;
  private readonly state: Uint8Array;
  private readonly baseA: Float64Array;
  private readonly baseB: Float64Array;
  private used = 0;
  private readonly k = new Uint32Array(WORDS);

  constructor(capacityLog2 = 16) {
    this.cap = 1 << capacityLog2;
    this.keys = new Uint32Array(this.cap * WORDS);
    this.state = new Uint8Array(this.cap);
    this.baseA = new Float64Array(this.cap);
    this.baseB = new Float64Array(this.cap);
  }

  clear(): void {
    this.state.fill(0);
    this.used = 0;
  }

  observe(p: DecodedPacket): void {
    if (p.ipProto !== 6 || p.l4Off < 0 || p.isLaterFragment || p.tcpSeq < 0 || (p.l3 !== L3.IPv4 && p.l3 !== L3.IPv6)) {
      this.seq = NaN;
      this.ack = NaN;
      return;
    }
    const fwd = this.makeKey(p);
    const slot = this.find();
    const seqRaw = p.tcpSeq;
    const ackRaw = p.tcpAck < 0 ? 0 : p.tcpAck;
    const syn = (p.tcpFlags & 2) !== 0;
    const hasAck = (p.tcpFlags & 16) !== 0;
    const fwdBit = fwd ? 2 : 4;
    const revBit = fwd ? 4 : 2;
    const fwdBase = fwd ? this.baseA : this.baseB;
    const revBase = fwd ? this.baseB : this.baseA;
    let st = this.state[slot]!;
    if (syn && !hasAck && (st & fwdBit) !== 0 && fwdBase[slot] !== seqRaw) st = 1;
    if ((st & fwdBit) === 0) {
      fwdBase[slot] = syn ? seqRaw : (seqRaw - 1) >>> 0;
      st |= fwdBit;
    }
    if ((st & revBit) === 0 && hasAck) {
      revBase[slot] = (ackRaw - 1) >>> 0;
      st |= revBit;
    }
    this.state[slot] = st;
    this.seq = (seqRaw - fwdBase[slot]!) >>> 0;
    this.ack = (st & revBit) !== 0 ? (ackRaw - revBase[slot]!) >>> 0 : ackRaw;
  }

  /** Fill `k` with the canonical connection key; true when the packet goes A -> B. */
  private makeKey(p: DecodedPacket): boolean {
    const k = this.k;
    let fwd: boolean;
    if (p.l3 === L3.IPv4) {
      fwd = p.ip4Src < p.ip4Dst || (p.ip4Src === p.ip4Dst && p.srcPort <= p.dstPort);
      k[0] = k[1] = k[4] = k[5] = 0;
      k[2] = k[6] = 0xffff;
      k[3] = fwd ? p.ip4Src : p.ip4Dst;
      k[7] = fwd ? p.ip4Dst : p.ip4Src;
    } else {
      let c = 0;
      for (let i = 0; i < 4 && c === 0; i++) c = p.ip6Src[i]! - p.ip6Dst[i]!;
      fwd = c < 0 || (c === 0 && p.srcPort <= p.dstPort);
      const a = fwd ? p.ip6Src : p.ip6Dst;
      const b = fwd ? p.ip6Dst : p.ip6Src;
      for (let i = 0; i < 4; i++) {
        k[i] = a[i]!;
        k[4 + i] = b[i]!;
      }
    }
    k[8] = fwd ? ((p.srcPort << 16) | p.dstPort) >>> 0 : ((p.dstPort << 16) | p.srcPort) >>> 0;
    return fwd;
  }

  private find(): number {
    const k = this.k;
    let h = 0x811c9dc5;
    for (let i = 0; i < WORDS; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
    const mask = this.cap - 1;
    for (;;) {
      let s = (h ^ (h >>> 15)) & mask;
      for (let n = 0; n < this.cap; n++, s = (s + 1) & mask) {
        if (this.state[s] === 0) {
          if (this.used >= (this.cap * 3) >> 2) break;
          const o = s * WORDS;
          for (let i = 0; i < WORDS; i++) this.keys[o + i] = k[i]!;
          this.state[s] = 1;
          this.used++;
          return s;
        }
        const o = s * WORDS;
        let same = true;
        for (let i = 0; i < WORDS && same; i++) same = this.keys[o + i] === k[i];
        if (same) return s;
      }
      this.clear();
    }
  }
}
