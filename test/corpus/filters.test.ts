/**
 * Filters over the real captures in ../shared/pcaps/real: match counts equal
 * tshark 4.0.17 (`-Y`, no IP reassembly) for display filters and tcpdump 4.99
 * for pcap-filter expressions. Skipped when the corpus is not there.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countMatches, haveTool, tcpdumpCount, tsharkCounts } from '../filter/oracle.js';

const REAL = resolve(__dirname, '../../../shared/pcaps/real');
const files = existsSync(REAL) ? readdirSync(REAL).filter((f) => /\.(pcap|pcapng)$/.test(f)).sort() : [];

const DISPLAY: readonly string[] = [
  'frame.len > 1000',
  'frame.time_relative >= 1',
  'eth.addr == ff:ff:ff:ff:ff:ff',
  'eth.type == 0x86dd',
  'vlan.id > 0',
  'ip.addr == 10.0.0.0/8 || ip.addr == 192.168.0.0/16',
  'ip.src != 127.0.0.1',
  'ip.proto == 6',
  'ip.ttl < 64',
  'ip.flags.mf == 1 || ip.frag_offset > 0',
  'ipv6.addr == fe80::/10',
  'ipv6.nxt != 6',
  'ipv6.hlim == 255',
  'tcp.port in {80, 443}',
  'tcp.port != 80',
  'tcp.len > 0',
  'tcp.seq == 1 && tcp.ack == 1',
  'tcp.seq > 100000',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'tcp.flags.reset == 1',
  'tcp.window_size_value == 0',
  'udp.port == 53',
  'udp.length < 50',
  'icmp.type == 8 || icmpv6.type == 128',
  'arp.opcode == 1',
  'arp.src.proto_ipv4 == 192.168.0.0/16',
  'udp && frame',
  'tcp && frame',
  'not ip and not ipv6 and frame',
];

const PCAP: readonly string[] = [
  'tcp',
  'udp',
  'icmp or icmp6',
  'arp',
  'ip6',
  'port 53',
  'port 80 or 443',
  'tcp dst portrange 1-1023',
  'net 10.0.0.0/8 or net 192.168.0.0/16',
  'src net 172.16.0.0/12',
  'greater 1000',
  'less 60',
  'ether broadcast',
  'ip proto 17 and not port 53',
  'udp or tcp and port 53',
  'net fe80::/10',
];

/** Files or filters that differ for documented reasons (see src/filter/README.md). */
const DISPLAY_KNOWN: Record<string, readonly string[]> = {};
const PCAP_KNOWN: Record<string, readonly string[]> = {
  // libpcap on a file sees tagged frames only after `vlan`; wiretop looks through tags (compared below with `vlan` first).
  'vlan_8021q_icmp_arp.pcap': ['*'],
  'qinq_8021q_bacnet.pcap': ['*'],
};

const VLAN_FIRST: Record<string, readonly string[]> = {
  'vlan_8021q_icmp_arp.pcap': ['vlan', 'vlan and arp', 'vlan and icmp', 'vlan 123', 'vlan 124', 'vlan and host 192.168.123.1', 'vlan and not arp', 'vlan and vlan'],
  'qinq_8021q_bacnet.pcap': ['vlan', 'vlan and vlan', 'vlan and vlan and udp', 'vlan and vlan and arp', 'vlan 13 and vlan 10', 'vlan and vlan and port 47808'],
};

function table(filters: readonly string[], counts: readonly number[], skip: readonly string[] = []): Record<string, number> {
  const o: Record<string, number> = {};
  filters.forEach((f, i) => {
    if (!skip.includes(f)) o[f] = counts[i]!;
  });
  return o;
}

describe.skipIf(files.length === 0 || !haveTool('tshark'))('display filters vs tshark over real captures', () => {
  it.each(files)('%s', async (file) => {
    const path = join(REAL, file);
    const skip = DISPLAY_KNOWN[file] ?? [];
    if (skip.includes('*')) return;
    const ours = await countMatches(path, DISPLAY);
    expect(table(DISPLAY, ours, skip)).toEqual(table(DISPLAY, tsharkCounts(path, DISPLAY), skip));
  });
});

describe.skipIf(files.length === 0 || !haveTool('tcpdump'))('pcap-filter expressions vs tcpdump over real captures', () => {
  it.each(files)('%s', async (file) => {
    const path = join(REAL, file);
    const skip = PCAP_KNOWN[file] ?? [];
    if (skip.includes('*')) return;
    const usable: string[] = [];
    const theirs: number[] = [];
    for (const f of PCAP) {
      if (skip.includes(f)) continue;
      try {
        theirs.push(tcpdumpCount(path, f));
        usable.push(f);
      } catch {
        // libpcap refuses this primitive on this link type
      }
    }
    if (usable.length === 0) return;
    const ours = await countMatches(path, usable);
    expect(table(usable, ours)).toEqual(table(usable, theirs));
  });
});

describe.skipIf(files.length === 0 || !haveTool('tcpdump'))('VLAN captures vs tcpdump when `vlan` comes first', () => {
  it.each(Object.keys(VLAN_FIRST).filter((f) => files.includes(f)))('%s', async (file) => {
    const path = join(REAL, file);
    const list = VLAN_FIRST[file]!;
    const ours = await countMatches(path, list);
    expect(table(list, ours)).toEqual(table(list, list.map((f) => tcpdumpCount(path, f))));
  });
});
