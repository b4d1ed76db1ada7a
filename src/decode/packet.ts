import { PacketRecord } from '../capture/record.js';

/** Why a packet could not be fully decoded. 0 means it decoded cleanly. */
export const enum Malformed {
  None = 0,
  LinkTruncated = 1,
  UnsupportedLink = 2,
  VlanTruncated = 3,
  IPv4Truncated = 4,
  IPv4BadVersion = 5,
  IPv4BadHeaderLength = 6,
  IPv4BadTotalLength = 7,
  IPv6Truncated = 8,
  IPv6BadVersion = 9,
  IPv6BadExtHeader = 10,
  TcpTruncated = 11,
  TcpBadHeaderLength = 12,
  UdpTruncated = 13,
  UdpBadLength = 14,
  IcmpTruncated = 15,
  ArpTruncated = 16,
  GreTruncated = 17,
  SctpTruncated = 18,
  SllTruncated = 19,
  NullTruncated = 20,
  BadLength = 21,
  /** Raw IP link type (101/12/14) whose first nibble is neither 4 nor 6. */
  RawBadVersion = 22,
  PppoeTruncated = 23,
  MplsTruncated = 24,
  LlcTruncated = 25,
  /** More VLAN/MPLS/AH/extension layers than the decoder follows. */
  TooManyLayers = 26,
  /** The decoder caught an exception it did not expect (a bug; counted, never thrown). */
  Internal = 27,
  AhTruncated = 28,
  Count = 29,
}

export const MALFORMED_REASONS: readonly string[] = [
  'ok',
  'link header truncated',
  'unsupported link type',
  'VLAN tag truncated',
  'IPv4 header truncated',
  'IPv4 bad version',
  'IPv4 bad header length',
  'IPv4 bad total length',
  'IPv6 header truncated',
  'IPv6 bad version',
  'IPv6 bad extension header chain',
  'TCP header truncated',
  'TCP bad header length',
  'UDP header truncated',
  'UDP bad length',
  'ICMP header truncated',
  'ARP truncated',
  'GRE header truncated',
  'SCTP header truncated',
  'SLL header truncated',
  'NULL/LOOP header truncated',
  'bad length',
  'raw IP bad version',
  'PPPoE header truncated',
  'MPLS label stack truncated',
  'LLC header truncated',
  'too many nested headers',
  'internal decoder error',
  'AH header truncated',
];

/** Network layer kinds for DecodedPacket.l3. */
export const enum L3 {
  None = 0,
  IPv4 = 4,
  IPv6 = 6,
  Arp = 1,
  /** An ethertype we count but do not decode (etherType holds it). */
  Other = 2,
}

/**
 * The decoded form of one packet. One instance is reused for every packet:
 * decode() resets and fills it, so nothing is allocated per packet. Fields
 * that a packet does not have are -1 (numbers) or 0 (flags). Offsets are into
 * `buf` (the PacketRecord's buffer), so a consumer can read further bytes.
 */
export class DecodedPacket {
  // ---- frame ----
  buf: Uint8Array = new Uint8Array(0);
  /** Offset of the first byte of the frame in buf. */
  frameOff = 0;
  /** Captured bytes of the frame. */
  capLen = 0;
  /** Wire length of the frame (frame.len). */
  origLen = 0;
  linkType = 1;
  ifIndex = 0;
  tsSec = 0;
  tsNsec = 0;

  // ---- link layer ----
  /** Offset of the Ethernet header (dst MAC at +0, src MAC at +6), or -1. */
  ethOff = -1;
  /** Final ethertype after VLAN tags (or the SLL/NULL protocol mapped to one), or -1. */
  etherType = -1;
  /** Number of VLAN tags seen (802.1Q and 802.1ad). */
  vlanCount = 0;
  /** Outermost VLAN id, or -1. */
  vlanId = -1;
  /** Second (inner) VLAN id, or -1. */
  vlanId2 = -1;

