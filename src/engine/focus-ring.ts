import type { DecodedPacket } from '../decode/packet.js';
import { shownWindow, type TcpNumbers } from '../flows/tcp-numbers.js';

const FIELDS = 13;
const F_TIME = 0, F_DIR = 1, F_LEN = 2, F_FLAGS = 3, F_SEQ = 4, F_ACK = 5, F_PAYLOAD = 6,
  F_ICMPT = 7, F_ICMPC = 8, F_SPORT = 9, F_DPORT = 10, F_MAL = 11, F_WIN = 12;

export interface FocusEntry {
  time: number;
  dir: number;
  len: number;
  tcpFlags: number;
  /** As tshark shows them (relative, calculated window) when the engine follows TCP numbers, else raw. */
  tcpSeq: number;
  tcpAck: number;
  tcpWin: number;
  payloadLen: number;
  icmpType: number;
  icmpCode: number;
  srcPort: number;
  dstPort: number;
  malformed: number;
}

/** Store one packet's summary numbers at `b` (a record of FIELDS doubles); `t`: the engine's TCP numbers for it. */
function writeEntry(d: Float64Array, b: number, p: DecodedPacket, dir: number, t: TcpNumbers | null): void {
  d[b + F_TIME] = p.tsSec + p.tsNsec / 1e9;
  d[b + F_DIR] = dir;
  d[b + F_LEN] = p.origLen;
  d[b + F_FLAGS] = p.tcpFlags;
  const rel = t !== null && t.tcpSeq >= 0;
  d[b + F_SEQ] = rel ? t.tcpSeq : p.tcpSeq;
  d[b + F_ACK] = rel ? t.tcpAck : p.tcpAck;
  d[b + F_WIN] = rel ? shownWindow(p, t.tcpScale) : p.tcpWin;
  d[b + F_PAYLOAD] = p.payloadWireLen;
  d[b + F_ICMPT] = p.icmpType;
  d[b + F_ICMPC] = p.icmpCode;
  d[b + F_SPORT] = p.srcPort;
  d[b + F_DPORT] = p.dstPort;
  d[b + F_MAL] = p.malformed;
}

/**
 * The summary numbers of the last `capacity` packets of all flows, tagged with
 * flow slot and generation, so a conversation focused after it finished (a
 * short TLS fetch) still shows its last packets. Typed arrays only: recording
 * is a few stores and allocates nothing. 4096 packets take 448 KiB.
 */
export class RecentPackets {
  readonly capacity: number;
  private readonly data: Float64Array;
  private readonly slots: Int32Array;
  private readonly gens: Uint32Array;
  private n = 0;
  private next = 0;

  constructor(capacity = 4096) {
    this.capacity = Math.max(1, capacity);
    this.data = new Float64Array(this.capacity * FIELDS);
    this.slots = new Int32Array(this.capacity);
    this.gens = new Uint32Array(this.capacity);
  }

  /** Packets held now. */
  get size(): number {
    return this.n;
  }

  /** `gens` is the flow table's generation array (passed whole so no number is boxed). */
  record(p: DecodedPacket, dir: number, slot: number, gens: Uint32Array, t: TcpNumbers | null = null): void {
    const i = this.next;
    writeEntry(this.data, i * FIELDS, p, dir, t);
    this.slots[i] = slot;
    this.gens[i] = gens[slot]!;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.n < this.capacity) this.n++;
  }

  clear(): void {
    this.n = this.next = 0;
  }

  /** Copy the held packets of flow (slot, gen) into `ring`, oldest first; returns how many matched. */
  copyFlowInto(ring: FocusRing, slot: number, gen: number): number {
    let found = 0;
    const cap = this.capacity;
    for (let k = 0; k < this.n; k++) {
      const i = (this.next - this.n + k + cap) % cap;
      if (this.slots[i] !== slot || this.gens[i] !== gen) continue;
      ring.copyFrom(this.data, i * FIELDS);
      found++;
    }
    return found;
  }
}

/**
 * The last few packets of the focused conversation, as numbers only: the
 * summary lines are built at snapshot time, so recording costs a few stores.
 * setFocus fills it from RecentPackets, then the engine records as they come.
 */
