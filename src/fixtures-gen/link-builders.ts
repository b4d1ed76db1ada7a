/** Link-layer builders: Ethernet (with VLAN tags), Linux cooked v1/v2, BSD loopback, and ARP. */
import { concat, ip4, mac, put16, put32, type Ip4Addr, type MacAddr } from './bytes.js';
import { ETH } from './constants.js';

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

export interface EthernetOpts {
  src?: MacAddr;
  dst?: MacAddr;
  /** Ethertype of the payload (after any VLAN tags). */
  type: number;
  /** VLAN TCIs (VID, optionally with PCP<<13), outermost first. With two or more, the outer TPID is 0x88a8 (802.1ad). */
  vlan?: number[];
  /** Pad the frame to 60 bytes like a sending NIC would (default false). */
  pad?: boolean;
}

export function ethernet(o: EthernetOpts, payload: Uint8Array): Uint8Array {
  const tags = o.vlan ?? [];
  const h = new Uint8Array(14 + 4 * tags.length);
  h.set(mac(o.dst ?? BROADCAST), 0);
  h.set(mac(o.src ?? '02:00:00:00:00:01'), 6);
  let p = 12;
  tags.forEach((tci, i) => {
    put16(h, p, tags.length > 1 && i === 0 ? ETH.QinQ : ETH.VLAN);
    put16(h, p + 2, tci);
    p += 4;
  });
  put16(h, p, o.type);
  const f = concat(h, payload);
  return o.pad && f.length < 60 ? concat(f, new Uint8Array(60 - f.length)) : f;
}

export interface SllOpts {
  /** Ethertype of the payload. */
  protocol: number;
  /** 0 to us, 1 broadcast, 2 multicast, 3 other host, 4 outgoing. */
  pktType?: number;
  haType?: number;
  addr?: MacAddr;
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113): 16-byte header. */
export function sll(o: SllOpts, payload: Uint8Array): Uint8Array {
  const h = new Uint8Array(16);
  const a = mac(o.addr ?? '02:00:00:00:00:01');
  put16(h, 0, o.pktType ?? 0);
  put16(h, 2, o.haType ?? 1);
  put16(h, 4, a.length);
  h.set(a.subarray(0, 8), 6);
  put16(h, 14, o.protocol);
  return concat(h, payload);
}

export interface Sll2Opts extends SllOpts {
  ifIndex?: number;
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276): 20-byte header. */
export function sll2(o: Sll2Opts, payload: Uint8Array): Uint8Array {
  const h = new Uint8Array(20);
  const a = mac(o.addr ?? '02:00:00:00:00:01');
  put16(h, 0, o.protocol);
  put32(h, 4, o.ifIndex ?? 1);
  put16(h, 8, o.haType ?? 1);
  h[10] = o.pktType ?? 0;
  h[11] = a.length;
  h.set(a.subarray(0, 8), 12);
  return concat(h, payload);
}

export const AF = { INET: 2, INET6_BSD: 24, INET6_FREEBSD: 28, INET6_DARWIN: 30 } as const;

/**
 * BSD loopback header: a 4-byte address family. LINKTYPE_NULL (0) stores it in
 * the writer's byte order (little-endian here); LINKTYPE_LOOP (108) in network order.
 */
export function nullLoop(o: { family: number; bigEndian?: boolean }, payload: Uint8Array): Uint8Array {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, o.family, !(o.bigEndian ?? false));
  return concat(h, payload);
}

export interface ArpOpts {
  op: 1 | 2;
  senderMac: MacAddr;
  senderIp: Ip4Addr;
  targetMac?: MacAddr;
  targetIp: Ip4Addr;
}

export function arp(o: ArpOpts): Uint8Array {
  const b = new Uint8Array(28);
  put16(b, 0, 1);
  put16(b, 2, ETH.IPv4);
  b[4] = 6;
  b[5] = 4;
  put16(b, 6, o.op);
  b.set(mac(o.senderMac), 8);
  b.set(ip4(o.senderIp), 14);
  b.set(mac(o.targetMac ?? '00:00:00:00:00:00'), 18);
  b.set(ip4(o.targetIp), 24);
  return b;
}