  // ---- network layer ----
  l3: L3 = L3.None;
  /** Offset of the IPv4/IPv6/ARP header, or -1. */
  l3Off = -1;
  /** IPv4 source and destination as unsigned 32-bit numbers. */
  ip4Src = 0;
  ip4Dst = 0;
  /** IPv6 source/destination as four big-endian 32-bit words each. */
  readonly ip6Src = new Uint32Array(4);
  readonly ip6Dst = new Uint32Array(4);
  /** Transport protocol number (IPv4 protocol, or the last IPv6 next-header), or -1. */
  ipProto = -1;
  /** IPv4 TTL or IPv6 hop limit, or -1. */
  ipTtl = -1;
  /** IPv4 total length or IPv6 payload length + 40 (ip.len), or -1. */
  ipLen = -1;
  /** IPv4 header length in bytes, or -1. */
  ipHdrLen = -1;
  /** IPv4 identification or IPv6 fragment identification, or -1. */
  ipId = -1;
  /** IPv4 DF flag. */
  ipDf = 0;
  /** IPv4/IPv6 more-fragments flag. */
  ipMf = 0;
  /** Fragment offset in bytes, or 0 (Wireshark 4.0 shows ip.frag_offset in 8-byte units; the filter divides). */
  ipFragOffset = 0;
  /** True when this is a fragment other than the first (no transport header). */
  isLaterFragment = false;
  /** IPv6 next header field of the fixed header (ipv6.nxt), or -1. */
  ip6Nxt = -1;
  /** Bit set of IPv6 extension headers seen: 1 hop-by-hop, 2 routing, 4 fragment, 8 dest-opts, 16 AH, 32 ESP. */
  ip6Ext = 0;

  // ---- ARP ----
  arpOp = -1;
  /** Sender and target protocol (IPv4) addresses. */
  arpSpa = 0;
  arpTpa = 0;

  // ---- transport layer ----
  /** Offset of the TCP/UDP/ICMP/SCTP/GRE header, or -1. */
  l4Off = -1;
  srcPort = -1;
  dstPort = -1;
  /** TCP flags byte (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128) plus NS as 256. */
  tcpFlags = 0;
  tcpSeq = -1;
  tcpAck = -1;
  tcpWin = -1;
  tcpHdrLen = -1;
  /** UDP length field, or -1. */
  udpLen = -1;
  icmpType = -1;
  icmpCode = -1;

  // ---- payload ----
  /** Offset of the transport payload (application data), or -1. */
  payloadOff = -1;
  /** Captured payload bytes available at payloadOff. */
  payloadLen = 0;
  /** Payload length according to the headers (tcp.len / UDP length - 8). */
  payloadWireLen = 0;

  // ---- summary ----
  /** Protocol hierarchy id (see ProtoPaths); 0 = empty path. */
  pathId = 0;
  /** Deepest protocol decoded (a Proto code). */
  topProto = 0;
  /** Malformed reason (Malformed enum); 0 when the packet decoded cleanly. */
  malformed = 0;

  /** Copy the frame fields from a record (decode() calls this first). */
  setFrame(r: PacketRecord): void {
    this.buf = r.buf;
    this.frameOff = r.off;
    this.capLen = r.capLen;
    this.origLen = r.origLen;
    this.linkType = r.linkType;
    this.ifIndex = r.ifIndex;
    this.tsSec = r.tsSec;
    this.tsNsec = r.tsNsec;
  }

  /** Reset every decoded field; frame fields are left to setFrame(). */
  reset(): void {
    // Only an IPv6 packet sets the address words (all of them), so they need
    // clearing only after one: two fill() calls per packet were ~5% of decode.
    if (this.l3 === L3.IPv6) {
      this.ip6Src.fill(0);
      this.ip6Dst.fill(0);
    }
    this.ethOff = -1;
    this.etherType = -1;
    this.vlanCount = 0;
    this.vlanId = -1;
    this.vlanId2 = -1;
    this.l3 = L3.None;
    this.l3Off = -1;
    this.ip4Src = 0;
    this.ip4Dst = 0;
    this.ipProto = -1;
    this.ipTtl = -1;
    this.ipLen = -1;
    this.ipHdrLen = -1;
    this.ipId = -1;
    this.ipDf = 0;
    this.ipMf = 0;
    this.ipFragOffset = 0;
    this.isLaterFragment = false;
    this.ip6Nxt = -1;
    this.ip6Ext = 0;
    this.arpOp = -1;
    this.arpSpa = 0;
    this.arpTpa = 0;
    this.l4Off = -1;
    this.srcPort = -1;
    this.dstPort = -1;
    this.tcpFlags = 0;
    this.tcpSeq = -1;
    this.tcpAck = -1;
    this.tcpWin = -1;
    this.tcpHdrLen = -1;
    this.udpLen = -1;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.payloadOff = -1;
    this.payloadLen = 0;
    this.payloadWireLen = 0;
    this.pathId = 0;
    this.topProto = 0;
    this.malformed = 0;
  }

  get time(): number {
    return this.tsSec + this.tsNsec / 1e9;
  }
}
