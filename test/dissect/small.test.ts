import { describe, expect, it } from 'vitest';
import { dissectSsh } from '../../src/dissect/ssh.js';
import { dissectDhcp, dhcpInfoLine } from '../../src/dissect/dhcp.js';
import { dissectNtp, looksLikeNtp } from '../../src/dissect/ntp.js';
import { dissectQuic, looksLikeQuic } from '../../src/dissect/quic.js';
import { icmpTypeName } from '../../src/dissect/icmp.js';

describe('SSH', () => {
  it('banner parts', () => {
    const b = Buffer.from('SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n');
    expect(dissectSsh(b, 0, b.length)).toMatchObject({
      banner: 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13', protoVersion: '2.0', software: 'OpenSSH_9.6p1', comments: 'Ubuntu-3ubuntu13',
    });
    expect(dissectSsh(Buffer.from('HTTP'), 0, 4)).toBeNull();
  });
});

function dhcp(opts: number[], yiaddr = [0, 0, 0, 0]): Uint8Array {
  const b = new Uint8Array(240 + opts.length);
  b[0] = 1;
  b[1] = 1;
  b[2] = 6;
  b.set([0x12, 0x34, 0x56, 0x78], 4);
  b.set(yiaddr, 16);
  b.set([0, 0x11, 0x22, 0x33, 0x44, 0x55], 28);
  b.set([99, 130, 83, 99], 236);
  b.set(opts, 240);
  return b;
}

describe('DHCP', () => {
  it('message type, hostname, requested address', () => {
    const b = dhcp([53, 1, 3, 12, 4, 0x68, 0x6f, 0x73, 0x74, 50, 4, 10, 0, 0, 5, 54, 4, 10, 0, 0, 1, 255]);
    const d = dissectDhcp(b, 0, b.length)!;
    expect(d).toMatchObject({ msgType: 3, msgTypeName: 'Request', hostname: 'host', requestedIp: '10.0.0.5', serverId: '10.0.0.1', clientMac: '00:11:22:33:44:55' });
    expect(dhcpInfoLine(d)).toBe('DHCP Request - Transaction ID 0x12345678');
  });
  it('assigned address (yiaddr) and truncated options', () => {
    const b = dhcp([53, 1, 5, 12, 200, 0x41], [10, 0, 0, 9]);
    const d = dissectDhcp(b, 0, b.length)!;
    expect(d.yiaddr).toBe('10.0.0.9');
    expect(d.msgTypeName).toBe('ACK');
    expect(d.error).toBe('option truncated');
  });
});

describe('NTP, QUIC, ICMP', () => {
  it('NTP mode and stratum', () => {
    const b = new Uint8Array(48);
    b[0] = 0x24; // v4 server
    b[1] = 2;
    expect(looksLikeNtp(b, 0, 48)).toBe(true);
    expect(dissectNtp(b, 0, 48)).toMatchObject({ version: 4, mode: 4, modeName: 'server', stratum: 2 });
  });
  it('QUIC long header version', () => {
    const b = Uint8Array.from([0xc3, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0]);
    expect(looksLikeQuic(b, 0, b.length)).toBe(true);
    expect(dissectQuic(b, 0, b.length)).toMatchObject({ longHeader: true, version: 1, versionName: '1', packetType: 'Initial', dcid: '0102030405060708' });
    const g = Uint8Array.from([0xc3, 0x51, 0x30, 0x34, 0x36, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
    expect(dissectQuic(g, 0, g.length)!.versionName).toBe('Q046');
    expect(dissectQuic(Uint8Array.from([0x43, 1]), 0, 2)!.longHeader).toBe(false);
  });
  it('ICMP and ICMPv6 type names', () => {
    expect(icmpTypeName(8, 0, false)).toBe('Echo (ping) request');
    expect(icmpTypeName(3, 3, false)).toBe('Destination unreachable (Port unreachable)');
    expect(icmpTypeName(135, 0, true)).toBe('Neighbor Solicitation');
    expect(icmpTypeName(250, 0, true)).toBe('Unknown type (250)');
  });
});
