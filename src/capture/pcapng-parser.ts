import type { ByteQueue } from './byte-queue.js';
import type { PacketRecord } from './record.js';
import type { WarningLog } from './warning-log.js';
import { noteLinkType, u16, u32 } from './parser.js';
import { TsResolution } from './pcapng-time.js';

export const SHB_TYPE = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;
const IDB = 1;
const OBSOLETE_PB = 2;
const SPB = 3;
const EPB = 6;
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;
/** Larger blocks are treated as corruption rather than buffered (Wireshark uses 16 MiB). */
const MAX_BLOCK = 16 * 1024 * 1024 + 4096;

interface Iface {
  linkType: number;
  snaplen: number;
  ts: TsResolution;
}

/**
 * pcapng reader: sections in either byte order (interfaces reset per
 * section), IDB with if_tsresol/if_tsoffset, EPB, SPB and the obsolete Packet
 * Block. Every other block (NRB, ISB, custom, DSB, unknown) is skipped by its
 * length. `ifIndex` counts interfaces across sections, like Wireshark's
 * frame.interface_id, so interfaces of different sections stay distinct.
 * SPBs carry no timestamp: they get the previous packet's time so rates stay sane.
 */
export class PcapngParser {
  truncated = false;
  stopped = false;
  readonly linkTypes: number[] = [];
  private le = true;
  private ifaces: Iface[] = [];
  private sectionBase = 0;
  private lastSec = 0;
  private lastNsec = 0;

  constructor(private readonly warnings: WarningLog) {}

