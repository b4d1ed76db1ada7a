import type { DecodedPacket } from '../decode/packet.js';
import { TcpEntry, UdpEntry } from './stream-entries.js';

/** What index mode reads of the engine's flow table (FlowTable) right after `track()`. */
export interface SlotFlows {
  /** The packet started a new flow in its slot. */
  readonly isNew: boolean;
  /** Direction of the packet on its flow (0 a->b, 1 b->a). */
  readonly dir: number;
  totalPackets(slot: number): number;
}

const SYN = 2;
/** UDP bytes a slot word may hold before they move into the entry (well below int32 overflow). */
const UDP_SYNC = 1 << 30;

/**
 * StreamTracker's fast path in index mode: per engine flow slot, the stream its flow is on, so an
 * ordinary packet (flow not new, not a TCP SYN, not cut by the snaplen, both TCP directions seen)
 * is numbered without looking its entry up. What the entry would count per packet is reduced to
 * what view time needs, kept per slot in a typed array (the entry is not touched): the furthest
 * TCP sequence number and UDP payload bytes per direction; sync() moves them into the entry.
 */
export class SlotStreams {
  /** Per flow slot: 0 (look the packet up), else (stream number + 1) << 2 | UDP << 1 | (flow dir ^ stream dir). */
  private word = new Int32Array(0);
  /**
   * Per flow slot and stream direction (2 slot + d): the TcpEntry end reached, or UDP payload bytes not
   * yet in the entry (moved there before they could overflow). Int32, apart from `word`: the arrays
   * are read on nearly every packet at a random slot, and the denser they are the more of them the
   * cache holds (one record of both measured slower).
   */
  private acc = new Int32Array(0);
  /** Highest stream number forgotten (all below are too), -1 none. */
  forgotTcp = -1;
  forgotUdp = -1;
  /** Set by known(): the packet's protocol (6, 17) and direction on its stream. */
  proto = 0;
  dir = 0;

  constructor(
    private readonly flows: SlotFlows,
    private readonly tcp: readonly (TcpEntry | null)[],
    private readonly udp: readonly (UdpEntry | null)[],
  ) {}

  /** The stream number of `p` (a packet of flow `slot`) without a lookup, or -1: look it up. Allocates nothing. */
  known(p: DecodedPacket, slot: number): number {
    const f = this.flows;
    if (slot >= this.word.length || f.isNew) return -1;
    const v = this.word[slot]!;
    if (v === 0) return -1;
    const n = (v >> 2) - 1;
    const d = (f.dir ^ v) & 1;
    const k = slot * 2 + d;
    if ((v & 2) !== 0) {
      if (p.ipProto !== 17 || n <= this.forgotUdp) return -1;
      const acc = this.acc[k]! + (p.payloadOff >= 0 ? p.payloadLen : 0);
      this.acc[k] = acc;
      if (acc > UDP_SYNC) this.sync(slot);
      this.proto = 17;
    } else {
      // A SYN may start a new connection; a segment cut by the snaplen is counted (TcpEntry.cut).
      const wire = p.payloadWireLen;
      if (p.ipProto !== 6 || p.tcpSeq < 0 || (p.tcpFlags & SYN) !== 0 || wire > (p.payloadOff >= 0 ? p.payloadLen : 0) || n <= this.forgotTcp) return -1;
      const end = (p.tcpSeq + wire) | 0;
      if (wire > 0 && ((end - this.acc[k]!) | 0) > 0) this.acc[k] = end;
      this.proto = 6;
    }
    this.dir = d;
    return n;
  }

  /** After a looked-up packet (direction `d` on `s`): the slot's next packets may skip the lookup (TCP: once both directions are seen). */
  bind(slot: number, s: TcpEntry | UdpEntry, d: number): void {
    if (slot >= this.word.length) this.grow(slot);
    this.sync(slot);
    const word = ((s.index + 1) << 2) | ((this.flows.dir ^ d) & 1);
    if (s instanceof UdpEntry) this.word[slot] = word | 2;
    else {
      this.word[slot] = s.seen === 3 ? word : 0;
      this.acc[slot * 2] = s.end0;
      this.acc[slot * 2 + 1] = s.end1;
    }
  }

  /** The flow left its slot. */
  unbind(slot: number): void {
    if (slot >= this.word.length) return;
    this.sync(slot);
    this.word[slot] = 0;
  }

  /** Slots are about to be renumbered. */
  reset(): void {
    for (let i = 0; i < this.word.length; i++) this.sync(i);
    this.word.fill(0);
  }

  /** Bring the entry of the stream `slot` is on up to date. */
  sync(slot: number): void {
    if (slot < 0 || slot >= this.word.length) return;
    const v = this.word[slot]!;
    if (v === 0) return;
    const n = (v >> 2) - 1;
    const k = slot * 2;
    if ((v & 2) !== 0) {
      this.udp[n]?.datagrams(this.acc[k]!, this.acc[k + 1]!);
      this.acc[k] = 0;
      this.acc[k + 1] = 0;
    } else this.tcp[n]?.reach(this.acc[k]!, this.acc[k + 1]!);
  }

  private grow(slot: number): void {
    const n = Math.max(slot + 1, this.word.length * 2, 1024);
    const word = new Int32Array(n);
    const acc = new Int32Array(n * 2);
    word.set(this.word);
    acc.set(this.acc);
    this.word = word;
    this.acc = acc;
  }
}