export class FocusRing {
  slot = -1;
  gen = 0;
  private readonly cap: number;
  private readonly data: Float64Array;
  private n = 0;
  private next = 0;

  constructor(capacity = 32) {
    this.cap = capacity;
    this.data = new Float64Array(capacity * FIELDS);
  }

  get capacity(): number {
    return this.cap;
  }

  set(slot: number, gen: number): void {
    this.slot = slot;
    this.gen = gen;
    this.n = this.next = 0;
  }

  clear(): void {
    this.slot = -1;
    this.n = this.next = 0;
  }

  record(p: DecodedPacket, dir: number, t: TcpNumbers | null = null): void {
    writeEntry(this.data, this.next * FIELDS, p, dir, t);
    this.advance();
  }

  /** Append one record copied from another store of the same layout. */
  copyFrom(src: Float64Array, off: number): void {
    const b = this.next * FIELDS;
    for (let j = 0; j < FIELDS; j++) this.data[b + j] = src[off + j]!;
    this.advance();
  }

  private advance(): void {
    this.next = (this.next + 1) % this.cap;
    if (this.n < this.cap) this.n++;
  }

  /** Recorded packets, oldest first. */
  entries(): FocusEntry[] {
    const out: FocusEntry[] = [];
    const d = this.data;
    for (let i = 0; i < this.n; i++) {
      const b = ((this.next - this.n + i + this.cap) % this.cap) * FIELDS;
      out.push({
        time: d[b + F_TIME]!, dir: d[b + F_DIR]!, len: d[b + F_LEN]!, tcpFlags: d[b + F_FLAGS]!,
        tcpSeq: d[b + F_SEQ]!, tcpAck: d[b + F_ACK]!, tcpWin: d[b + F_WIN]!, payloadLen: d[b + F_PAYLOAD]!,
        icmpType: d[b + F_ICMPT]!, icmpCode: d[b + F_ICMPC]!, srcPort: d[b + F_SPORT]!,
        dstPort: d[b + F_DPORT]!, malformed: d[b + F_MAL]!,
      });
    }
    return out;
  }
}

const FLAG_NAMES: [number, string][] = [
  [2, 'SYN'], [1, 'FIN'], [4, 'RST'], [8, 'PSH'], [16, 'ACK'], [32, 'URG'], [64, 'ECE'], [128, 'CWR'],
];

const ICMP_NAMES: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 5: 'Redirect', 8: 'Echo (ping) request',
  11: 'Time-to-live exceeded',
};
const ICMP6_NAMES: Record<number, string> = {
  1: 'Destination unreachable', 2: 'Packet too big', 3: 'Time exceeded', 128: 'Echo (ping) request',
  129: 'Echo (ping) reply', 133: 'Router solicitation', 134: 'Router advertisement',
  135: 'Neighbor solicitation', 136: 'Neighbor advertisement', 143: 'Multicast listener report v2',
};

/** A one-line summary in the spirit of tshark's Info column (only numbers go in, so it is terminal-safe). */
export function focusInfo(e: FocusEntry, ipProto: number, protoName: string): string {
  let s: string;
  if (ipProto === 6) {
    const flags = FLAG_NAMES.filter(([bit]) => e.tcpFlags & bit).map(([, n]) => n).join(', ');
    s = `${e.srcPort} → ${e.dstPort} [${flags}]`;
    if (e.tcpSeq >= 0) s += ` Seq=${e.tcpSeq}`;
    if (e.tcpFlags & 16 && e.tcpAck >= 0) s += ` Ack=${e.tcpAck}`;
    if (e.tcpWin >= 0) s += ` Win=${e.tcpWin}`;
    s += ` Len=${e.payloadLen}`;
  } else if (ipProto === 17 || ipProto === 132) {
    s = `${e.srcPort} → ${e.dstPort} Len=${e.payloadLen}`;
  } else if (ipProto === 1 || ipProto === 58) {
    const name = (ipProto === 1 ? ICMP_NAMES : ICMP6_NAMES)[e.icmpType] ?? `type ${e.icmpType}`;
    s = `${name} code=${e.icmpCode}`;
  } else {
    s = protoName;
  }
  if (e.malformed !== 0) s += ' [malformed]';
  return s;
}
