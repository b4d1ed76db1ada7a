import type { PacketRing } from './packet-ring.js';
import type { RingSelector } from './ring-key.js';

/** Selectors for the usual exports. Addresses as in RingKey (IPv4: one number). */
export const ringSelect = {
  all: (): RingSelector => () => true,
  /** Packets to or from an IPv4 address. */
  host4: (addr: number): RingSelector => {
    const a = addr >>> 0;
    return (m) => m.ipVersion === 4 && (m.src[0] === a || m.dst[0] === a);
  },
  /** Packets to or from an IPv6 address (four big-endian words). */
  host6: (words: ArrayLike<number>): RingSelector => {
    const w = Uint32Array.from(words);
    return (m) => m.ipVersion === 6 && (eq6(m.src, w) || eq6(m.dst, w));
  },
  /** Packets between two IPv4 addresses, either direction. */
  pair4: (a: number, b: number): RingSelector => {
    const x = a >>> 0;
    const y = b >>> 0;
    return (m) => m.ipVersion === 4 && ((m.src[0] === x && m.dst[0] === y) || (m.src[0] === y && m.dst[0] === x));
  },
  /** One engine flow (conversation or TCP stream): slot and generation must both match. */
  flow: (slot: number, gen: number): RingSelector => (m) => m.flowSlot === slot && m.flowGen === gen >>> 0,
  /** Packets whose timestamp is in [from, to) (float seconds). */
  between: (from: number, to: number): RingSelector => (m) => {
    const t = m.tsSec + m.tsNsec / 1e9;
    return t >= from && t < to;
  },
};

function eq6(a: Uint32Array, b: Uint32Array): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** "the last 3m12s, 48,211 packets" for the export prompt. */
export function describeRing(ring: PacketRing): string {
  const n = ring.packets();
  if (n === 0) return 'ring is empty';
  const span = Math.max(0, (ring.newestTime() ?? 0) - (ring.oldestTime() ?? 0));
  const s = Math.round(span);
  const dur = s >= 3600 ? `${Math.floor(s / 3600)}h${pad2(Math.floor((s % 3600) / 60))}m` : s >= 60 ? `${Math.floor(s / 60)}m${pad2(s % 60)}s` : `${s}s`;
  return `ring holds the last ${dur}, ${n.toLocaleString('en-US')} packet${n === 1 ? '' : 's'}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
