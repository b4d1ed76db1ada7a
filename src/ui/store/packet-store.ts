import { PacketRecord } from '../../capture/record.js';
import { RingKey } from '../../capture/ring-key.js';
import type { PacketRing } from '../../capture/packet-ring.js';
import { ip4ToString, ip6ToString, macToString } from '../../decode/addr.js';
import { Decoder } from '../../decode/decoder.js';
import { DecodedPacket } from '../../decode/packet.js';
import { dissectPacket } from '../../dissect/dissect.js';
import { packetInfoLine } from '../../dissect/info.js';
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
 * Keeps the packets the dashboard counts in a ring (raw bytes plus the flow they belong to) and
 * turns them back into the packet view's data when it is open. An engine observer: per packet it
 * fills one reused key and record and copies the bytes into the ring. Frame numbers count the
 * packets it has seen (those past the display filter), from 1.
 */
export class PacketStore implements EngineObserver {
  private frame = 0;
  private firstTime = NaN;
  private readonly key = new RingKey();
  private readonly rec = new PacketRecord();
  private readonly decoder = new Decoder();
  private readonly pkt = new DecodedPacket();
  /** Frame number of each flow slot's latest packet, so an idle conversation's list is not rebuilt. */
  private lastFrame = new Uint32Array(0);
  private cached: { readonly id: string | null; readonly stamp: number; readonly view: PacketsView } | null = null;

  constructor(
    private readonly ring: PacketRing,
    private readonly flowGen: (slot: number) => number,
  ) {}

  onPacket(p: DecodedPacket, slot: number): void {
    this.frame++;
    const k = this.key;
    k.ipVersion = 0;
    if (p.l3 === 4) k.setIp4(p.ip4Src, p.ip4Dst);
    else if (p.l3 === 6) k.setIp6(p.ip6Src, p.ip6Dst);
    k.proto = p.ipProto > 0 ? p.ipProto : 0;
    k.srcPort = p.srcPort > 0 ? p.srcPort : 0;
    k.dstPort = p.dstPort > 0 ? p.dstPort : 0;
    k.flowSlot = slot;
    k.flowGen = slot >= 0 ? this.flowGen(slot) : 0;
    k.tag = this.frame;
    if (slot >= 0) {
      if (slot >= this.lastFrame.length) this.growSlots(slot);
      this.lastFrame[slot] = this.frame;
    }
    const r = this.rec;
    r.buf = p.buf;
    r.off = p.frameOff;
    r.capLen = p.capLen;
    r.origLen = p.origLen;
    r.linkType = p.linkType;
    r.ifIndex = p.ifIndex;
    r.tsSec = p.tsSec;
    r.tsNsec = p.tsNsec;
    if (Number.isNaN(this.firstTime)) this.firstTime = p.tsSec + p.tsNsec / 1e9;
    this.ring.append(r, k);
  }

  /** Flow slots restart when the display filter changes: older packets could match new flows. */
  onReset(): void {
    this.ring.clear();
    this.lastFrame.fill(0);
    this.cached = null;
  }

  private growSlots(slot: number): void {
    const next = new Uint32Array(Math.max(slot + 1, this.lastFrame.length * 2, 1024));
    next.set(this.lastFrame);
    this.lastFrame = next;
  }

  /**
   * The packets of a conversation (ConversationRow.id), or of everything (null); null for an id
   * that is not a conversation. The same object while no packet arrived.
   */
  view(conversationId: string | null): PacketsView | null {
    let flow: { slot: number; gen: number } | null = null;
    if (conversationId !== null) {
      flow = parseId(conversationId);
      if (flow === null) return null;
    }
    const stamp = flow === null ? this.frame : (this.lastFrame[flow.slot] ?? 0);
    const c = this.cached;
    if (c !== null && c.id === conversationId && c.stamp === stamp) return c.view;
    const pick = flow === null ? () => true : (m: RingKey) => m.flowSlot === flow.slot && m.flowGen === flow.gen >>> 0;
    const skip = Math.max(0, this.ring.countWhere(pick) - PACKET_LIST_LIMIT);
    const summaries: PacketSummary[] = [];
    let n = 0;
    this.ring.scan((m, data) => {
      if (!pick(m) || n++ < skip) return;
      const p = this.decode(m, data);
      summaries.push(this.summary(m.tag, p));
    });
    const view: PacketsView = { summaries, detailOf: (no) => this.detail(no) };
    this.cached = { id: conversationId, stamp, view };
    return view;
  }

  private decode(m: { tsSec: number; tsNsec: number; capLen: number; origLen: number; linkType: number }, data: Uint8Array): DecodedPacket {
    const r = this.rec;
    r.buf = data;
    r.off = 0;
    r.capLen = m.capLen;
    r.origLen = m.origLen;
    r.linkType = m.linkType;
    r.ifIndex = 0;
    r.tsSec = m.tsSec;
    r.tsNsec = m.tsNsec;
    this.decoder.decode(r, this.pkt);
    return this.pkt;
  }

  private summary(no: number, p: DecodedPacket): PacketSummary {
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
    const proto = (app ? app.proto : path.slice(path.lastIndexOf(':') + 1) || '-').toUpperCase();
    const info = packetInfoLine(p, app) || proto;
    return { no, time: p.tsSec + p.tsNsec / 1e9 - this.firstTime, src, dst, proto, len: p.origLen, info };
  }

  private detail(no: number): PacketDetail | null {
    let out: PacketDetail | null = null;
    this.ring.scan((m, data) => {
      if (m.tag !== no) return;
      const p = this.decode(m, data);
      const tree = packetTree(p);
      // The tree indexes the frame from 0: copy the bytes out of the ring, which moves on.
      out = { no, bytes: new Uint8Array(data), tree };
      return false;
    });
    return out;
  }
}
