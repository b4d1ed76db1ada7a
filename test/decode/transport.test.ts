import { describe, expect, it } from 'vitest';
import { Decoder } from '../../src/decode/decoder.js';
import { Malformed } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { bytes, decode, eth, icmp, ipv4, ipv6, pathName, tcp, text, u16, u32, udp } from './helpers.js';

describe('TCP', () => {
  it('reads ports, seq, ack, flags, window and payload', () => {
    const dec = new Decoder();
    const seg = tcp({ sport: 443, dport: 51000, seq: 0xfffffff0, ack: 0x80000001, flags: 0x12, win: 1024 }, text('hello'));
    const p = decode(eth(0x0800, ipv4({ proto: 6 }, seg)), 1, dec);
    expect(p.srcPort).toBe(443);
    expect(p.dstPort).toBe(51000);
    expect(p.tcpSeq).toBe(0xfffffff0);
    expect(p.tcpAck).toBe(0x80000001);
    expect(p.tcpFlags).toBe(0x12);
    expect(p.tcpWin).toBe(1024);
    expect(p.tcpHdrLen).toBe(20);
    expect(p.l4Off).toBe(34);
    expect(p.payloadOff).toBe(54);
    expect(p.payloadLen).toBe(5);
    expect(p.payloadWireLen).toBe(5);
    expect(p.topProto).toBe(Proto.Tcp);
    expect(pathName(dec, p)).toBe('eth:ipv4:tcp');
  });

  it('reads NS as 256 and every flag bit', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 6 }, tcp({ flags: 0x1ff }))));
    expect(p.tcpFlags).toBe(0x1ff);
  });

  it('skips options', () => {
    const mss = [2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7];
    const p = decode(eth(0x0800, ipv4({ proto: 6 }, tcp({ flags: 2, options: mss }, text('x')))));
    expect(p.tcpHdrLen).toBe(32);
    expect(p.payloadOff).toBe(34 + 32);
    expect(p.payloadLen).toBe(1);
  });

  it('trims padding after the IP length from the payload', () => {
    const ip = ipv4({ proto: 6 }, tcp({ flags: 0x10 }));
    const p = decode(eth(0x0800, bytes(ip, [0, 0, 0, 0, 0, 0])));
    expect(p.payloadLen).toBe(0);
    expect(p.payloadWireLen).toBe(0);
  });

  it('flags a data offset below 5 and keeps the ports', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 6 }, tcp({ dataOff: 4, sport: 7 }))));
    expect(p.malformed).toBe(Malformed.TcpBadHeaderLength);
    expect(p.srcPort).toBe(7);
    expect(p.payloadOff).toBe(-1);
  });

  it('flags a data offset past the IP datagram', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 6 }, tcp({ dataOff: 15 }))));
    expect(p.malformed).toBe(Malformed.TcpBadHeaderLength);
  });

  it('works over IPv6', () => {
    const dec = new Decoder();
    const p = decode(eth(0x86dd, ipv6({ nh: 6 }, tcp({ sport: 22, dport: 50000 }, text('ssh')))), 1, dec);
    expect(pathName(dec, p)).toBe('eth:ipv6:tcp');
    expect(p.payloadLen).toBe(3);
    expect(p.payloadWireLen).toBe(3);
  });
});

