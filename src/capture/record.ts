/**
 * One captured packet as every source yields it. Sources fill a single reused
 * record per read loop instead of allocating one per packet: `buf` is the
 * source's own buffer and the bytes are valid only until the next call.
 */
export class PacketRecord {
  /** Buffer holding the packet; the packet is buf[off .. off + capLen). */
  buf: Uint8Array = EMPTY;
  off = 0;
  capLen = 0;
  /** Length on the wire (pcap orig_len, pcapng original length). */
  origLen = 0;
  /** LINKTYPE_* value (already masked to its low 16 bits). */
  linkType = 1;
  /** pcapng interface index (0 for pcap and live). */
  ifIndex = 0;
  /** Whole seconds since the Unix epoch. */
  tsSec = 0;
  /** Nanoseconds within the second, 0..999_999_999. */
  tsNsec = 0;
  /**
   * Identifies the content of `buf` (a fed chunk, see ByteQueue.seq): records
   * with the same nonzero `chunk` and `buf` point into the same unchanged bytes,
   * buf[.. chunkEnd), until the source moves on. 0 = a one-off buffer (live
   * capture, tests). Lets the PacketRing copy a chunk once instead of each packet.
   */
  chunk = 0;
  chunkEnd = 0;

  /** Timestamp as float seconds (loses sub-microsecond precision; display only). */
  get time(): number {
    return this.tsSec + this.tsNsec / 1e9;
  }

  copyFrom(o: PacketRecord): void {
    this.buf = o.buf;
    this.off = o.off;
    this.capLen = o.capLen;
    this.origLen = o.origLen;
    this.linkType = o.linkType;
    this.ifIndex = o.ifIndex;
    this.tsSec = o.tsSec;
    this.tsNsec = o.tsNsec;
    this.chunk = o.chunk;
    this.chunkEnd = o.chunkEnd;
  }
}

const EMPTY = new Uint8Array(0);

/** Link types wiretop decodes, with the names tshark/libpcap use. */
export const LINKTYPE = {
  NULL: 0,
  EN10MB: 1,
  RAW: 101,
  RAW_BSD: 12,
  RAW_OPENBSD: 14,
  LOOP: 108,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
  IPV4: 228,
  IPV6: 229,
} as const;

const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'EN10MB',
  12: 'RAW',
  14: 'RAW',
  101: 'RAW',
  108: 'LOOP',
  113: 'LINUX_SLL',
  276: 'LINUX_SLL2',
  228: 'IPV4',
  229: 'IPV6',
};

export function linkTypeName(lt: number): string {
  return LINKTYPE_NAMES[lt] ?? `LINKTYPE_${lt}`;
}
