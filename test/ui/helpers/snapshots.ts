import type { ConversationRow, HostRow, PortRow, ProtocolRow, RateTriple, Snapshot } from '../../../src/engine/snapshot.js';
import { emptySnapshot } from '../../../src/ui/store/empty-snapshot.js';

export const T0 = 1_700_000_000;

function rate(base: number): RateTriple {
  return { r2: base, r10: base * 0.8, r40: base * 0.5 };
}

export function host(i: number, addr = `10.0.0.${i}`): HostRow {
  const b = 100_000 / i;
  return {
    addr, tx: rate(b), rx: rate(b / 2), txBytes: b * 60, rxBytes: b * 30,
    txPackets: Math.round(b / 10), rxPackets: Math.round(b / 20), firstSeen: T0, lastSeen: T0 + 50,
  };
}

export function conversation(i: number, a = `10.0.0.${i}`, b = '192.168.1.1'): ConversationRow {
  const r = 50_000 / i;
  return {
    id: `c${i}`, proto: 'TCP', a, aPort: 40000 + i, b, bPort: 443, vlan: null, service: 'https',
    aToB: rate(r), bToA: rate(r * 3), aToBBytes: r * 50, bToABytes: r * 150,
    aToBPackets: i * 10, bToAPackets: i * 20, tcpState: 'established', firstSeen: T0 + i, lastSeen: T0 + 55,
  };
}

export function port(key: string, proto: string, p: number | null, service: string, r: number): PortRow {
  return { key, proto, port: p, service, rate: rate(r), bytes: r * 60, packets: Math.round(r / 100), flows: 3 };
}

export const PROTOCOLS: readonly ProtocolRow[] = [
  { path: 'eth', packets: 1000, bytes: 900_000, pps: 100, bps: 800_000, share: 1 },
  { path: 'eth:ipv4', packets: 990, bytes: 890_000, pps: 99, bps: 790_000, share: 0.99 },
  { path: 'eth:ipv4:tcp', packets: 800, bytes: 800_000, pps: 80, bps: 700_000, share: 0.89 },
  { path: 'eth:ipv4:udp', packets: 190, bytes: 90_000, pps: 19, bps: 90_000, share: 0.1 },
  { path: 'eth:arp', packets: 10, bytes: 600, pps: 1, bps: 480, share: 0.0007 },
];

export function history(): ReadonlyMap<string, readonly number[]> {
  const total = Array.from({ length: 90 }, (_, i) => 500_000 + 300_000 * Math.sin(i / 6));
  const tcp = total.map((v) => v * 0.8);
  return new Map([['', total], ['eth:ipv4:tcp', tcp]]);
}

/** A busy capture: `n` hosts, conversations and a few ports. */
export function busySnapshot(over: Partial<Snapshot> = {}, n = 30): Snapshot {
  const base = emptySnapshot({ kind: 'file', name: 'fixtures/demo.pcap' });
  return {
    ...base,
    seq: 5,
    time: T0 + 60,
    firstSeen: T0,
    totals: { ...base.totals, packetsRead: 12000, bytesRead: 9_000_000, packets: 12000, bytes: 9_000_000, malformed: 3, flowsTracked: 40, flowsEvicted: 2, hostsTracked: n },
    pps: 200, bps: 1_600_000, rawPps: 200, rawBps: 1_600_000,
    hosts: Array.from({ length: n }, (_, i) => host(i + 1)),
    conversations: Array.from({ length: n }, (_, i) => conversation(i + 1)),
    ports: [port('tcp/443', 'TCP', 443, 'https', 90_000), port('udp/53', 'UDP', 53, 'dns', 2000), port('icmp', 'ICMP', null, '', 50)],
    protocols: PROTOCOLS,
    history: history(),
    ...over,
  };
}
