import { Proto } from '../decode/protocols.js';
import type { ProtoPaths } from '../decode/proto-paths.js';
import { growF64, growI32 } from '../flows/grow.js';
import { SecondRings } from '../flows/second-rings.js';

/** Seconds of per-second history kept for the charts. */
export const HISTORY_SECONDS = 300;
/** Categories charted apart; later ones count as `other`. */
const MAX_CATEGORIES = 24;

/**
 * Packets and bytes per protocol hierarchy path (counted at the packet's own
 * path; snapshot/report add them up the hierarchy), and per path per second
 * for the last HISTORY_SECONDS: the 2 s rates and every chart series (a path
 * with its children, a category, the total) are sums of those at snapshot
 * time, so a packet updates one ring. A category is the protocol above the
 * network layer (tcp, udp, icmp, ...) or the network protocol itself when
 * there is nothing above it (arp, ...).
 */
export class ProtoCounters {
  packets: Float64Array = new Float64Array(64);
  bytes: Float64Array = new Float64Array(64);
  /** Category of each path, -1 until a snapshot first needs it. */
  private category: Int32Array = new Int32Array(64).fill(-1);
  /** Packets (series 0) and bytes (1) per path per second. */
  private readonly perSec = new SecondRings(2, HISTORY_SECONDS, 64);
  readonly categoryNames: string[] = [''];
  private readonly categoryIndex = new Map<string, number>([['', 0]]);

  /** `rates` false: count packets and bytes only (no rates, no history), for `report`. */
  constructor(
    private readonly paths: ProtoPaths,
    private readonly withRates = true,
  ) {}

  /** Count a packet of `len` bytes at whole second `sec`. */
  add(pathId: number, len: number, sec: number): void {
    if (pathId >= this.packets.length) this.grow(pathId + 1);
    this.packets[pathId]! += 1;
    this.bytes[pathId]! += len;
    if (this.withRates) this.perSec.add2(pathId, sec, 1, len);
  }

  /** Packets and bytes per path over the last `w` whole seconds before nowSec. */
  rate(pathId: number, series: 0 | 1, nowSec: number, w: number): number {
    return this.perSec.sum(pathId, series, nowSec, w);
  }

  /**
   * Bits/s per second for seconds nowSec-n .. nowSec-1, oldest first: the total (key ''), one
   * series per category seen, and one per hierarchy path seen (keyed by its name, e.g.
   * `eth:ipv4:tcp`, as the protocol rows the chart is chosen from), added up the hierarchy as the
   * rows are.
   */
  historyMap(nowSec: number, n = HISTORY_SECONDS): Map<string, number[]> {
    const zeros = (): number[] => new Array<number>(n).fill(0);
    const byCategory: (number[] | undefined)[] = [];
    const byPath = new Map<number, number[]>();
    for (let id = 0; id < this.size; id++) {
      if (this.packets[id] === 0) continue;
      let c = this.category[id]!;
      if (c < 0) c = this.category[id] = this.categoryOf(id);
      for (let i = 0; i < n; i++) {
        const v = this.perSec.sum(id, 1, nowSec - n + i + 1, 1) * 8;
        if (v === 0) continue;
        (byCategory[0] ??= zeros())[i]! += v;
        if (c > 0) (byCategory[c] ??= zeros())[i]! += v;
        for (let a = id; a !== 0; a = this.paths.parent(a)) {
          let series = byPath.get(a);
          if (!series) byPath.set(a, (series = zeros()));
          series[i]! += v;
        }
      }
    }
    const out = new Map<string, number[]>();
    for (let c = 0; c < this.categoryNames.length; c++) out.set(this.categoryNames[c]!, byCategory[c] ?? zeros());
    for (const [id, series] of byPath) out.set(this.paths.name(id), series);
    return out;
  }

  get size(): number {
    return Math.min(this.packets.length, this.paths.size);
  }

  clear(): void {
    this.packets.fill(0);
    this.bytes.fill(0);
    this.perSec.clear();
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

