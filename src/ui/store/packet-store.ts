import { PacketRecord } from '../../capture/record.js';
import type { PacketRing, RingMeta } from '../../capture/packet-ring.js';
import { ip4ToString, ip6ToString, macToString } from '../../decode/addr.js';
import { Decoder } from '../../decode/decoder.js';
import { DecodedPacket } from '../../decode/packet.js';
import { dissectPacket } from '../../dissect/dissect.js';
import { packetInfoLine } from '../../dissect/info.js';
import { dnsFamily } from '../../dissect/detect.js';
import { PROTO_NAMES } from '../../decode/protocols.js';
import { packetTree } from '../../dissect/tree.js';
import type { EngineObserver } from '../../engine/engine.js';
import type { PacketDetail, PacketSummary } from '../packets/packet-data.js';

/** What the packet view shows: summaries in frame order and the detail of one on demand. */
export interface PacketsView {
  readonly summaries: readonly PacketSummary[];
  readonly detailOf: (no: number) => PacketDetail | null;
}

/** Packets listed per view: the newest of the selection (the ring may hold far more). */
export const PACKET_LIST_LIMIT = 2000;

function parseId(id: string): { slot: number; gen: number } | null {
  const m = /^(\d+):(\d+)$/.exec(id);
  return m ? { slot: Number(m[1]), gen: Number(m[2]) } : null;
}

/**
 * The packet view's data, read from the runtime's ring of raw packets (Runtime's `ring`: every
 * packet read, before any filter) rather than from a copy of its own: one ring of `--ring-mb`
 * serves both re-applying display filters and this view, so memory stays one ring plus this
 * index. An engine observer after the display filter: per counted packet it notes the packet's
 * frame number (`Runtime.frame`, the ring key's tag) and flow in typed arrays, in frame order;
 * entries for packets the ring has let go are dropped, so the index never holds more entries
 * than the ring holds packets (12 bytes each). Frame numbers are the capture's, as in Wireshark:
 * the same packet keeps its number whatever the filter.
 */
export class PacketStore implements EngineObserver {
  private firstTime = NaN;
  private readonly rec = new PacketRecord();
  private readonly decoder = new Decoder();
  private readonly pkt = new DecodedPacket();
  /** Counted packets, oldest first: frame number, flow slot (-1 none), flow generation. A circular buffer. */
  private idxFrame = new Uint32Array(1024);
  private idxSlot = new Int32Array(1024);
  private idxGen = new Uint32Array(1024);
  private idxHead = 0;
  private idxLen = 0;
  /** Frame of the latest counted packet (0 none since the last reset). */
  private latest = 0;
  /** Frame number of each flow slot's latest packet, so an idle conversation's list is not rebuilt. */
  private lastFrame = new Uint32Array(0);
  private cached: { readonly id: string | null; readonly stamp: number; readonly view: PacketsView } | null = null;

  constructor(
    private readonly ring: PacketRing,
    private readonly flowGen: (slot: number) => number,
    /** Frame number of the packet being counted (Runtime.frame). */
    private readonly frameOf: () => number,
    /**
     * Time of the capture's first packet, before any filter (Engine.firstRead): the Time column is
     * tshark's frame.time_relative, which counts from there whatever -Y shows. Without it (or
     * before any packet), from the first packet this store counted.
     */
    private readonly captureStart: () => number | null = () => null,
  ) {}

  onPacket(p: DecodedPacket, slot: number): void {
    const frame = this.frameOf();
    if (this.idxLen === this.idxFrame.length) this.makeRoom();
    const at = (this.idxHead + this.idxLen) & (this.idxFrame.length - 1);
    this.idxFrame[at] = frame;
    this.idxSlot[at] = slot;
    this.idxGen[at] = slot >= 0 ? this.flowGen(slot) : 0;
    this.idxLen++;
    this.latest = frame;
    if (slot >= 0) {
      if (slot >= this.lastFrame.length) this.growSlots(slot);
      this.lastFrame[slot] = frame;
    }
    if (Number.isNaN(this.firstTime)) this.firstTime = p.tsSec + p.tsNsec / 1e9;
  }

  /** The display filter changed: flow slots restart, and the runtime replays the ring into onPacket. */
  onReset(): void {
    this.idxHead = this.idxLen = 0;
    this.latest = 0;
    this.lastFrame.fill(0);
    this.cached = null;
  }

  /** Packets counted and still in the ring (for tests). */
  get indexed(): number {
    this.dropEvicted();
    return this.idxLen;
  }

  /** Full: drop entries the ring no longer holds, and grow (doubling) only if that freed nothing. */
  private makeRoom(): void {
    this.dropEvicted();
    if (this.idxLen < this.idxFrame.length) return;
    const n = this.idxFrame.length * 2;
    const f = new Uint32Array(n);
    const s = new Int32Array(n);
    const g = new Uint32Array(n);
    for (let i = 0; i < this.idxLen; i++) {
      const j = (this.idxHead + i) & (this.idxFrame.length - 1);
      f[i] = this.idxFrame[j]!;
      s[i] = this.idxSlot[j]!;
      g[i] = this.idxGen[j]!;
    }
    this.idxFrame = f;
    this.idxSlot = s;
    this.idxGen = g;
    this.idxHead = 0;
  }

