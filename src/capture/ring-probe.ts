import { readFileSync } from 'node:fs';

/**
 * How many packets the kernel ring of a live capture holds.
 *
 * cap asks libpcap for snaplen 65535 in immediate mode, so libpcap uses
 * TPACKET_V2, where every packet gets a fixed slot. The slot is the snaplen
 * (about 64 KiB) on loopback (MTU 65536) and on interfaces with GRO/TSO
 * offloads, and the MTU + 18 only on Ethernet without offloads. A 64 KiB slot
 * does not fit a 64 KiB block, so each takes a 128 KiB block: a `bufferMb: 16`
 * ring maps 32 MiB and holds about 255 packets. sysfs does not say whether
 * offloads are on, so this compares the ring's mapping (a `socket:[inode]`
 * line in /proc/self/maps that appears with the handle) to the size asked for.
 */

/** Byte sizes of the socket mappings in a /proc/PID/maps text, by address range. */
export function socketMappings(maps: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of maps.split('\n')) {
    if (!line.includes('socket:[')) continue;
    const range = line.slice(0, line.indexOf(' '));
    const [a, b] = range.split('-').map((x) => parseInt(x, 16));
    if (a !== undefined && b !== undefined && b > a) out.set(range, b - a);
  }
  return out;
}

/** Size of the largest socket mapping in `after` that is not in `before`, or null. */
export function newSocketMapping(before: string, after: string): number | null {
  const old = socketMappings(before);
  let best: number | null = null;
  for (const [range, size] of socketMappings(after)) {
    if (!old.has(range) && (best === null || size > best)) best = size;
  }
  return best;
}

const SNAPLEN_BLOCK = 128 * 1024;

/**
 * Packets the ring holds when its slots are snaplen-sized (the mapping is
 * about twice what was asked), else null: small slots hold plenty.
 */
export function snaplenSlots(mappedBytes: number | null, requestedBytes: number): number | null {
  if (mappedBytes === null || requestedBytes <= 0) return null;
  return mappedBytes >= requestedBytes * 1.5 ? Math.floor(mappedBytes / SNAPLEN_BLOCK) : null;
}

/** Reads /proc/self/maps, or '' where there is none. */
export function readOwnMaps(): string {
  try {
    return readFileSync('/proc/self/maps', 'latin1');
  } catch {
    return '';
  }
}
