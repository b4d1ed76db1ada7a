import { readFileSync } from 'node:fs';

/** Packets a capture on the interface should have seen so far (a running total), or null when unknown. */
export type IfaceCounter = () => number | null;

const ARPHRD_LOOPBACK = 772;

function readNumber(path: string, read: (p: string) => string): number | null {
  try {
    const n = Number(read(path).trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/**
 * The Linux interface counters in /sys/class/net/IF/statistics, as "packets a
 * capture should see": rx + tx, except on loopback, where every packet is
 * counted once in rx and once in tx but a capture sees it once. Returns null
 * where there is no such directory (not Linux, `any`, a pseudo-device).
 */
export function sysfsCounter(iface: string, read: (p: string) => string = (p) => readFileSync(p, 'latin1')): IfaceCounter | null {
  if (iface === '' || iface.includes('/') || iface === '.' || iface === '..') return null;
  const dir = `/sys/class/net/${iface}`;
  const type = readNumber(`${dir}/type`, read);
  if (type === null || readNumber(`${dir}/statistics/rx_packets`, read) === null) return null;
  const loopback = type === ARPHRD_LOOPBACK;
  return () => {
    const rx = readNumber(`${dir}/statistics/rx_packets`, read);
    if (rx === null) return null;
    if (loopback) return rx;
    const tx = readNumber(`${dir}/statistics/tx_packets`, read);
    return tx === null ? null : rx + tx;
  };
}
