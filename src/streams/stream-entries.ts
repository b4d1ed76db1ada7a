import type { DecodedPacket } from '../decode/packet.js';
import { Conversation } from './streams.js';

/**
 * Index mode (StreamTracker `store: false`): a stream numbered and counted, its data not kept.
 * `firstTag`/`endTag` are the caller's numbers bounding its packets (the dashboard writes its
 * frame numbers, the packet ring's tags, to find the packets again).
 *
 * With the engine's flows (StreamTrackerOptions.flows), ordinary packets of a stream whose both
 * directions were seen are not counted here: packets, last frame/time and bytes then cover only
 * the packets the tracker looked up. Bases, firstFrame and cut (a cut segment is looked up) stay
 * exact, and end (span, expected) and UDP bytes too once StreamTracker.syncSlot() ran for the
 * stream's slot.
 */
abstract class Entry extends Conversation {
  /** Payload bytes per direction (TCP: tcp.len, retransmissions included). */
  bytes0 = 0;
  bytes1 = 0;
  /** The caller's number of the first packet. */
  firstTag = 0;
  /** 0 while the stream may get packets; else the caller's number of the last packet it can have (a new connection took its 4-tuple). */
  endTag = 0;

  dispose(): void {}
}

/**
 * A TCP stream in index mode: what numbering needs (the first sequence number per direction) and
 * counters. Sequence numbers are kept as int32 (`| 0`, compared modulo 2^32): as uint32 most would be
 * heap numbers, one more object to reach per packet.
 */
export class TcpEntry extends Entry {
  readonly proto = 'tcp';
  /** Bit d set: direction d has been seen (base and end are valid). */
  seen = 0;
  /** tshark's base_seq per direction (the SYN's number, or the first seen minus 1). */
  base0 = 0;
  base1 = 0;
  /** Sequence number after the furthest segment with data, per direction (a FIN or a bare ACK moves nothing). */
  end0 = 0;
  end1 = 0;
  /** Payload bytes on the wire but not captured (snaplen) per direction: reassembly skips them. */
  cut0 = 0;
  cut1 = 0;

  constructor(index: number, first: DecodedPacket) {
    super(index, first);
  }

  /** base_seq of direction `d` as uint32, or -1 before its first segment. */
  baseOf(d: number): number {
    if ((this.seen & (1 << d)) === 0) return -1;
    return (d === 0 ? this.base0 : this.base1) >>> 0;
  }

  /** One segment in direction `d` (`wire` = tcp.len, `captured` of it in the frame). Allocates nothing. */
  segment(d: number, seq: number, flags: number, wire: number, captured: number): void {
    const syn = flags & 2 ? 1 : 0;
    const s = seq | 0;
    const end = (s + syn + wire) | 0;
    const cut = wire > captured ? wire - captured : 0;
    if ((this.seen & (1 << d)) === 0) this.first(d, syn ? s : (s - 1) | 0);
    const more = wire > 0;
    if (d === 0) {
      this.bytes0 += wire;
      this.cut0 += cut;
      if (more && ((end - this.end0) | 0) > 0) this.end0 = end;
    } else {
      this.bytes1 += wire;
      this.cut1 += cut;
      if (more && ((end - this.end1) | 0) > 0) this.end1 = end;
    }
  }

  /** Sequence numbers reached per direction elsewhere (StreamTracker's per-slot fast path): keep the furthest. */
  reach(end0: number, end1: number): void {
    if ((this.seen & 1) !== 0 && ((end0 - this.end0) | 0) > 0) this.end0 = end0;
    if ((this.seen & 2) !== 0 && ((end1 - this.end1) | 0) > 0) this.end1 = end1;
  }

  /** The first segment of direction `d`: its base, and nothing reached yet. */
  private first(d: number, base: number): void {
    this.seen |= 1 << d;
    if (d === 0) {
      this.base0 = base;
      this.end0 = (base + 1) | 0;
    } else {
      this.base1 = base;
      this.end1 = (base + 1) | 0;
    }
  }

  /**
   * Sequence space direction `d` covered, from its first byte to the furthest segment: what
   * reassembling every packet would deliver (data plus gaps), retransmissions counted once.
   */
  span(d: number): number {
    if ((this.seen & (1 << d)) === 0) return 0;
    return d === 0 ? (this.end0 - this.base0 - 1) >>> 0 : (this.end1 - this.base1 - 1) >>> 0;
  }

  /**
   * What reassembling every packet would hold for direction `d`: span less the bytes the capture
   * cut (a retransmitted cut segment counts twice, so this can be lower, never higher).
   */
  expected(d: number): number {
    return Math.max(0, this.span(d) - (d === 0 ? this.cut0 : this.cut1));
  }
}

/** A UDP conversation in index mode: counters only. */
export class UdpEntry extends Entry {
  readonly proto = 'udp';
  constructor(index: number, first: DecodedPacket) {
    super(index, first);
  }

  datagram(d: number, len: number): void {
    if (d === 0) this.bytes0 += len;
    else this.bytes1 += len;
  }

  /** Payload bytes counted elsewhere (StreamTracker's per-slot fast path). */
  datagrams(bytes0: number, bytes1: number): void {
    this.bytes0 += bytes0;
    this.bytes1 += bytes1;
  }
}
