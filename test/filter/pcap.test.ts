import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/filter/index.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import { arpPacket, ipPacket, MAC_A, MAC_B } from './packets.js';

const m = (f: string, p: DecodedPacket): boolean => compileFilter(f).match(p);

describe('pcap-filter primitives', () => {
  const tcp = ipPacket({ src: '10.0.0.5', dst: '192.168.1.1', sport: 40000, dport: 80, len: 120 });
  const dns = ipPacket({ proto: 'udp', src: '192.168.1.1', dst: '8.8.8.8', sport: 5353, dport: 53 });
  const v6 = ipPacket({ src: 'fe80::1', dst: '2001:db8::1', proto: 'udp', sport: 546, dport: 547 });
  const arp = arpPacket(1, '10.0.0.5', '10.0.0.1');

  it('host, with src/dst qualifiers', () => {
    expect(m('host 10.0.0.5', tcp)).toBe(true);
    expect(m('src host 10.0.0.5', tcp)).toBe(true);
    expect(m('dst host 10.0.0.5', tcp)).toBe(false);
    expect(m('src or dst host 192.168.1.1', tcp)).toBe(true);
    expect(m('src and dst host 192.168.1.1', tcp)).toBe(false);
    expect(m('src 10.0.0.5', tcp)).toBe(true);
    expect(m('ip host 10.0.0.5', tcp)).toBe(true);
    expect(m('host fe80::1', v6)).toBe(true);
    expect(m('ip6 host fe80::1', v6)).toBe(true);
  });
  it('host and net also match ARP addresses, as libpcap does', () => {
    expect(m('host 10.0.0.5', arp)).toBe(true);
    expect(m('ip host 10.0.0.5', arp)).toBe(false);
    expect(m('arp host 10.0.0.5', arp)).toBe(true);
    expect(m('net 10.0.0.0/24', arp)).toBe(true);
    expect(m('arp host 10.0.0.5', arpPacket(3, '10.0.0.5', '10.0.0.1', { rarp: true }))).toBe(false);
  });
  it('net in all its spellings', () => {
    expect(m('net 10.0.0.0/8', tcp)).toBe(true);
    expect(m('net 10.0.0.0 mask 255.0.0.0', tcp)).toBe(true);
    expect(m('net 10', tcp)).toBe(true);
    expect(m('net 10.0', tcp)).toBe(true);
    expect(m('net 10.1', tcp)).toBe(false);
    expect(m('dst net 192.168.0.0/16', tcp)).toBe(true);
    expect(m('src net 192.168.0.0/16', tcp)).toBe(false);
    expect(m('net fe80::/10', v6)).toBe(true);
    expect(m('src net 2001:db8::/32', v6)).toBe(false);
  });
  it('port and portrange match TCP, UDP and SCTP', () => {
    expect(m('port 80', tcp)).toBe(true);
    expect(m('port 53', dns)).toBe(true);
    expect(m('tcp port 53', dns)).toBe(false);
    expect(m('udp port 53', dns)).toBe(true);
    expect(m('port 2905', ipPacket({ proto: 'sctp', sport: 2905, dport: 1 }))).toBe(true);
    expect(m('src port 40000', tcp)).toBe(true);
    expect(m('dst port 40000', tcp)).toBe(false);
    expect(m('portrange 50-60', dns)).toBe(true);
    expect(m('tcp portrange 1-1023', tcp)).toBe(true);
    expect(m('port http', tcp)).toBe(true);
    expect(m('port domain', dns)).toBe(true);
    expect(m('port 547', v6)).toBe(true);
    expect(m('ip6 port 547', v6)).toBe(true);
    expect(m('ip port 547', v6)).toBe(false);
  });
  it('port skips non-first IPv4 fragments and IPv6 extension headers (libpcap)', () => {
    expect(m('port 80', ipPacket({ fragOffset: 1480, laterFragment: true }))).toBe(false);
    expect(m('port 547', ipPacket({ src: '::1', dst: '::2', proto: 'udp', dport: 547, ip6Nxt: 0 }))).toBe(false);
  });
  it('protocol words and proto N', () => {
    expect(m('tcp', tcp)).toBe(true);
    expect(m('udp', tcp)).toBe(false);
    expect(m('ip', tcp)).toBe(true);
    expect(m('ip6', v6)).toBe(true);
    expect(m('ip', v6)).toBe(false);
    expect(m('arp', arp)).toBe(true);
    expect(m('icmp', ipPacket({ proto: 'icmp' }))).toBe(true);
    expect(m('icmp6', ipPacket({ proto: 'icmpv6', src: '::1', dst: '::2' }))).toBe(true);
    expect(m('proto 17', dns)).toBe(true);
    expect(m('proto 17', v6)).toBe(true);
    expect(m('ip proto 17', v6)).toBe(false);
    expect(m('ip6 proto 17', v6)).toBe(true);
    expect(m('ip proto \\udp', dns)).toBe(true);
    expect(m('ether proto 0x0800', tcp)).toBe(true);
  });
  it('less and greater use the wire length, inclusive', () => {
    expect(m('less 120', tcp)).toBe(true);
    expect(m('less 119', tcp)).toBe(false);
    expect(m('greater 120', tcp)).toBe(true);
    expect(m('greater 121', tcp)).toBe(false);
  });
  it('ether host, broadcast, multicast', () => {
    expect(m(`ether host ${MAC_A}`, tcp)).toBe(true);
    expect(m(`ether src ${MAC_A}`, tcp)).toBe(true);
    expect(m(`ether dst ${MAC_A}`, tcp)).toBe(false);
    expect(m(`ether dst ${MAC_B}`, tcp)).toBe(true);
    expect(m('ether broadcast', arp)).toBe(true);
    expect(m('broadcast', tcp)).toBe(false);
    expect(m('ether multicast', arp)).toBe(true);
  });
  it('vlan tests the k-th tag; other primitives look through tags', () => {
    const tagged = ipPacket({ vlan: [100], proto: 'udp', dport: 53 });
    const qinq = ipPacket({ vlan: [13, 10], proto: 'udp', dport: 53 });
    expect(m('vlan', tagged)).toBe(true);
    expect(m('vlan', tcp)).toBe(false);
    expect(m('vlan 100', tagged)).toBe(true);
    expect(m('vlan 101', tagged)).toBe(false);
    expect(m('vlan and port 53', tagged)).toBe(true);
    expect(m('port 53', tagged)).toBe(true);
    expect(m('vlan and vlan', tagged)).toBe(false);
    expect(m('vlan and vlan and udp', qinq)).toBe(true);
    expect(m('vlan 13 and vlan 10', qinq)).toBe(true);
    expect(m('vlan 10', qinq)).toBe(false);
  });
  it('a bare value after and/or/not repeats the previous qualifiers (libpcap)', () => {
    expect(m('host 1.1.1.1 or 10.0.0.5', tcp)).toBe(true);
    expect(m('port 53 or 80', tcp)).toBe(true);
    expect(m('tcp port 81 or 80', tcp)).toBe(true);
    expect(m('tcp port 81 or 80', dns)).toBe(false);
    expect(m('host 10.0.0.5 and not 192.168.1.1', tcp)).toBe(false);
    expect(compileFilter('src host 1.1.1.1 or 2.2.2.2').toBpf()).toBe('src host 1.1.1.1 or src host 2.2.2.2');
  });
  it('mixes with Wireshark syntax', () => {
    expect(m('host 192.168.1.1 && udp.dstport == 53', dns)).toBe(true);
    expect(m('port 53 and dns', dns)).toBe(false); // no dissection layer in this test
  });
});
