/** Numeric constants shared by the packet builders. */
export const ETH = { IPv4: 0x0800, ARP: 0x0806, IPv6: 0x86dd, VLAN: 0x8100, QinQ: 0x88a8 } as const;
export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPv6: 58, HOPOPT: 0, ROUTING: 43, FRAGMENT: 44, DSTOPTS: 60, NONE: 59 } as const;
export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 } as const;
/** IPv4 flags field values (the 3 high bits of the fragment word, shifted down). */
export const IPF = { DF: 2, MF: 1 } as const;
