/**
 * Numeric protocol codes used in the hot path. The protocol hierarchy is a
 * chain of these codes (eth -> ipv4 -> tcp); names are only looked up when a
 * snapshot or report is built.
 */
export const enum Proto {
  None = 0,
  Eth = 1,
  Vlan = 2,
  Sll = 3,
  Sll2 = 4,
  Null = 5,
  Raw = 6,
  IPv4 = 7,
  IPv6 = 8,
  Arp = 9,
  Tcp = 10,
  Udp = 11,
  Icmp = 12,
  Icmpv6 = 13,
  Gre = 14,
  Sctp = 15,
  Esp = 16,
  Ah = 17,
  Igmp = 18,
  Ospf = 19,
  Pim = 20,
  Llc = 21,
  Rarp = 22,
  Pppoe = 23,
  Mpls = 24,
  Lldp = 25,
  Data = 26,
  /** Another IP protocol, identified by number in DecodedPacket.ipProto. */
  OtherIp = 27,
  /** Another ethertype, identified by number in DecodedPacket.etherType. */
  OtherEther = 28,
  // Application protocols (filled by the dissection layer).
  Dns = 40,
  Http = 41,
  Tls = 42,
  Ssh = 43,
  Dhcp = 44,
  Ntp = 45,
  Quic = 46,
  /** DNS messages on UDP 5353 / 5355: tshark names them mdns and llmnr, not dns. */
  Mdns = 47,
  Llmnr = 48,
  Count = 64,
}

export const PROTO_NAMES: readonly string[] = (() => {
  const n: string[] = new Array(64).fill('');
  n[Proto.Eth] = 'eth';
  n[Proto.Vlan] = 'vlan';
  n[Proto.Sll] = 'sll';
  n[Proto.Sll2] = 'sll2';
  n[Proto.Null] = 'null';
  n[Proto.Raw] = 'raw';
  n[Proto.IPv4] = 'ipv4';
  n[Proto.IPv6] = 'ipv6';
  n[Proto.Arp] = 'arp';
  n[Proto.Tcp] = 'tcp';
  n[Proto.Udp] = 'udp';
  n[Proto.Icmp] = 'icmp';
  n[Proto.Icmpv6] = 'icmpv6';
  n[Proto.Gre] = 'gre';
  n[Proto.Sctp] = 'sctp';
  n[Proto.Esp] = 'esp';
  n[Proto.Ah] = 'ah';
  n[Proto.Igmp] = 'igmp';
  n[Proto.Ospf] = 'ospf';
  n[Proto.Pim] = 'pim';
  n[Proto.Llc] = 'llc';
  n[Proto.Rarp] = 'rarp';
  n[Proto.Pppoe] = 'pppoe';
  n[Proto.Mpls] = 'mpls';
  n[Proto.Lldp] = 'lldp';
  n[Proto.Data] = 'data';
  n[Proto.OtherIp] = 'ip-other';
  n[Proto.OtherEther] = 'ether-other';
  n[Proto.Dns] = 'dns';
  n[Proto.Http] = 'http';
  n[Proto.Tls] = 'tls';
  n[Proto.Ssh] = 'ssh';
  n[Proto.Dhcp] = 'dhcp';
  n[Proto.Ntp] = 'ntp';
  n[Proto.Mdns] = 'mdns';
  n[Proto.Llmnr] = 'llmnr';
  n[Proto.Quic] = 'quic';
  return n;
})();

/** IANA protocol numbers to names, for IP protocols counted "by number and name". */
export const IP_PROTO_NAMES: Record<number, string> = {
  0: 'hopopt', 1: 'icmp', 2: 'igmp', 4: 'ipip', 6: 'tcp', 8: 'egp', 9: 'igp', 17: 'udp',
  27: 'rdp', 33: 'dccp', 41: 'ipv6', 43: 'ipv6-route', 44: 'ipv6-frag', 46: 'rsvp',
  47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 59: 'ipv6-nonxt', 60: 'ipv6-opts',
  88: 'eigrp', 89: 'ospf', 97: 'etherip', 103: 'pim', 112: 'vrrp', 115: 'l2tp',
  132: 'sctp', 136: 'udplite', 137: 'mpls-in-ip', 143: 'ethernet',
};

export function ipProtoName(n: number): string {
  return IP_PROTO_NAMES[n] ?? `ipproto-${n}`;
}