  next(q: ByteQueue, rec: PacketRecord, eof: boolean): boolean {
    while (!this.stopped) {
      const b = q.buf;
      const o = q.pos;
      if (q.avail < 12) return this.need(q, eof);
      const type = u32(b, o, this.le);
      if (type === SHB_TYPE && !this.readBom(q)) return false;
      const le = this.le;
      const len = u32(b, o + 4, le);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
        return this.corrupt(q, `pcapng block at byte ${q.offset} has invalid length ${len}; stopped reading`);
      }
      if (q.avail < len) return this.need(q, eof);
      if (u32(b, o + len - 4, le) !== len) {
        if (!this.warnings.repeat('pcapng-trailer')) this.warnings.add('pcapng-trailer', `pcapng block at byte ${q.offset}: trailing length does not match ${len}`);
      }
      let got = false;
      switch (type) {
        case SHB_TYPE:
          this.sectionBase += this.ifaces.length;
          this.ifaces = [];
          break;
        case IDB:
          this.readIdb(q, len);
          break;
        case EPB:
          got = this.readEpb(q, rec, len, u32(b, o + 8, le), 28);
          break;
        case OBSOLETE_PB:
          got = this.readEpb(q, rec, len, u16(b, o + 8, le), 28);
          break;
        case SPB:
          got = this.readSpb(q, rec, len);
          break;
        default:
          break; // NRB, ISB, custom, DSB and unknown blocks: not needed to count traffic
      }
      q.skip(len);
      if (got) return true;
    }
    return false;
  }

  private need(q: ByteQueue, eof: boolean): false {
    if (eof && q.avail > 0) {
      this.truncated = true;
      this.stopped = true;
      this.warnings.add(
        'truncated',
        `truncated capture: last block (starting at byte ${q.offset}) cut at byte ${q.base + q.end}`,
      );
      q.clear();
    }
    return false;
  }

  private corrupt(q: ByteQueue, text: string): false {
    this.stopped = true;
    this.warnings.add('pcapng-corrupt', text);
    q.clear();
    return false;
  }

  private readBom(q: ByteQueue): boolean {
    const bom = u32(q.buf, q.pos + 8, true);
    if (bom === BOM) this.le = true;
    else if (bom === 0x4d3c2b1a) this.le = false;
    else return this.corrupt(q, `pcapng section header at byte ${q.offset} has a bad byte-order magic; stopped reading`);
    return true;
  }

  private readIdb(q: ByteQueue, len: number): void {
    const b = q.buf;
    const o = q.pos;
    const le = this.le;
    const ts = new TsResolution();
    const iface: Iface = { linkType: 1, snaplen: 0, ts };
    if (len < 20) {
      this.warnings.add('pcapng-idb', `interface block at byte ${q.offset} is too short`);
    } else {
      iface.linkType = u16(b, o + 8, le);
      iface.snaplen = u32(b, o + 12, le);
      const end = o + len - 4;
      let p = o + 16;
      while (p + 4 <= end) {
        const code = u16(b, p, le);
        const olen = u16(b, p + 2, le);
        const v = p + 4;
        if (code === 0 || v + olen > end) break;
        if (code === OPT_TSRESOL && olen >= 1) ts.setResol(b[v]!);
        if (code === OPT_TSOFFSET && olen >= 8) {
          const hi = le ? u32(b, v + 4, le) | 0 : u32(b, v, le) | 0;
          const lo = le ? u32(b, v, le) : u32(b, v + 4, le);
          ts.offsetSec = hi * 4294967296 + lo;
        }
        p = v + ((olen + 3) & ~3);
      }
    }
    this.ifaces.push(iface);
    noteLinkType(this.linkTypes, iface.linkType);
  }

  private readEpb(q: ByteQueue, rec: PacketRecord, len: number, ifId: number, dataAt: number): boolean {
    const b = q.buf;
    const o = q.pos;
    const le = this.le;
    if (len < dataAt + 4) {
      if (!this.warnings.repeat('pcapng-short')) this.warnings.add('pcapng-short', `packet block at byte ${q.offset} is too short; skipped`);
      return false;
    }
    const iface = this.ifaces[ifId];
    if (iface === undefined) {
      if (!this.warnings.repeat('pcapng-ifid')) this.warnings.add('pcapng-ifid', `packet block at byte ${q.offset} names undefined interface ${ifId}; skipped`);
      return false;
    }
    const capLen = u32(b, o + 20, le);
    if (capLen > len - dataAt - 4) {
      if (!this.warnings.repeat('pcapng-caplen')) this.warnings.add('pcapng-caplen', `packet block at byte ${q.offset} has caplen ${capLen} beyond its block; skipped`);
      return false;
    }
    iface.ts.convert(u32(b, o + 12, le), u32(b, o + 16, le));
    this.lastSec = iface.ts.sec;
    this.lastNsec = iface.ts.nsec;
    const origLen = u32(b, o + 24, le);
    return this.fill(rec, q, o + dataAt, capLen, origLen, iface, ifId);
  }

  private readSpb(q: ByteQueue, rec: PacketRecord, len: number): boolean {
    const iface = this.ifaces[0];
    if (iface === undefined) {
      if (!this.warnings.repeat('pcapng-ifid')) this.warnings.add('pcapng-ifid', `simple packet block at byte ${q.offset} before any interface; skipped`);
      return false;
    }
    const origLen = u32(q.buf, q.pos + 8, this.le);
    let capLen = Math.min(origLen, len - 16);
    if (iface.snaplen > 0 && capLen > iface.snaplen) capLen = iface.snaplen;
    return this.fill(rec, q, q.pos + 12, capLen, origLen, iface, 0);
  }

  private fill(rec: PacketRecord, q: ByteQueue, off: number, capLen: number, origLen: number, iface: Iface, ifId: number): true {
    rec.buf = q.buf;
    rec.chunk = q.seq;
    rec.chunkEnd = q.end;
    rec.off = off;
    rec.capLen = capLen;
    rec.origLen = origLen < capLen ? capLen : origLen;
    rec.linkType = iface.linkType;
    rec.ifIndex = this.sectionBase + ifId;
    rec.tsSec = this.lastSec;
    rec.tsNsec = this.lastNsec;
    return true;
  }
}
