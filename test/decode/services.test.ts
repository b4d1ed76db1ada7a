import { describe, expect, it } from 'vitest';
import { Proto } from '../../src/decode/protocols.js';
import { serviceFor, serviceName, servicePortFor } from '../../src/decode/services.js';

describe('serviceName', () => {
  it.each([
    [Proto.Tcp, 80, 'http'], [Proto.Tcp, 8080, 'http'], [Proto.Tcp, 443, 'https'], [Proto.Udp, 443, 'https'],
    [Proto.Udp, 53, 'dns'], [Proto.Tcp, 53, 'dns'], [Proto.Tcp, 22, 'ssh'], [Proto.Udp, 123, 'ntp'],
    [Proto.Udp, 67, 'dhcp'], [Proto.Udp, 68, 'dhcp'], [Proto.Tcp, 25, 'smtp'], [Proto.Tcp, 143, 'imap'],
    [Proto.Tcp, 110, 'pop3'], [Proto.Tcp, 389, 'ldap'], [Proto.Tcp, 445, 'smb'], [Proto.Tcp, 3389, 'rdp'],
    [Proto.Tcp, 3306, 'mysql'], [Proto.Tcp, 5432, 'postgres'], [Proto.Tcp, 6379, 'redis'], [Proto.Udp, 5353, 'mdns'],
    [Proto.Udp, 5355, 'llmnr'], [Proto.Udp, 137, 'netbios-ns'], [Proto.Udp, 138, 'netbios-dgm'],
    [Proto.Tcp, 139, 'netbios-ssn'], [Proto.Udp, 161, 'snmp'], [Proto.Udp, 514, 'syslog'], [Proto.Udp, 5060, 'sip'],
    [Proto.Tcp, 179, 'bgp'], [Proto.Tcp, 20, 'ftp-data'], [Proto.Tcp, 21, 'ftp'], [Proto.Tcp, 23, 'telnet'],
    [Proto.Tcp, 502, 'modbus'], [Proto.Tcp, 2049, 'nfs'], [Proto.Udp, 2049, 'nfs'], [Proto.Tcp, 88, 'kerberos'],
    [Proto.Sctp, 80, 'http'],
  ])('%i/%i is %s', (proto, port, name) => {
    expect(serviceName(proto, port)).toBe(name);
  });

  it('knows nothing for unknown ports, transports without ports, or the wrong transport', () => {
    expect(serviceName(Proto.Tcp, 40000)).toBeUndefined();
    expect(serviceName(Proto.Icmp, 80)).toBeUndefined();
    expect(serviceName(Proto.Udp, 445)).toBeUndefined();
    expect(serviceName(Proto.Tcp, 123)).toBeUndefined();
  });
});

describe('serviceFor picks the well-known or the lower port, like iftop', () => {
  it('prefers the side with a name', () => {
    expect(serviceFor(Proto.Tcp, 51000, 443)).toBe('https');
    expect(serviceFor(Proto.Tcp, 443, 51000)).toBe('https');
    expect(servicePortFor(Proto.Tcp, 3000, 80)).toBe(80);
    expect(servicePortFor(Proto.Tcp, 80, 3000)).toBe(80);
    // 8080 has a name, 1024 does not: the name wins over the lower number
    expect(servicePortFor(Proto.Tcp, 1024, 8080)).toBe(8080);
  });

  it('takes the lower port when both or neither are known', () => {
    expect(serviceFor(Proto.Udp, 53, 5353)).toBe('dns');
    expect(serviceFor(Proto.Tcp, 40001, 40000)).toBe('40000');
    expect(servicePortFor(Proto.Tcp, 40001, 40000)).toBe(40000);
  });

  it('handles missing ports', () => {
    expect(serviceFor(Proto.Icmp, -1, -1)).toBe('');
    expect(servicePortFor(Proto.Tcp, -1, 22)).toBe(22);
    expect(servicePortFor(Proto.Tcp, 22, -1)).toBe(22);
  });
});