  /** Drop index entries older than the ring's oldest packet. */
  private dropEvicted(): void {
    let oldest = -1;
    this.ring.scan((m) => {
      oldest = m.tag;
      return false;
    });
    const mask = this.idxFrame.length - 1;
    while (this.idxLen > 0 && (oldest < 0 || this.idxFrame[this.idxHead]! < oldest)) {
      this.idxHead = (this.idxHead + 1) & mask;
      this.idxLen--;
    }
  }

  private growSlots(slot: number): void {
    const next = new Uint32Array(Math.max(slot + 1, this.lastFrame.length * 2, 1024));
    next.set(this.lastFrame);
    this.lastFrame = next;
  }

  /**
   * The packets of a conversation (ConversationRow.id), or of everything counted under the
   * display filter (null); null for an id that is not a conversation. The same object while no
   * packet arrived.
   */
  view(conversationId: string | null): PacketsView | null {
    let flow: { slot: number; gen: number } | null = null;
    if (conversationId !== null) {
      flow = parseId(conversationId);
      if (flow === null) return null;
    }
    const stamp = flow === null ? this.latest : (this.lastFrame[flow.slot] ?? 0);
    const c = this.cached;
    if (c !== null && c.id === conversationId && c.stamp === stamp) return c.view;
    this.dropEvicted();
    // The newest PACKET_LIST_LIMIT frames of the selection, from the index; then their bytes from the ring.
    const frames: number[] = [];
    const mask = this.idxFrame.length - 1;
    for (let i = this.idxLen - 1; i >= 0 && frames.length < PACKET_LIST_LIMIT; i--) {
      const j = (this.idxHead + i) & mask;
      if (flow === null || (this.idxSlot[j] === flow.slot && this.idxGen[j] === flow.gen >>> 0)) frames.push(this.idxFrame[j]!);
    }
    frames.reverse();
    const summaries: PacketSummary[] = [];
    let k = 0;
    if (frames.length > 0) {
      this.ring.scan((m, data) => {
        if (m.tag < frames[k]!) return;
        if (m.tag === frames[k]) summaries.push(this.summary(m.tag, this.decode(m, data), m));
        while (k < frames.length && frames[k]! <= m.tag) k++;
        return k < frames.length;
      });
    }
    const view: PacketsView = { summaries, detailOf: (no) => this.detail(no) };
    this.cached = { id: conversationId, stamp, view };
    return view;
  }

  private decode(m: RingMeta, data: Uint8Array): DecodedPacket {
    this.decoder.decode(m.toRecord(data, this.rec), this.pkt);
    return this.pkt;
  }

  /** `m`: the packet's ring record, which holds the TCP numbers shown for it (see RingKey.tcpSeq). */
  private summary(no: number, p: DecodedPacket, m: RingMeta): PacketSummary {
    let src = '';
    let dst = '';
    if (p.l3 === 4) {
      src = ip4ToString(p.ip4Src);
      dst = ip4ToString(p.ip4Dst);
    } else if (p.l3 === 6) {
      src = ip6ToString(p.ip6Src);
      dst = ip6ToString(p.ip6Dst);
    } else if (p.ethOff >= 0 && p.ethOff + 12 <= p.buf.length) {
      src = macToString(p.buf, p.ethOff + 6);
      dst = macToString(p.buf, p.ethOff);
    }
    const app = dissectPacket(p);
    const path = this.decoder.paths.name(p.pathId);
    // DNS messages on 5353/5355 are MDNS/LLMNR in tshark's Protocol column (same dissector, other names).
    const appName = app === null ? null : app.proto === 'dns' && p.ipProto === 17 ? PROTO_NAMES[dnsFamily(p.srcPort, p.dstPort)]! : app.proto;
    const proto = (appName ?? (path.slice(path.lastIndexOf(':') + 1) || '-')).toUpperCase();
    const info = packetInfoLine(p, app, m) || proto;
    const start = this.captureStart() ?? this.firstTime;
    return { no, time: p.tsSec + p.tsNsec / 1e9 - start, src, dst, proto, len: p.origLen, info };
  }

  private detail(no: number): PacketDetail | null {
    let out: PacketDetail | null = null;
    this.ring.scan((m, data) => {
      if (m.tag !== no) return;
      const p = this.decode(m, data);
      const tree = packetTree(p, dissectPacket(p), m);
      // The tree indexes the frame from 0: copy the bytes out of the ring, which moves on.
      out = { no, bytes: new Uint8Array(data), tree };
      return false;
    });
    return out;
  }
}
