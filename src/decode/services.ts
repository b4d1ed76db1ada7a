import { Proto } from './protocols.js';

/**
 * Well-known port names, as iftop/tshark show them. One table for TCP, UDP
 * and SCTP: where a port means different things per transport the entry
 * lists only the transports it applies to.
 */
type Transports = 'tu' | 't' | 'u';

const TABLE: ReadonlyArray<readonly [number, string, Transports]> = [
  [7, 'echo', 'tu'], [9, 'discard', 'tu'], [13, 'daytime', 'tu'], [19, 'chargen', 'tu'],
  [20, 'ftp-data', 't'], [21, 'ftp', 't'], [22, 'ssh', 'tu'], [23, 'telnet', 't'], [25, 'smtp', 't'],
  [37, 'time', 'tu'], [43, 'whois', 't'], [49, 'tacacs', 'tu'], [53, 'dns', 'tu'], [67, 'dhcp', 'u'], [68, 'dhcp', 'u'],
  [69, 'tftp', 'u'], [70, 'gopher', 't'], [79, 'finger', 't'], [80, 'http', 'tu'], [88, 'kerberos', 'tu'],
  [102, 'iso-tsap', 't'], [110, 'pop3', 't'], [111, 'sunrpc', 'tu'], [113, 'ident', 't'], [119, 'nntp', 't'],
  [123, 'ntp', 'u'], [135, 'msrpc', 'tu'], [137, 'netbios-ns', 'tu'], [138, 'netbios-dgm', 'u'],
  [139, 'netbios-ssn', 't'], [143, 'imap', 't'], [161, 'snmp', 'u'], [162, 'snmptrap', 'u'], [179, 'bgp', 't'],
  [194, 'irc', 't'], [389, 'ldap', 'tu'], [427, 'svrloc', 'tu'], [443, 'https', 'tu'], [445, 'smb', 't'],
  [464, 'kpasswd', 'tu'], [465, 'smtps', 't'], [500, 'isakmp', 'u'], [502, 'modbus', 't'], [512, 'exec', 't'],
  [513, 'login', 't'], [514, 'syslog', 'u'], [515, 'printer', 't'], [520, 'rip', 'u'], [521, 'ripng', 'u'],
  [546, 'dhcpv6-client', 'u'], [547, 'dhcpv6-server', 'u'], [554, 'rtsp', 'tu'], [587, 'submission', 't'],
  [623, 'ipmi', 'u'], [631, 'ipp', 't'], [636, 'ldaps', 't'], [853, 'dns-over-tls', 't'], [873, 'rsync', 't'],
  [989, 'ftps-data', 't'], [990, 'ftps', 't'], [993, 'imaps', 't'], [995, 'pop3s', 't'], [1080, 'socks', 't'],
  [1194, 'openvpn', 'tu'], [1433, 'mssql', 't'], [1434, 'mssql-monitor', 'u'], [1521, 'oracle', 't'],
  [1701, 'l2tp', 'u'], [1723, 'pptp', 't'], [1812, 'radius', 'u'], [1813, 'radius-acct', 'u'], [1883, 'mqtt', 't'],
  [1900, 'ssdp', 'u'], [2049, 'nfs', 'tu'], [2082, 'cpanel', 't'], [2181, 'zookeeper', 't'], [2375, 'docker', 't'],
  [2379, 'etcd', 't'], [3128, 'squid', 't'], [3260, 'iscsi', 't'], [3268, 'ldap-gc', 't'], [3306, 'mysql', 't'],
  [3389, 'rdp', 'tu'], [3478, 'stun', 'tu'], [3702, 'ws-discovery', 'u'], [4500, 'ipsec-nat-t', 'u'],
  [4789, 'vxlan', 'u'], [5060, 'sip', 'tu'], [5061, 'sips', 't'], [5222, 'xmpp', 't'], [5353, 'mdns', 'u'],
  [5355, 'llmnr', 'tu'], [5432, 'postgres', 't'], [5671, 'amqps', 't'], [5672, 'amqp', 't'], [5900, 'vnc', 't'],
  [5985, 'winrm', 't'], [5986, 'winrm-https', 't'], [6379, 'redis', 't'], [6443, 'kube-api', 't'],
  [6514, 'syslog-tls', 't'], [6667, 'irc', 't'], [8080, 'http', 't'], [8443, 'https-alt', 't'],
  [8883, 'mqtts', 't'], [9000, 'cslistener', 't'], [9092, 'kafka', 't'], [9100, 'jetdirect', 't'],
  [9200, 'elasticsearch', 't'], [11211, 'memcached', 'tu'], [27017, 'mongodb', 't'], [47808, 'bacnet', 'u'],
];

const TCP = new Map<number, string>();
const UDP = new Map<number, string>();
for (const [port, name, on] of TABLE) {
  if (on.includes('t')) TCP.set(port, name);
  if (on.includes('u')) UDP.set(port, name);
}

/** Name of a well-known port for a transport (Proto.Tcp / Udp / Sctp), or undefined. SCTP uses the TCP names. */
export function serviceName(proto: number, port: number): string | undefined {
  if (proto === Proto.Udp) return UDP.get(port);
  if (proto === Proto.Tcp || proto === Proto.Sctp) return TCP.get(port);
  return undefined;
}

/**
 * The port that names a conversation, as iftop picks it: the one with a
 * well-known name; if both or neither have one, the lower port; -1 when
 * neither side has a port.
 */
export function servicePortFor(proto: number, portA: number, portB: number): number {
  if (portA < 0) return portB < 0 ? -1 : portB;
  if (portB < 0) return portA;
  const a = serviceName(proto, portA) !== undefined;
  const b = serviceName(proto, portB) !== undefined;
  // Compared before the branch: a comparison first reached mid-capture (the first flow with
  // no well-known port) deoptimised the engine's whole per-packet path, which inlines this.
  const lower = portA <= portB ? portA : portB;
  if (a !== b) return a ? portA : portB;
  return lower;
}

/** Service label of a conversation: the well-known name of servicePortFor(), else its number; '' without ports. */
export function serviceFor(proto: number, portA: number, portB: number): string {
  const port = servicePortFor(proto, portA, portB);
  if (port < 0) return '';
  return serviceName(proto, port) ?? String(port);
}
