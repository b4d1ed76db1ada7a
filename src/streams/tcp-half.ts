import { copyBytes } from './chunk.js';
import type { HalfStore } from './half-store.js';
import { seqAdd, seqGt, seqLt } from './seq.js';

/** A segment that arrived ahead of the next expected sequence number. */
interface Fragment {
  seq: number;
  data: Uint8Array;
  frame: number;
  tsSec: number;
  tsNsec: number;
}

/** Never written: see TcpHalf.fragments. */
const NO_FRAGMENTS: Fragment[] = [];

/** Shared per-stream delivery counter and sink. */
export interface HalfSink {
  nextOrder(): number;
  /** Segments waiting out of order over the stream's halves. */
  waiting: number;
}

/** Limits on what one direction buffers out of order before it gives up on the hole. */
export interface HalfLimits {
  /** Bytes held in out-of-order fragments before the lowest hole is declared missing. */
  maxOooBytes: number;
  /** Fragments held before the lowest hole is declared missing. */
  maxOooFragments: number;
}

/**
 * One direction of a TCP stream, reassembled the way tshark's `follow,tcp`
 * does it (Wireshark 4.0 follow_tcp_tap_listener / check_follow_fragments):
 *  - the first segment seen fixes the expected sequence number (SYN counts one);
 *  - data at the expected number is delivered; a segment that starts before it
 *    delivers only its new tail, so the first copy of any byte wins;
 *  - a segment beyond it waits in a fragment list (arrival order);
 *  - when the other side acknowledges past the lowest waiting fragment, the
 *    hole is declared missing (a Gap chunk) and delivery resumes after it.
 * Sequence numbers compare modulo 2^32, so wrap-around needs nothing special.
 * Beyond tshark: if the fragment list exceeds `limits`, the hole is declared
 * missing too, so memory stays bounded when the acknowledgement never comes.
 *
 * Allocation: new bytes are copied into the shared ring (the packet buffer is
 * reused by the source), no object per delivery; segments that wait out of
 * order get their own copy until they are delivered.
 */
export class TcpHalf {
  initialized = false;
  nextSeq = 0;
  bytesWritten = 0;
  /** Segments waiting out of order (a shared empty array until the first one). */
  fragments: Fragment[] = NO_FRAGMENTS;
  fragmentBytes = 0;
  /** Bytes declared missing so far. */
  missingBytes = 0;
  sawSyn = false;
  sawFin = false;
  sawRst = false;
  /** Initial sequence number of the SYN (valid when sawSyn). */
  isn = 0;
  /** tshark's base_seq: the SYN's sequence number, or the first seen one minus 1. */
  base = 0;
  baseSet = false;
  /** Payload bytes carried by packets in this direction (including retransmissions). */
  wireBytes = 0;
  packets = 0;

  constructor(
    readonly dir: 0 | 1,
    readonly store: HalfStore,
    private readonly sink: HalfSink,
    private readonly limits: HalfLimits,
  ) {}

  /**
   * One segment of this direction. `data` is the captured payload (valid only
   * during the call), `wireLen` the payload length per the headers.
   */
  segment(seq: number, flags: number, data: Uint8Array, dataOff: number, dataLen: number, wireLen: number,
    frame: number, tsSec: number, tsNsec: number): void {
    this.packets++;
    this.wireBytes += wireLen;
    if (!this.baseSet) {
      this.baseSet = true;
      this.base = flags & 2 ? seq : (seq - 1) >>> 0;
    }
    if (flags & 2) {
      if (!this.sawSyn) this.isn = seq;
      this.sawSyn = true;
      seq = seqAdd(seq, 1);
    }
    if (flags & 1) this.sawFin = true;
    if (flags & 4) this.sawRst = true;

    if (!this.initialized) {
      this.initialized = true;
      this.nextSeq = seq;
    }
    let length = wireLen;
    if (seqLt(seq, this.nextSeq)) {
      const end = seqAdd(seq, length);
      if (seqGt(end, this.nextSeq)) {
        const skip = (this.nextSeq - seq) >>> 0;
        if (dataLen <= skip) dataLen = 0;
        else {
          dataOff += skip;
          dataLen -= skip;
        }
        seq = this.nextSeq;
        length = (end - this.nextSeq) >>> 0;
      }
    }
    if (dataLen === 0 || seqLt(seq, this.nextSeq)) return;

    if (seq === this.nextSeq) {
      this.nextSeq = seqAdd(this.nextSeq, length);
      this.deliver(data, dataOff, dataLen, frame, tsSec, tsNsec);
      while (this.checkFragments(0, frame, false, tsSec, tsNsec));
    } else {
      const copy = copyBytes(data, dataOff, dataOff + dataLen);
      if (this.fragments === NO_FRAGMENTS) this.fragments = [];
      this.fragments.push({ seq, data: copy, frame, tsSec, tsNsec });
      this.fragmentBytes += copy.length;
      this.sink.waiting++;
      this.enforceLimits(frame, tsSec, tsNsec);
    }
  }