describe('UDP', () => {
  it('reads ports, length and payload', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 17 }, udp(53, 33333, text('answer')))));
    expect(p.srcPort).toBe(53);
    expect(p.dstPort).toBe(33333);
    expect(p.udpLen).toBe(14);
    expect(p.payloadOff).toBe(42);
    expect(p.payloadLen).toBe(6);
    expect(p.payloadWireLen).toBe(6);
    expect(p.malformed).toBe(Malformed.None);
  });

  it('ends the payload at the UDP length when IP carries more', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 17 }, udp(1, 2, text('abcdef'), 10))));
    expect(p.malformed).toBe(Malformed.None);
    expect(p.payloadLen).toBe(2);
    expect(p.payloadWireLen).toBe(2);
  });

  it('flags a length below 8 or past the datagram and keeps the ports', () => {
    for (const len of [0, 7, 100]) {
      const p = decode(eth(0x0800, ipv4({ proto: 17 }, udp(1000, 2000, text('abc'), len))));
      expect(p.malformed).toBe(Malformed.UdpBadLength);
      expect(p.srcPort).toBe(1000);
      expect(p.dstPort).toBe(2000);
      expect(p.udpLen).toBe(len);
      expect(p.payloadLen).toBe(3);
    }
  });

  it('accepts a UDP length past a first fragment', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 17, mf: true }, udp(2049, 800, new Uint8Array(64), 4000))));
    expect(p.malformed).toBe(Malformed.None);
    expect(p.payloadLen).toBe(64);
    expect(p.payloadWireLen).toBe(3992);
  });
});

describe('ICMP, SCTP, GRE', () => {
  it('reads ICMP type and code', () => {
    const dec = new Decoder();
    const p = decode(eth(0x0800, ipv4({ proto: 1 }, icmp(3, 3, [0, 0, 0, 0, 0x45]))), 1, dec);
    expect(pathName(dec, p)).toBe('eth:ipv4:icmp');
    expect(p.icmpType).toBe(3);
    expect(p.icmpCode).toBe(3);
    expect(p.payloadOff).toBe(34 + 8);
    expect(p.payloadLen).toBe(1);
    expect(p.srcPort).toBe(-1);
  });

  it('flags a truncated ICMP header and keeps what it read', () => {
    const a = decode(eth(0x0800, ipv4({ proto: 1 }, bytes([8]))));
    expect(a.malformed).toBe(Malformed.IcmpTruncated);
    expect(a.icmpType).toBe(-1);
    const b = decode(eth(0x0800, ipv4({ proto: 1 }, bytes([8, 0, 0]))));
    expect(b.malformed).toBe(Malformed.IcmpTruncated);
    expect(b.icmpType).toBe(8);
  });

  it('reads SCTP ports', () => {
    const dec = new Decoder();
    const sctp = bytes(u16(2905), u16(2905), u32(0x11223344), u32(0), new Uint8Array(16));
    const p = decode(eth(0x0800, ipv4({ proto: 132 }, sctp)), 1, dec);
    expect(pathName(dec, p)).toBe('eth:ipv4:sctp');
    expect(p.srcPort).toBe(2905);
    expect(p.payloadOff).toBe(34 + 12);
    const t = decode(eth(0x0800, ipv4({ proto: 132 }, sctp.subarray(0, 8))));
    expect(t.malformed).toBe(Malformed.SctpTruncated);
    expect(t.srcPort).toBe(2905);
  });

  it('counts GRE and finds its payload (plain and PPTP enhanced)', () => {
    const dec = new Decoder();
    const plain = decode(eth(0x0800, ipv4({ proto: 47 }, bytes(u16(0), u16(0x0800), new Uint8Array(20)))), 1, dec);
    expect(pathName(dec, plain)).toBe('eth:ipv4:gre');
    expect(plain.topProto).toBe(Proto.Gre);
    expect(plain.payloadOff).toBe(34 + 4);
    const pptp = decode(eth(0x0800, ipv4({ proto: 47 }, bytes(u16(0x3081), u16(0x880b), u16(4), u16(1), u32(5), u32(6), [0xff, 3, 0, 0x21]))), 1, dec);
    expect(pptp.payloadOff).toBe(34 + 16);
    expect(decode(eth(0x0800, ipv4({ proto: 47 }, bytes([0, 0])))).malformed).toBe(Malformed.GreTruncated);
    expect(decode(eth(0x0800, ipv4({ proto: 47 }, bytes(u16(0x2000), u16(0x0800), [1])))).malformed).toBe(Malformed.GreTruncated);
  });
});
