import { RatePool } from './rate-pool.js';

/**
 * Traffic per service port: tcp/N, udp/N, sctp/N, and one row per other IP
 * protocol (icmp, gre, ...). The key space is fixed (3 * 65536 + 256), so the
 * table is indexed directly and never evicts (the "evicted" counter stays 0;
 * it exists so every table reports the same counters).
 */
export const PORT_TCP = 0;
export const PORT_UDP = 65_536;
export const PORT_SCTP = 131_072;
export const PORT_OTHER = 196_608;
export const PORT_KEYS = PORT_OTHER + 256;

/** The row key of a flow: its IP protocol plus the port chosen as the service port. */
export function portKeyOf(ipProto: number, port: number): number {
  if (port >= 0) {
    if (ipProto === 6) return PORT_TCP + port;
    if (ipProto === 17) return PORT_UDP + port;
    if (ipProto === 132) return PORT_SCTP + port;
  }
  return PORT_OTHER + (ipProto & 0xff);
}

export function portKeyProto(key: number): number {
  if (key < PORT_UDP) return 6;
  if (key < PORT_SCTP) return 17;
  if (key < PORT_OTHER) return 132;
  return key - PORT_OTHER;
}

/** The port of a key, or -1 for the per-protocol rows. */
export function portKeyPort(key: number): number {
  return key < PORT_OTHER ? key & 0xffff : -1;
}

export class PortTable {
  readonly packets = new Float64Array(PORT_KEYS);
  readonly bytes = new Float64Array(PORT_KEYS);
  readonly flows = new Float64Array(PORT_KEYS);
  readonly ring = new Int32Array(PORT_KEYS).fill(-1);
  readonly rates: RatePool | null;
  readonly evicted = 0;
  /** Keys with packets, in the order first counted: snapshots rank these instead of scanning every key. */
  readonly usedKeys = new Int32Array(PORT_KEYS);
  usedCount = 0;

  constructor(rates = true) {
    this.rates = rates
      ? new RatePool(1, 16_384, (k) => {
          this.ring[k] = -1;
        }, 256)
      : null;
  }

  /** Count a flow's gain (FlowTable.takeDelta: packets and bytes both ways) at whole second `sec`. */
  addDelta(key: number, d: Float64Array, sec: number): void {
    if (this.packets[key] === 0) this.usedKeys[this.usedCount++] = key;
    this.packets[key]! += d[0]! + d[1]!;
    this.bytes[key]! += d[2]! + d[3]!;
    const rates = this.rates;
    if (rates !== null) {
      let r = this.ring[key]!;
      if (r < 0) r = this.ring[key] = rates.alloc(key, sec);
      rates.addFrom(r, sec, d, 2, 3);
    }
  }

  clear(): void {
    this.usedCount = 0;
    this.packets.fill(0);
    this.bytes.fill(0);
    this.flows.fill(0);
    this.ring.fill(-1);
    this.rates?.clear();
  }
}
