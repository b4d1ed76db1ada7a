import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { Engine } from '../../src/engine/engine.js';

const REAL = resolve(__dirname, '../../../shared/pcaps/real');

async function load(name: string): Promise<Engine> {
  const e = new Engine();
  await openFileSource({ path: resolve(REAL, name) }).start((r) => e.ingest(r));
  return e;
}

describe.skipIf(!existsSync(REAL))('Engine on real captures', () => {
  it('follows a whole HTTP connection to closed', async () => {
    const c = (await load('eth_http11_get.pcap')).snapshot().conversations;
    expect(c.map((x) => [x.proto, x.a, x.aPort, x.b, x.bPort, x.service, x.tcpState])).toEqual([
      ['tcp', '141.142.228.5', 59856, '192.150.187.43', 80, 'http', 'closed'],
    ]);
    expect(c[0]!.aToBPackets + c[0]!.bToAPackets).toBe(14);
  });

  it('sees a completed handshake', async () => {
    const c = (await load('sll_nsec_tcp_handshake.pcap')).snapshot().conversations;
    expect(c[0]!.tcpState).toBe('established');
  });

  it('keeps VLAN ids and ICMP/IPv6 flows', async () => {
    const v = (await load('vlan_8021q_icmp_arp.pcap')).snapshot().conversations;
    expect(v.map((x) => [x.proto, x.vlan, x.aPort])).toEqual([['icmp', 123, null]]);
    const q = (await load('qinq_8021q_bacnet.pcap')).snapshot().conversations;
    expect(q.find((x) => x.service === 'bacnet')!.vlan).toBe(13);
    const six = (await load('icmpv6_echo.pcap')).snapshot().conversations;
    expect(six[0]!.a).toBe('2620:0:e00:400e:d1d:db37:beb:5aac');
    expect(six[0]!.b).toBe('2001:4860:8006::63');
  });

  it('counts one flow per probed port in a SYN scan', async () => {
    const e = await load('portscan_tcp_syn.pcapng');
    expect(e.flows.count).toBeGreaterThan(1000);
    const states = new Set(e.snapshot({ top: 0 }).conversations.map((x) => x.tcpState));
    expect(states.has('syn')).toBe(true);
  });
});
