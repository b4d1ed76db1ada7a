import type { IcmpInfo } from './types.js';

const ICMP4: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench', 5: 'Redirect', 8: 'Echo (ping) request',
  9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem',
  13: 'Timestamp request', 14: 'Timestamp reply', 15: 'Information request', 16: 'Information reply',
  17: 'Address mask request', 18: 'Address mask reply', 30: 'Traceroute', 42: 'Extended Echo request', 43: 'Extended Echo reply',
};
const UNREACH4: readonly string[] = [
  'Network unreachable', 'Host unreachable', 'Protocol unreachable', 'Port unreachable', 'Fragmentation needed',
  'Source route failed', 'Destination network unknown', 'Destination host unknown', 'Source host isolated',
  'Network administratively prohibited', 'Host administratively prohibited', 'Network unreachable for TOS',
  'Host unreachable for TOS', 'Communication administratively filtered', 'Host precedence violation', 'Precedence cutoff in effect',
];
const ICMP6: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 139: 'ICMP Node Information Query',
  140: 'ICMP Node Information Response', 141: 'Inverse Neighbor Discovery Solicitation', 142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2', 144: 'Home Agent Address Discovery Request', 151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination', 155: 'RPL Control',
};
const UNREACH6: readonly string[] = [
  'no route to destination', 'Administratively prohibited', 'beyond scope of source address', 'Address unreachable',
  'Port unreachable', 'Source address failed ingress/egress policy', 'Reject route to destination',
];

/** Name of an ICMP (v6 = false) or ICMPv6 type, with the code's name for unreachables. */
export function icmpTypeName(type: number, code: number, v6: boolean): string {
  const base = (v6 ? ICMP6[type] : ICMP4[type]) ?? `Unknown type (${type})`;
  if (!v6 && type === 3) return `${base} (${UNREACH4[code] ?? `code ${code}`})`;
  if (v6 && type === 1) return `${base} (${UNREACH6[code] ?? `code ${code}`})`;
  return base;
}

export function dissectIcmp(type: number, code: number, v6: boolean): IcmpInfo | null {
  if (type < 0) return null;
  return { proto: v6 ? 'icmpv6' : 'icmp', type, code, name: icmpTypeName(type, code, v6) };
}
