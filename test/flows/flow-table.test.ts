import { describe, expect, it } from 'vitest';
import { FlowFolder } from '../../src/engine/flow-fold.js';
import { HostTable } from '../../src/flows/host-table.js';
import { PortTable } from '../../src/flows/port-table.js';
import { FlowTable } from '../../src/flows/flow-table.js';
import { tcpStateText } from '../../src/flows/tcp-state.js';
import { addrText } from '../../src/engine/addr-text.js';
import { DecodedPacket } from '../../src/decode/packet.js';

function aText(ft: FlowTable, s: number, side: number): string {
  return addrText(ft.fam(s), ft.addr(s, side, new Uint32Array(4)), 0);
}
import { fill, pkt } from './make-packet.js';

const SYN = 2, ACK = 16, FIN = 1, RST = 4;

describe('FlowTable', () => {
  it('keys both directions to one flow and makes the first sender side a', () => {
    const ft = new FlowTable();
    const s1 = ft.track(pkt({ src: '10.0.0.2', dst: '10.0.0.1', sport: 5000, dport: 80, len: 60, t: 1 }));
    expect(ft.dir).toBe(0);
    expect(ft.isNew).toBe(true);
    const s2 = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 80, dport: 5000, len: 1500, t: 2 }));
    expect(s2).toBe(s1);
    expect(ft.dir).toBe(1);
    expect(ft.isNew).toBe(false);
    expect(ft.count).toBe(1);
    expect(aText(ft, s1, 0)).toBe('10.0.0.2');
    expect(ft.aPort(s1)).toBe(5000);
    expect([ft.packets(s1, 0), ft.packets(s1, 1)]).toEqual([1, 1]);
    expect([ft.bytes(s1, 0), ft.bytes(s1, 1)]).toEqual([60, 1500]);
    expect(ft.first(s1)).toBe(1);
    expect(ft.last(s1)).toBe(2);
  });

  it('separates flows by ports, protocol and VLAN', () => {
    const ft = new FlowTable();
    const a = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, t: 1 }));
    const b = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 3, t: 1 }));
    const c = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, proto: 17, t: 1 }));
    const d = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, vlan: 10, t: 1 }));
    const e = ft.track(pkt({ src: '10.0.0.2', dst: '10.0.0.1', sport: 2, dport: 1, vlan: 10, t: 1 }));
    const g = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, vlan: 10, vlan2: 20, t: 1 }));
    expect(new Set([a, b, c, d, g]).size).toBe(5);
    expect(e).toBe(d);
    expect(ft.vlan(d)).toBe(10);
  });

  it('keys IPv6 flows on all four words', () => {
    const ft = new FlowTable();
    const a = ft.track(pkt({ src: '2001:db8::1', dst: '2001:db8::2', sport: 1, dport: 2, t: 1 }));
    const b = ft.track(pkt({ src: '2001:db8:0:1::1', dst: '2001:db8::2', sport: 1, dport: 2, t: 1 }));
    const c = ft.track(pkt({ src: '2001:db8::2', dst: '2001:db8::1', sport: 2, dport: 1, t: 1 }));
    expect(a).not.toBe(b);
    expect(c).toBe(a);
    expect(aText(ft, a, 0)).toBe('2001:db8::1');
    expect(aText(ft, b, 1)).toBe('2001:db8::2');
    // an IPv4 flow with the same first word is not the IPv6 one
    const d = ft.track(pkt({ src: '32.1.13.184', dst: '0.0.0.0', sport: 1, dport: 2, t: 1 }));
    expect(d).not.toBe(a);
  });

  it('tracks ICMP and other IP protocols without ports', () => {
    const ft = new FlowTable();
    const a = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1, t: 1 }));
    const b = ft.track(pkt({ src: '10.0.0.2', dst: '10.0.0.1', proto: 1, t: 2 }));
    const g = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', proto: 47, t: 2 }));
    const v6 = ft.track(pkt({ src: 'fe80::1', dst: 'ff02::1', proto: 58, t: 2 }));
    expect(b).toBe(a);
    expect(ft.dir).toBe(0);
    expect(g).not.toBe(a);
    expect(ft.aPort(a)).toBe(-1);
    expect(ft.proto(g)).toBe(47);
    expect(ft.fam(v6)).toBe(6);
    expect(ft.count).toBe(3);
  });

  it('ignores packets without IP', () => {
    const ft = new FlowTable();
    const p = new DecodedPacket();
    expect(ft.track(p)).toBe(-1);
    expect(ft.count).toBe(0);
  });

  // lazyOrder: the activity order is built only when the table fills or expiry runs (report)
  it.each([false, true])('evicts the longest-idle flow when full and counts it (lazyOrder %s)', (lazyOrder) => {
    const ft = new FlowTable({ maxFlows: 3, initialCapacity: 2, lazyOrder });
    const a = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.9', sport: 1, dport: 1, t: 1 }));
    ft.track(pkt({ src: '10.0.0.2', dst: '10.0.0.9', sport: 1, dport: 1, t: 2 }));
    ft.track(pkt({ src: '10.0.0.3', dst: '10.0.0.9', sport: 1, dport: 1, t: 3 }));
    // touch the first so the second becomes the longest idle
    expect(ft.track(pkt({ src: '10.0.0.9', dst: '10.0.0.1', sport: 1, dport: 1, t: 4 }))).toBe(a);
    ft.track(pkt({ src: '10.0.0.4', dst: '10.0.0.9', sport: 1, dport: 1, t: 5 }));
    expect(ft.count).toBe(3);
    expect(ft.evicted).toBe(1);
    const live = [];
    for (let s = 0; s < ft.slotLimit; s++) if (ft.isLive(s)) live.push(aText(ft, s, 0));
    expect(live.sort()).toEqual(['10.0.0.1', '10.0.0.3', '10.0.0.4']);
    // the evicted flow comes back as a new flow
    ft.track(pkt({ src: '10.0.0.2', dst: '10.0.0.9', sport: 1, dport: 1, t: 6 }));
    expect(ft.isNew).toBe(true);
    expect(ft.evicted).toBe(2);
  });

  it.each([false, true])('stays consistent under heavy churn (index and LRU agree) (lazyOrder %s)', (lazyOrder) => {
    const ft = new FlowTable({ maxFlows: 1000, initialCapacity: 16, lazyOrder });
    const p = new DecodedPacket();
    const seen = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const host = (i * 7919) % 3000;
      fill(p, { src: `10.0.${host >> 8}.${host & 255}`, dst: '192.168.0.1', sport: 1000 + (host % 7), dport: 443, t: i });
      const s = ft.track(p);
      seen.set(`${host}`, s);
    }
    expect(ft.count).toBe(1000);
    expect(ft.evicted).toBe(3000 - 1000 + (20_000 - 3000)); // every lookup after the first 1000 is a miss
    let packets = 0;
    for (let s = 0; s < ft.slotLimit; s++) if (ft.isLive(s)) packets += ft.packets(s, 0);
    expect(packets).toBe(1000);
    // the last 1000 distinct hosts are all findable
    for (let i = 19_000; i < 20_000; i++) {
      const host = (i * 7919) % 3000;
      fill(p, { src: '192.168.0.1', dst: `10.0.${host >> 8}.${host & 255}`, sport: 443, dport: 1000 + (host % 7), t: 20_000 });
      ft.track(p);
      expect(ft.isNew).toBe(false);
    }
  });

  it.each([false, true])('expires flows idle longer than the timeout (lazyOrder %s)', (lazyOrder) => {
    const ft = new FlowTable({ lazyOrder });
    ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 100 }));
    ft.track(pkt({ src: '10.0.0.3', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 350 }));
    expect(ft.expireBefore(400 - 300)).toBe(0);
    expect(ft.expireBefore(401 - 300)).toBe(1);
    expect(ft.count).toBe(1);
    expect(ft.expired).toBe(1);
  });

  it.each([false, true])('gives open TCP connections their own, longer idle timeout (lazyOrder %s)', (lazyOrder) => {
    const ft = new FlowTable({ lazyOrder });
    const udp = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 100 }));
    const open = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 3, dport: 4, flags: 16, t: 100 }));
    const closing = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5, dport: 6, flags: 16, t: 100 }));
    ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5, dport: 6, flags: 4, t: 101 })); // RST: closed
    expect(ft.expireBefore(200, 50)).toBe(2);
    expect([ft.isLive(udp), ft.isLive(open), ft.isLive(closing)]).toEqual([false, true, false]);
    expect(ft.expireBefore(200, 150)).toBe(1);
    expect(ft.count).toBe(0);
    expect(ft.expired).toBe(3);
  });

  it.each([false, true])('evicts the longest-idle flow across open TCP and other flows (lazyOrder %s)', (lazyOrder) => {
    const ft = new FlowTable({ maxFlows: 2, lazyOrder });
    ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 3, dport: 4, flags: 16, t: 100 }));
    const udp = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 101 }));
    const fresh = ft.track(pkt({ src: '10.0.0.3', dst: '10.0.0.2', proto: 17, sport: 1, dport: 2, t: 102 }));
    expect(ft.evicted).toBe(1);
    expect(ft.isLive(udp) && ft.isLive(fresh)).toBe(true);
    expect(ft.proto(udp)).toBe(17);
    for (let s = 0; s < ft.slotLimit; s++) if (ft.isLive(s)) expect(ft.proto(s)).toBe(17);
  });

  it('follows TCP state', () => {
    const ft = new FlowTable();
    const c = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 };
    const s = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 };
    const slot = ft.track(pkt({ ...c, flags: SYN, t: 1 }));
    expect(tcpStateText(ft.tcp(slot))).toBe('syn');
    ft.track(pkt({ ...s, flags: SYN | ACK, t: 1 }));
    expect(tcpStateText(ft.tcp(slot))).toBe('syn');
    ft.track(pkt({ ...c, flags: ACK, t: 1 }));
    expect(tcpStateText(ft.tcp(slot))).toBe('established');
    ft.track(pkt({ ...c, flags: FIN | ACK, t: 2 }));
    expect(tcpStateText(ft.tcp(slot))).toBe('fin');
    ft.track(pkt({ ...s, flags: FIN | ACK, t: 2 }));
    expect(tcpStateText(ft.tcp(slot))).toBe('closed');
    const r = ft.track(pkt({ ...c, sport: 40001, flags: SYN, t: 3 }));
    ft.track(pkt({ ...s, dport: 40001, flags: RST | ACK, t: 3 }));
    expect(tcpStateText(ft.tcp(r))).toBe('reset');
    // mid-stream: no handshake seen
    const m = ft.track(pkt({ ...c, sport: 40002, flags: ACK, t: 3 }));
    expect(tcpStateText(ft.tcp(m))).toBe('established');
  });

  it('keeps per-direction rates over 2, 10 and 40 s', () => {
    const ft = new FlowTable();
    // the engine folds the flows counted in a second into the rate rings when the second ends
    const folder = new FlowFolder(ft, new HostTable(), new PortTable());
    const c = { src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2 };
    let slot = -1;
    // 1000 B/s a->b for seconds 0..59, 500 B/s b->a for seconds 50..59
    for (let sec = 0; sec < 60; sec++) {
      slot = ft.track(pkt({ ...c, len: 1000, t: sec + 0.5 }));
      if (sec >= 50) ft.track(pkt({ src: c.dst, dst: c.src, sport: 2, dport: 1, len: 500, t: sec + 0.25 }));
      folder.foldAll(sec);
    }
    const pool = ft.rates!;
    const r = ft.ring(slot);
    const now = 60;
    expect(pool.sum(r, 0, now, 2) / 2).toBe(1000);
    expect(pool.sum(r, 0, now, 10) / 10).toBe(1000);
    expect(pool.sum(r, 0, now, 40) / 40).toBe(1000);
    expect(pool.sum(r, 1, now, 2) / 2).toBe(500);
    expect(pool.sum(r, 1, now, 10) / 10).toBe(500);
    expect(pool.sum(r, 1, now, 40) / 40).toBe(125);
    // 5 idle seconds later the 2 s average is 0 and the 10 s one half
    expect(pool.sum(r, 0, 65, 2)).toBe(0);
    expect(pool.sum(r, 0, 65, 10) / 10).toBe(500);
    // the second in progress is not counted
    ft.track(pkt({ ...c, len: 7000, t: 60.1 }));
    folder.foldAll(60);
    expect(pool.sum(r, 0, 60, 2) / 2).toBe(1000);
    expect(pool.sum(r, 0, 61, 2) / 2).toBe(4000);
  });

  it('lends rate rings only to recently active flows', () => {
    const ft = new FlowTable({ maxRateRings: 4 });
    const folder = new FlowFolder(ft, new HostTable(), new PortTable());
    const p = new DecodedPacket();
    for (let i = 0; i < 10; i++) {
      ft.track(fill(p, { src: `10.0.0.${i}`, dst: '10.0.1.1', sport: 1, dport: 2, t: i * 100 }));
      folder.foldAll(i * 100);
    }
    const pool = ft.rates!;
    expect(pool.capacity).toBeLessThanOrEqual(4);
    let withRing = 0;
    for (let s = 0; s < ft.slotLimit; s++) if (ft.ring(s) >= 0) withRing++;
    expect(withRing).toBeLessThanOrEqual(4);
    expect(pool.stolenActive).toBe(0); // all taken rings were idle > 40 s
  });

  it('setAppProto labels a flow', () => {
    const ft = new FlowTable();
    const s = ft.track(pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, t: 1 }));
    ft.setAppProto(s, 41);
    expect(ft.appProto(s)).toBe(41);
  });

  it('find() looks a flow up without counting it; the next track() reuses that lookup unless dropFind() came between', () => {
    const ft = new FlowTable();
    const a = pkt({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, t: 1 });
    const b = pkt({ src: '10.0.0.3', dst: '10.0.0.4', sport: 3, dport: 4, t: 1 });
    expect(ft.find(a)).toBe(-1);
    expect(ft.count).toBe(0);
    const sa = ft.track(a);
    expect(ft.isNew).toBe(true);
    const back = pkt({ src: '10.0.0.2', dst: '10.0.0.1', sport: 2, dport: 1, t: 2 });
    expect(ft.find(back)).toBe(sa);
    expect(ft.dir).toBe(1);
    expect(ft.track(back)).toBe(sa);
    expect([ft.packets(sa, 0), ft.packets(sa, 1)]).toEqual([1, 1]);
    // A packet looked up but not counted (display filter): the next packet is looked up afresh.
    expect(ft.find(b)).toBe(-1);
    ft.dropFind();
    expect(ft.track(a)).toBe(sa);
    expect(ft.count).toBe(1);
    // A lookup of a packet without IP leaves nothing behind for the next track() either.
    const noIp = pkt({ src: '10.0.0.5', dst: '10.0.0.6', sport: 5, dport: 6, t: 3 });
    noIp.l3 = 0;
    expect(ft.find(noIp)).toBe(-1);
    expect(ft.track(noIp)).toBe(-1);
    const c = pkt({ src: '10.0.0.7', dst: '10.0.0.8', sport: 7, dport: 8, t: 3 });
    const sc = ft.track(c);
    expect(sc).not.toBe(sa);
    expect(aText(ft, sc, 0)).toBe('10.0.0.7');
    expect(ft.find(c)).toBe(sc);
    expect(ft.packets(sa, 0)).toBe(2);
  });
});