  /** Track SYN/FIN/RST and counters only (a stream whose data is not kept). */
  observe(seq: number, flags: number, wireLen: number): void {
    this.packets++;
    this.wireBytes += wireLen;
    if (!this.baseSet) {
      this.baseSet = true;
      this.base = flags & 2 ? seq : (seq - 1) >>> 0;
    }
    if (flags & 2) {
      if (!this.sawSyn) this.isn = seq;
      this.sawSyn = true;
    }
    if (flags & 1) this.sawFin = true;
    if (flags & 4) this.sawRst = true;
  }

  /** The other direction acknowledged `ack`: declare holes it covers missing. */
  acked(ack: number, frame: number, tsSec: number, tsNsec: number): void {
    if (this.fragments.length === 0) return;
    while (this.checkFragments(ack, frame, true, tsSec, tsNsec));
  }

  /** Give up on every hole now (end of a live stream); tshark's follow never does this. */
  flushPending(frame: number): void {
    while (this.fragments.length > 0) {
      const low = this.lowestSeq();
      this.checkFragments(seqAdd(low, 1), frame, true, 0, 0);
      while (this.checkFragments(0, frame, false, 0, 0));
    }
  }

  private enforceLimits(frame: number, tsSec: number, tsNsec: number): void {
    while (this.fragments.length > 0 &&
      (this.fragmentBytes > this.limits.maxOooBytes || this.fragments.length > this.limits.maxOooFragments)) {
      const low = this.lowestSeq();
      this.checkFragments(seqAdd(low, 1), frame, true, tsSec, tsNsec);
      while (this.checkFragments(0, frame, false, tsSec, tsNsec));
    }
  }

  private lowestSeq(): number {
    let low = this.fragments[0]!.seq;
    for (const f of this.fragments) if (seqGt(low, f.seq)) low = f.seq;
    return low;
  }

  private removeFragment(i: number): Fragment {
    const f = this.fragments.splice(i, 1)[0]!;
    this.fragmentBytes -= f.data.length;
    this.sink.waiting--;
    return f;
  }

  private checkFragments(ack: number, frame: number, useAck: boolean, tsSec: number, tsNsec: number): boolean {
    const frags = this.fragments;
    if (frags.length === 0) return false;
    let lowest = frags[0]!.seq;
    for (let i = 0; i < frags.length; i++) {
      const f = frags[i]!;
      if (seqGt(lowest, f.seq)) lowest = f.seq;
      if (seqLt(f.seq, this.nextSeq)) {
        const end = seqAdd(f.seq, f.data.length);
        if (seqGt(end, this.nextSeq)) {
          const skip = (this.nextSeq - f.seq) >>> 0;
          if (f.data.length > skip) this.deliver(f.data, skip, f.data.length - skip, f.frame, f.tsSec, f.tsNsec);
          this.nextSeq = seqAdd(this.nextSeq, f.data.length - skip);
        }
        this.removeFragment(i);
        return true;
      }
      if (f.seq === this.nextSeq) {
        if (f.data.length > 0) this.deliver(f.data, 0, f.data.length, f.frame, f.tsSec, f.tsNsec);
        this.nextSeq = seqAdd(this.nextSeq, f.data.length);
        this.removeFragment(i);
        return true;
      }
    }
    if (useAck && seqGt(ack, lowest)) {
      const missing = (lowest - this.nextSeq) | 0;
      this.missingBytes += missing;
      this.store.addGap(this.dir, missing, frame, this.sink.nextOrder(), tsSec, tsNsec);
      this.nextSeq = lowest;
      return true;
    }
    return false;
  }

  private deliver(src: Uint8Array, off: number, len: number, frame: number, tsSec: number, tsNsec: number): void {
    this.bytesWritten += len;
    this.store.addData(this.dir, src, off, len, frame, this.sink.nextOrder(), tsSec, tsNsec);
  }
}
