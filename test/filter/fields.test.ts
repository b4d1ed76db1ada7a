import { describe, expect, it } from 'vitest';
import { compileFilter, createFilterContext, setFirstPacketTime } from '../../src/filter/index.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import { arpPacket, ipPacket, MAC_A, MAC_B } from './packets.js';

const m = (f: string, p: DecodedPacket): boolean => compileFilter(f).match(p);

describe('comparison operators', () => {
  const p = ipPacket({ src: '10.0.0.1', dst: '192.168.1.9', sport: 40000, dport: 443, ttl: 64, len: 300 });
  it.each([
    ['frame.len == 300', true],
    ['frame.len eq 300', true],
    ['frame.len != 300', false],
    ['frame.len ne 299', true],
    ['frame.len < 301', true],
    ['frame.len lt 300', false],
    ['frame.len <= 300', true],
    ['frame.len le 299', false],
    ['frame.len > 299', true],
    ['frame.len gt 300', false],
    ['frame.len >= 300', true],
    ['frame.len ge 301', false],
    ['frame.len == 0x12c', true],
    ['frame.len == 0454', true],
    ['frame.len == 0b100101100', true],
    ['ip.ttl in {1, 64, 128}', true],
    ['ip.ttl in {1 64 128}', true],
    ['ip.ttl in {60..70}', true],
    ['ip.ttl in {60 .. 70}', true],
    ['ip.ttl in {60.. 63, 65..70}', false],
    ['tcp.port in {80, 443}', true],
    ['tcp.port in {1..100}', false],
  ])('%s -> %s', (f, want) => {
    expect(m(f, p)).toBe(want);
  });
});

describe('Wireshark 4 multi-occurrence semantics', () => {
  const p = ipPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 80, dport: 5000 });
  const q = ipPacket({ src: '10.0.0.3', dst: '10.0.0.4', sport: 80, dport: 80 });
  const udp = ipPacket({ proto: 'udp', src: '10.0.0.3', dst: '10.0.0.4' });
  const v6 = ipPacket({ src: 'fe80::1', dst: '2001:db8::2' });
  it('== matches when any occurrence matches', () => {
    expect(m('ip.addr == 10.0.0.2', p)).toBe(true);
    expect(m('tcp.port == 5000', p)).toBe(true);
  });
  it('!= is "present and no occurrence equal" (tshark 4.0.17)', () => {
    expect(m('ip.addr != 10.0.0.2', p)).toBe(false);
    expect(m('ip.addr != 10.0.0.2', q)).toBe(true);
    expect(m('ip.addr != 10.0.0.2', v6)).toBe(false); // absent field: not matched
    expect(m('!(ip.addr == 10.0.0.2)', v6)).toBe(true);
    expect(m('tcp.port != 80', p)).toBe(false);
    expect(m('tcp.port != 80', udp)).toBe(false);
  });
  it('~= and !== are "any occurrence differs"', () => {
    expect(m('ip.addr ~= 10.0.0.2', p)).toBe(true);
    expect(m('ip.addr !== 10.0.0.2', p)).toBe(true);
    expect(m('tcp.port ~= 80', q)).toBe(false);
    expect(m('tcp.port any_ne 80', p)).toBe(true);
  });
  it('=== needs every occurrence equal', () => {
    expect(m('tcp.port === 80', q)).toBe(true);
    expect(m('tcp.port === 80', p)).toBe(false);
    expect(m('tcp.port all_eq 80', q)).toBe(true);
  });
  it('a bare field tests presence, also for booleans', () => {
    expect(m('tcp.port', p)).toBe(true);
    expect(m('udp.port', p)).toBe(false);
    expect(m('tcp.flags.syn', p)).toBe(true);
    expect(m('ipv6.addr', v6)).toBe(true);
  });
});

