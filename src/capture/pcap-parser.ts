import type { ByteQueue } from './byte-queue.js';
import type { PacketRecord } from './record.js';
import type { WarningLog } from './warning-log.js';
import { MAX_CAPLEN, noteLinkType, u32 } from './parser.js';

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: 8 more bytes per record header. */
const MAGIC_KUZNETZOV = 0xa1b2cd34;
/** How far ahead to look for the next plausible record after a bogus caplen. */
const RESYNC_WINDOW = 256 * 1024;
/** A resynced record must be within this many seconds of the last good one. */
const RESYNC_MAX_SKEW = 7 * 86400;

export function isPcapMagic(b: Uint8Array, o: number): boolean {
  const le = u32(b, o, true);
  const be = u32(b, o, false);
  return [MAGIC_US, MAGIC_NS, MAGIC_KUZNETZOV].some((m) => m === le || m === be);
}

/**
 * libpcap savefile reader (µs and ns magics, both byte orders). A record with
 * an impossible caplen is skipped by scanning for the next plausible record
 * header; when none is found the reader stops with a warning, as libpcap does.
 */
export class PcapParser {
  truncated = false;
  stopped = false;
  readonly linkTypes: number[] = [];
  private haveHeader = false;
  private le = true;
  private nano = false;
  private hdrLen = 16;
  private snaplen = 0;
  private linkType = 1;
  private lastSec = -1;

  constructor(private readonly warnings: WarningLog) {}

  next(q: ByteQueue, rec: PacketRecord, eof: boolean): boolean {
    if (this.stopped) return false;
    if (!this.haveHeader && !this.readHeader(q, eof)) return false;
    for (;;) {
      const b = q.buf;
      const o = q.pos;
      if (q.avail < this.hdrLen) {
        if (eof && q.avail > 0) this.cut(q);
        return false;
      }
      const le = this.le;
      let sec = u32(b, o, le);
      let frac = u32(b, o + 4, le);
      const capLen = u32(b, o + 8, le);
      let origLen = u32(b, o + 12, le);
      if (capLen > MAX_CAPLEN) {
        if (!this.resync(q, eof, capLen)) return false;
        continue;
      }
      if (q.avail < this.hdrLen + capLen) {
        if (eof) this.cut(q);
        return false;
      }
      const w = this.warnings;
      if (this.snaplen > 0 && capLen > this.snaplen && !w.repeat('pcap-snaplen')) {
        w.add('pcap-snaplen', `record at byte ${q.offset} has caplen ${capLen} > snaplen ${this.snaplen}`);
      }
      if (origLen < capLen) {
        if (!w.repeat('pcap-origlen')) w.add('pcap-origlen', `record at byte ${q.offset} has wire length ${origLen} < caplen ${capLen}`);
        origLen = capLen;
      }
      const unit = this.nano ? 1e9 : 1e6;
      if (frac >= unit) {
        const kind = this.nano ? 'pcap-ns' : 'pcap-us';
        const what = this.nano ? 'nanosecond' : 'microsecond';
        if (!w.repeat(kind)) w.add(kind, `record at byte ${q.offset} has an invalid ${what} field ${frac} (normalised)`);
        sec += Math.floor(frac / unit);
        frac %= unit;
      }
      rec.buf = b;
      rec.chunk = q.seq;
      rec.chunkEnd = q.end;
      rec.off = o + this.hdrLen;
      rec.capLen = capLen;
      rec.origLen = origLen;
      rec.linkType = this.linkType;
      rec.ifIndex = 0;
      rec.tsSec = sec;
      rec.tsNsec = this.nano ? frac : frac * 1000;
      this.lastSec = sec;
      q.skip(this.hdrLen + capLen);
      return true;
    }
  }

  private readHeader(q: ByteQueue, eof: boolean): boolean {
    if (q.avail < 24) {
      if (eof) {
        this.truncated = true;
        this.stopped = true;
        this.warnings.add('truncated', `truncated capture: pcap file header cut at byte ${q.base + q.end}`);
      }
      return false;
    }
    const b = q.buf;
    const o = q.pos;
    const magicLe = u32(b, o, true);
    this.le = magicLe === MAGIC_US || magicLe === MAGIC_NS || magicLe === MAGIC_KUZNETZOV;
    const magic = u32(b, o, this.le);
    this.nano = magic === MAGIC_NS;
    this.hdrLen = magic === MAGIC_KUZNETZOV ? 24 : 16;
    this.snaplen = u32(b, o + 16, this.le);
    const rawLink = u32(b, o + 20, this.le);
    // The upper bits carry the FCS length and reserved flags (pcap spec, LinkType field).
    this.linkType = rawLink & 0xffff;
    noteLinkType(this.linkTypes, this.linkType);
    q.skip(24);
    this.haveHeader = true;
    return true;
  }

  private cut(q: ByteQueue): void {
    this.truncated = true;
    this.stopped = true;
    this.warnings.add(
      'truncated',
      `truncated capture: last record (starting at byte ${q.offset}) cut at byte ${q.base + q.end}`,
    );
    q.clear();
  }

  /** Skip to the next plausible record header after a bogus one; false = wait for data or stopped. */
  private resync(q: ByteQueue, eof: boolean, badCapLen: number): boolean {
    if (!eof && q.avail < RESYNC_WINDOW) return false;
    const start = q.offset;
    const limit = Math.min(q.avail, RESYNC_WINDOW);
    for (let d = 1; d + this.hdrLen <= limit; d++) {
      const verdict = this.plausibleAt(q, q.pos + d, eof, 2);
      if (verdict) {
        q.skip(d);
        this.warnings.add(
          'pcap-resync',
          `record at byte ${start} claims caplen ${badCapLen} > ${MAX_CAPLEN}; skipped ${d} bytes to the next plausible record`,
        );
        return true;
      }
    }
    this.stopped = true;
    this.warnings.add(
      'pcap-bad-caplen',
      `record at byte ${start} claims caplen ${badCapLen} > ${MAX_CAPLEN} and no later record could be found; stopped reading`,
    );
    q.clear();
    return false;
  }

  private plausibleAt(q: ByteQueue, o: number, eof: boolean, depth: number): boolean {
    if (o === q.end) return eof;
    if (o + this.hdrLen > q.end) return false;
    const b = q.buf;
    const sec = u32(b, o, this.le);
    const frac = u32(b, o + 4, this.le);
    const capLen = u32(b, o + 8, this.le);
    const origLen = u32(b, o + 12, this.le);
    const maxCap = this.snaplen > 0 ? Math.min(this.snaplen, MAX_CAPLEN) : MAX_CAPLEN;
    if (capLen > maxCap || origLen < capLen || origLen === 0 || origLen > MAX_CAPLEN) return false;
    if (frac >= (this.nano ? 1e9 : 1e6)) return false;
    if (this.lastSec >= 0 && Math.abs(sec - this.lastSec) > RESYNC_MAX_SKEW) return false;
    if (depth <= 1) return true;
    return this.plausibleAt(q, o + this.hdrLen + capLen, eof, depth - 1);
  }
}
