import { ByteQueue } from './byte-queue.js';
import { CaptureError } from './capture-error.js';
import type { CaptureFormat, CaptureParser } from './parser.js';
import { u32 } from './parser.js';
import { isPcapMagic, PcapParser } from './pcap-parser.js';
import { PcapngParser, SHB_TYPE } from './pcapng-parser.js';
import type { PacketRecord } from './record.js';
import { WarningLog } from './warning-log.js';

export const NOT_A_CAPTURE = 'not a pcap or pcapng file';
/** Chosen over NOT_A_CAPTURE for 0-byte input, because "empty" tells the user more. */
export const EMPTY_FILE = 'empty file: no pcap or pcapng data';

const MAGICS = [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34, SHB_TYPE];

/** Which format the first four bytes announce, or null. */
export function detectFormat(b: Uint8Array, o = 0): CaptureFormat | null {
  if (b.length - o < 4) return null;
  if (u32(b, o, true) === SHB_TYPE) return 'pcapng';
  return isPcapMagic(b, o) ? 'pcap' : null;
}

/** True when `n` leading bytes could still be the start of some capture magic. */
function couldBeMagic(b: Uint8Array, o: number, n: number): boolean {
  const want = new Uint8Array(4);
  return MAGICS.some((m) =>
    [true, false].some((le) => {
      for (let i = 0; i < 4; i++) want[i] = le ? (m >>> (8 * i)) & 0xff : (m >>> (8 * (3 - i))) & 0xff;
      for (let i = 0; i < n; i++) if (b[o + i] !== want[i]) return false;
      return true;
    }),
  );
}

interface FormatParser {
  truncated: boolean;
  stopped: boolean;
  readonly linkTypes: number[];
  next(q: ByteQueue, rec: PacketRecord, eof: boolean): boolean;
}

class AutoParser implements CaptureParser {
  readonly warnings: WarningLog;
  format: CaptureFormat | null = null;
  private readonly q = new ByteQueue();
  private inner: FormatParser | null = null;
  private eof = false;
  private shortTruncated = false;

  constructor(warnings?: WarningLog) {
    this.warnings = warnings ?? new WarningLog();
  }

  get truncated(): boolean {
    return this.shortTruncated || (this.inner?.truncated ?? false);
  }

  get stopped(): boolean {
    return this.shortTruncated || (this.inner?.stopped ?? false);
  }

  get linkTypes(): readonly number[] {
    return this.inner?.linkTypes ?? [];
  }

  /** Bytes fed so far. */
  get bytesFed(): number {
    return this.q.fed;
  }

  feed(chunk: Buffer): void {
    this.q.push(chunk);
  }

  end(): void {
    this.eof = true;
  }

  next(rec: PacketRecord): boolean {
    if (this.inner === null && !this.detect()) return false;
    return this.inner!.next(this.q, rec, this.eof);
  }

  private detect(): boolean {
    const q = this.q;
    if (q.avail < 4) {
      if (!this.eof || this.shortTruncated) return false;
      if (q.fed === 0) throw new CaptureError(EMPTY_FILE);
      if (!couldBeMagic(q.buf, q.pos, q.avail)) throw new CaptureError(NOT_A_CAPTURE);
      this.shortTruncated = true;
      this.warnings.add('truncated', `truncated capture: file header cut at byte ${q.fed}`);
      return false;
    }
    this.format = detectFormat(q.buf, q.pos);
    if (this.format === null) throw new CaptureError(NOT_A_CAPTURE);
    this.inner = this.format === 'pcap' ? new PcapParser(this.warnings) : new PcapngParser(this.warnings);
    return true;
  }
}

export type AutoCaptureParser = CaptureParser & { readonly bytesFed: number };

/** A parser that detects pcap or pcapng from the first bytes fed. */
export function createCaptureParser(warnings?: WarningLog): AutoCaptureParser {
  return new AutoParser(warnings);
}