describe('field families', () => {
  it('frame', () => {
    const p = ipPacket({ len: 64 });
    expect(m('frame.len == 64', p)).toBe(true);
    expect(m('frame.cap_len > 0', p)).toBe(true);
  });
  it('frame.time_relative from the first packet the filter sees, or the context', () => {
    const f = compileFilter('frame.time_relative >= 0.05');
    expect(f.match(ipPacket({ tsSec: 100, tsNsec: 0 }))).toBe(false);
    expect(f.match(ipPacket({ tsSec: 100, tsNsec: 49_999_999 }))).toBe(false);
    expect(f.match(ipPacket({ tsSec: 100, tsNsec: 50_000_000 }))).toBe(true);
    const ctx = createFilterContext();
    setFirstPacketTime(ctx, 1_700_000_000, 5_000_000);
    const g = compileFilter('frame.time_relative < 0.05', ctx);
    expect(g.match(ipPacket({ tsSec: 1_700_000_000, tsNsec: 55_000_000 }))).toBe(false);
    expect(g.match(ipPacket({ tsSec: 1_700_000_000, tsNsec: 54_000_000 }))).toBe(true);
    const ctx2 = createFilterContext({ firstTime: 1_700_000_000.5 });
    expect(compileFilter('frame.time_relative == 1.5', ctx2).match(ipPacket({ tsSec: 1_700_000_002 }))).toBe(true);
  });
  it('eth', () => {
    const p = ipPacket();
    expect(m(`eth.src == ${MAC_A}`, p)).toBe(true);
    expect(m(`eth.dst == ${MAC_B}`, p)).toBe(true);
    expect(m(`eth.addr == ${MAC_B}`, p)).toBe(true);
    expect(m('eth.addr == 00-11-22-33-44-55', p)).toBe(true);
    expect(m('eth.addr == 0011.2233.4455', p)).toBe(true);
    expect(m('eth.type == 0x0800', p)).toBe(true);
    expect(m('eth.type == 0x8100', ipPacket({ vlan: [5] }))).toBe(true);
    expect(m('eth', p)).toBe(true);
  });
  it('vlan', () => {
    const q = ipPacket({ vlan: [13, 10] });
    expect(m('vlan.id == 10', q)).toBe(true);
    expect(m('vlan.id == 13', q)).toBe(true);
    expect(m('vlan.id == 11', q)).toBe(false);
    expect(m('vlan && ip', q)).toBe(true);
    expect(m('vlan.id', ipPacket())).toBe(false);
  });
  it('ip', () => {
    const p = ipPacket({ src: '10.1.2.3', dst: '172.16.0.9', ttl: 5, mf: true, fragOffset: 1480 });
    expect(m('ip.src == 10.0.0.0/8', p)).toBe(true);
    expect(m('ip.src == 10.1.2.3/32', p)).toBe(true);
    expect(m('ip.dst == 172.16.0.0/12', p)).toBe(true);
    expect(m('ip.addr == 172.16.0.9', p)).toBe(true);
    expect(m('ip.addr in {1.1.1.1, 172.16.0.0/16}', p)).toBe(true);
    expect(m('ip.src > 10.0.0.0', p)).toBe(true);
    expect(m('ip.proto == 6', p)).toBe(true);
    expect(m('ip.ttl == 5', p)).toBe(true);
    expect(m('ip.len == 106', p)).toBe(true);
    expect(m('ip.flags.mf == 1', p)).toBe(true);
    expect(m('ip.frag_offset == 185', p)).toBe(true); // 8-byte units, as tshark 4.0
    expect(m('ip.src == 0.0.0.0/0', p)).toBe(true);
  });
  it('ipv6', () => {
    const p = ipPacket({ src: 'fe80::1', dst: '2001:db8::2', proto: 'udp', ttl: 255 });
    expect(m('ipv6.src == fe80::/10', p)).toBe(true);
    expect(m('ipv6.src == fe80::1', p)).toBe(true);
    expect(m('ipv6.dst == 2001:db8::/32', p)).toBe(true);
    expect(m('ipv6.addr == 2001:db8::2', p)).toBe(true);
    expect(m('ipv6.addr == ::1', p)).toBe(false);
    expect(m('ipv6.addr != ::1', p)).toBe(true);
    expect(m('ipv6.addr in {::1, 2001:db8::/48}', p)).toBe(true);
    expect(m('ipv6.nxt == 17', p)).toBe(true);
    expect(m('ipv6.hlim == 255', p)).toBe(true);
    expect(m('ipv6 && !ip', p)).toBe(true);
    expect(m('ipv6.src == ::ffff:10.0.0.1', ipPacket({ src: '::ffff:10.0.0.1', dst: '::1' }))).toBe(true);
  });
  it('tcp', () => {
    const p = ipPacket({ sport: 443, dport: 51000, flags: 0x12, win: 1024, payload: 10, seq: 5, ack: 7 });
    expect(m('tcp.srcport == 443', p)).toBe(true);
    expect(m('tcp.dstport == 51000', p)).toBe(true);
    expect(m('tcp.len == 10', p)).toBe(true);
    expect(m('tcp.window_size_value == 1024', p)).toBe(true);
    expect(m('tcp.flags.syn == 1 && tcp.flags.ack == 1', p)).toBe(true);
    expect(m('tcp.flags.fin == 1 || tcp.flags.reset == 1 || tcp.flags.push == 1 || tcp.flags.urg == 1', p)).toBe(false);
    expect(m('tcp.flags == 0x12', p)).toBe(true);
    expect(m('tcp.flags.syn == true', p)).toBe(true);
    expect(m('tcp.seq_raw == 5 && tcp.ack_raw == 7', p)).toBe(true);
  });
  it('tcp.seq and tcp.ack are relative, as tshark shows them', () => {
    const f = compileFilter('tcp.seq == 0 && tcp.ack == 0');
    const g = compileFilter('tcp.seq == 1 && tcp.ack == 1');
    const syn = ipPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, flags: 0x02, seq: 5000, ack: 0 });
    const synack = ipPacket({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 1000, flags: 0x12, seq: 9000, ack: 5001 });
    const ack = ipPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, flags: 0x10, seq: 5001, ack: 9001 });
    expect([f.match(syn), g.match(syn)]).toEqual([true, false]);
    expect(compileFilter('tcp.seq == 0 && tcp.ack == 1', f.ctx).match(synack)).toBe(true);
    expect(g.match(ack)).toBe(true);
    // Mid-connection start: the first segment seen shows seq 1 and ack 1.
    const mid = compileFilter('tcp.seq == 1 && tcp.ack == 1');
    expect(mid.match(ipPacket({ flags: 0x18, seq: 123456, ack: 654321 }))).toBe(true);
    expect(compileFilter('tcp.seq == 4294967295').match(ipPacket({ flags: 0x10, seq: 0 }))).toBe(false);
  });
  it('udp and sctp', () => {
    const p = ipPacket({ proto: 'udp', sport: 53, dport: 3333, payload: 30 });
    expect(m('udp.srcport == 53 && udp.dstport == 3333 && udp.port == 53', p)).toBe(true);
    expect(m('udp.length == 38', p)).toBe(true);
    expect(m('udp && !tcp', p)).toBe(true);
    const s = ipPacket({ proto: 'sctp', sport: 2905, dport: 2905 });
    expect(m('sctp.port == 2905 && sctp', s)).toBe(true);
  });
  it('icmp and icmpv6', () => {
    expect(m('icmp.type == 8 && icmp.code == 0', ipPacket({ proto: 'icmp' }))).toBe(true);
    expect(m('icmpv6.type == 128', ipPacket({ proto: 'icmpv6', src: '::1', dst: '::2', icmpType: 128 }))).toBe(true);
    expect(m('icmp.type', ipPacket({ proto: 'icmpv6', src: '::1', dst: '::2' }))).toBe(false);
    expect(m('icmpv6 && frame', ipPacket({ proto: 'icmpv6', src: '::1', dst: '::2' }))).toBe(true);
  });
  it('arp', () => {
    const a = arpPacket(1, '192.168.0.1', '192.168.0.2');
    expect(m('arp.opcode == 1', a)).toBe(true);
    expect(m('arp.src.proto_ipv4 == 192.168.0.1', a)).toBe(true);
    expect(m('arp.dst.proto_ipv4 == 192.168.0.0/24', a)).toBe(true);
    expect(m(`arp.src.hw_mac == ${MAC_A}`, a)).toBe(true);
    expect(m('arp && eth.dst == ff:ff:ff:ff:ff:ff', a)).toBe(true);
    expect(m('ip.addr == 192.168.0.1', a)).toBe(false);
  });
  it('transport fields are absent on later IP fragments (tshark without reassembly)', () => {
    const later = ipPacket({ proto: 'udp', fragOffset: 1480, laterFragment: true, sport: 2049, dport: 900 });
    expect(m('udp.port == 2049', later)).toBe(false);
    expect(m('udp && frame', later)).toBe(false);
    // Pure pcap-filter text keeps libpcap's meaning: `udp` is "ip proto 17", fragments included.
    expect(m('udp', later)).toBe(true);
    expect(m('udp port 2049', later)).toBe(false);
    expect(m('ip.frag_offset > 0', later)).toBe(true);
  });
});
