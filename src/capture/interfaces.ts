import { networkInterfaces } from 'node:os';
import { loadCap, type CapDevice, type CapModule } from './cap-module.js';

export interface InterfaceAddress {
  addr: string;
  netmask: string;
}

export interface InterfaceInfo {
  name: string;
  description: string;
  addresses: InterfaceAddress[];
  /** 'up' (has an address and is running, per the OS) and 'loopback'. */
  flags: string[];
}

type OsInterfaces = ReturnType<typeof networkInterfaces>;

/**
 * Capture interfaces as libpcap lists them, with up/loopback flags from the
 * OS. When `cap` is not available (or `cap` is null) this falls back to the
 * OS list, so the command still shows something useful.
 */
export function listInterfaces(cap?: CapModule | null, os: OsInterfaces = networkInterfaces()): InterfaceInfo[] {
  let devices: CapDevice[];
  try {
    if (cap === null) throw new Error('no cap');
    devices = (cap ?? loadCap()).Cap.deviceList();
  } catch {
    devices = Object.entries(os).map(([name, addrs]) => ({
      name,
      addresses: (addrs ?? []).map((a) => ({ addr: a.address, netmask: a.netmask })),
      flags: addrs?.some((a) => a.internal) ? 'PCAP_IF_LOOPBACK' : undefined,
    }));
  }
  return devices.map((d) => {
    const flags: string[] = [];
    if ((os[d.name] ?? []).length > 0) flags.push('up');
    if (d.flags === 'PCAP_IF_LOOPBACK' || (os[d.name] ?? []).some((a) => a.internal)) flags.push('loopback');
    return {
      name: d.name,
      description: d.description ?? '',
      addresses: d.addresses.map((a) => ({ addr: a.addr, netmask: a.netmask ?? '' })),
      flags,
    };
  });
}

/**
 * The interface tcpdump would pick: the first one in libpcap's order that is
 * up, not loopback and has an address. Falls back to the first up interface
 * (usually loopback), or null when there is none.
 */
export function defaultInterface(list: InterfaceInfo[] = listInterfaces()): string | null {
  const up = list.filter((i) => i.flags.includes('up') && i.addresses.length > 0);
  return (up.find((i) => !i.flags.includes('loopback')) ?? up[0])?.name ?? null;
}
