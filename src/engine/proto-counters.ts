import { Proto } from '../decode/protocols.js';
import type { ProtoPaths } from '../decode/proto-paths.js';
import { growF64, growI32 } from '../flows/grow.js';
import { SecondRings } from '../flows/second-rings.js';

/** Seconds of per-second history kept for the charts. */
export const HISTORY_SECONDS = 300;
const MAX_CATEGORIES = 24;

/**
 * Packets and bytes per protocol hierarchy path (counted at the packet's own
 * path; snapshot/report add them up the hierarchy), 2 s rates per path, and
 * per-second byte history for the total and per chart category. A category
 * is the protocol above the network layer (tcp, udp, icmp, ...) or the
 * network protocol itself when there is nothing above it (arp, ...).
 */
export class ProtoCounters {
  packets: Float64Array = new Float64Array(64);
  bytes: Float64Array = new Float64Array(64);
  private category: Int32Array = new Int32Array(64).fill(-1);
  /** Packets (series 0) and bytes (1) per path per second, for the 2 s rates. */
  private readonly rates = new SecondRings(2, 4, 64);
  readonly categoryNames: string[] = [''];
  private readonly categoryIndex = new Map<string, number>([['', 0]]);
  /** history[(sec % HISTORY_SECONDS) * MAX_CATEGORIES + category] bytes; category 0 is the total. */
  private readonly history = new Float64Array(HISTORY_SECONDS * MAX_CATEGORIES);
  private historySec = -1;
  /** Bytes per path per second (own counts), for charting one protocol of the hierarchy. */
  private readonly pathHistory = new SecondRings(1, HISTORY_SECONDS, 64);

  /** `rates` false: count packets and bytes only (no 2 s rates, no history), for `report`. */
  constructor(
    private readonly paths: ProtoPaths,
    private readonly withRates = true,
  ) {}

  /** Count a packet of `len` bytes at whole second `sec`. */
  add(pathId: number, len: number, sec: number): void {
    if (pathId >= this.packets.length) this.grow(pathId + 1);
    this.packets[pathId]! += 1;
    this.bytes[pathId]! += len;
    if (!this.withRates) return;
    this.rates.add2(pathId, sec, 1, len);
    let c = this.category[pathId]!;
    if (c < 0) c = this.category[pathId] = this.categoryOf(pathId);
    if (sec > this.historySec) this.advance(sec);
    else if (this.historySec - sec >= HISTORY_SECONDS) return;
    const base = (sec % HISTORY_SECONDS) * MAX_CATEGORIES;
    this.history[base]! += len;
    if (c > 0) this.history[base + c]! += len;
    this.pathHistory.add(pathId, 0, sec, len);
  }

  /** Packets and bytes per path over the last `w` whole seconds before nowSec. */
  rate(pathId: number, series: 0 | 1, nowSec: number, w: number): number {
    return this.rates.sum(pathId, series, nowSec, Math.min(w, 3));
  }

  /**
   * Bits/s per second for seconds nowSec-n .. nowSec-1, oldest first: one series per category seen,
   * and one per hierarchy path seen (keyed by its name, e.g. `eth:ipv4:tcp`, as the protocol rows
   * the chart is chosen from), added up the hierarchy as the rows are.
   */
  historyMap(nowSec: number, n = HISTORY_SECONDS): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (let c = 0; c < this.categoryNames.length; c++) {
      const series: number[] = new Array(n).fill(0);
      for (let i = 0; i < n; i++) {
        const sec = nowSec - n + i;
        if (sec < 0 || sec > this.historySec || this.historySec - sec >= HISTORY_SECONDS) continue;
        series[i] = this.history[(sec % HISTORY_SECONDS) * MAX_CATEGORIES + c]! * 8;
      }
      out.set(this.categoryNames[c]!, series);
    }
    this.addPathSeries(out, nowSec, n);
    return out;
  }

  private addPathSeries(out: Map<string, number[]>, nowSec: number, n: number): void {
    const byId = new Map<number, number[]>();
    for (let id = 1; id < this.size; id++) {
      if (this.packets[id] === 0) continue;
      for (let i = 0; i < n; i++) {
        const v = this.pathHistory.sum(id, 0, nowSec - n + i + 1, 1) * 8;
        if (v === 0) continue;
        for (let a = id; a !== 0; a = this.paths.parent(a)) {
          let series = byId.get(a);
          if (!series) byId.set(a, (series = new Array<number>(n).fill(0)));
          series[i]! += v;
        }
      }
    }
    for (const [id, series] of byId) out.set(this.paths.name(id), series);
  }

  get size(): number {
    return Math.min(this.packets.length, this.paths.size);
  }

  clear(): void {
    this.packets.fill(0);
    this.bytes.fill(0);
    this.rates.clear();
    this.history.fill(0);
    this.historySec = -1;
    this.pathHistory.clear();
  }

  private advance(sec: number): void {
    const from = this.historySec < 0 || sec - this.historySec > HISTORY_SECONDS ? sec - HISTORY_SECONDS + 1 : this.historySec + 1;
    for (let s = from; s <= sec; s++) {
      const base = (((s % HISTORY_SECONDS) + HISTORY_SECONDS) % HISTORY_SECONDS) * MAX_CATEGORIES;
      this.history.fill(0, base, base + MAX_CATEGORIES);
    }
    this.historySec = sec;
  }

  private categoryOf(pathId: number): number {
    const chain: number[] = [];
    for (let p = pathId; p !== 0; p = this.paths.parent(p)) chain.unshift(p);
    let name = '';
    for (let i = 0; i < chain.length; i++) {
      const proto = this.paths.proto(chain[i]!);
      if (proto === Proto.IPv4 || proto === Proto.IPv6) {
        const next = chain[i + 1];
        name = next !== undefined ? leafName(this.paths, next) : leafName(this.paths, chain[i]!);
        break;
      }
      if (proto === Proto.Arp || proto === Proto.Rarp || proto === Proto.Lldp || proto === Proto.OtherEther || proto === Proto.Llc) {
        name = leafName(this.paths, chain[i]!);
        break;
      }
    }
    if (name === '') name = chain.length > 0 ? leafName(this.paths, chain[chain.length - 1]!) : 'other';
    let c = this.categoryIndex.get(name);
    if (c === undefined) {
      if (this.categoryNames.length >= MAX_CATEGORIES) {
        c = this.categoryIndex.get('other');
        if (c === undefined) return 0;
      } else {
        c = this.categoryNames.length;
        this.categoryNames.push(name);
        this.categoryIndex.set(name, c);
      }
    }
    return c;
  }

  private grow(n: number): void {
    let c = this.packets.length;
    while (c < n) c *= 2;
    this.packets = growF64(this.packets, c);
    this.bytes = growF64(this.bytes, c);
    this.category = growI32(this.category, c, -1);
  }
}

function leafName(paths: ProtoPaths, id: number): string {
  const full = paths.name(id);
  const i = full.lastIndexOf(':');
  return i < 0 ? full : full.slice(i + 1);
}

