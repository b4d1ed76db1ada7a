import { closeSync, openSync, statSync } from 'node:fs';
import type { DecodedPacket } from '../decode/packet.js';
import { CaptureError } from './capture-error.js';
import { PcapWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { linkTypeName } from './record.js';

/** Do two paths name one existing file? */
function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * `-w FILE`: packets written as they are read, in 1 MiB writes and at least
 * once a second of capture time, so the file can be read while it grows.
 * Format: classic pcap with nanosecond timestamps (what `tcpdump -w
 * --time-stamp-precision=nano` writes), or pcapng (nanosecond interfaces, one
 * per link type) when the name ends in `.pcapng`. A pcap file holds one link
 * type, that of the first packet: packets of another (a pcapng input with mixed
 * interfaces) are counted in `skipped`, not written. A failed write (disk full)
 * stops the writing: `error` says why, and the capture goes on. Per packet it
 * allocates nothing. Use it as an engine observer: before the display filter
 * it sees every captured packet, after it the packets counted.
 */
export class CaptureWriter {
  written = 0;
  skipped = 0;
  /** Link type of the first packet not written for its link type (-1 none). */
  private skippedType = -1;
  error: string | null = null;
  private pcap: PcapWriter | null = null;
  /** pcapng mode: the writer, and the interface made for each link type seen (parallel arrays). */
  private readonly ng: PcapngWriter | null;
  private readonly ngTypes: number[] = [];
  private readonly ngIfaces: number[] = [];
  private closed = false;

  /** Told once when packets start being skipped and when writing stops (a line for the user). */
  onProblem: ((line: string) => void) | null = null;

  private constructor(readonly path: string, private readonly fd: number) {
    this.ng = /\.pcapng$/i.test(path) ? new PcapngWriter({ userAppl: 'wiretop' }, fd) : null;
  }

  /**
   * Create (truncate) `path`; a CaptureError (exit code `exitCode`) when it cannot be, or when it
   * is the capture file being read (`input`).
   */
  static open(path: string, exitCode = 1, input?: string): CaptureWriter {
    if (path === '' || path === '-') throw new CaptureError(`-w needs a file name (${path === '-' ? 'stdout is the report or the screen' : 'none given'})`, exitCode);
    if (input !== undefined && input !== '-' && sameFile(path, input)) throw new CaptureError(`-w ${path} would overwrite the capture being read`, exitCode);
    try {
      return new CaptureWriter(path, openSync(path, 'w'));
    } catch (e) {
      throw new CaptureError(`-w: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, exitCode);
    }
  }

  onPacket(p: DecodedPacket): void {
    if (this.error !== null || this.closed) return;
    if (this.ng !== null) {
      this.onPacketNg(this.ng, p);
      return;
    }
    let w = this.pcap;
    if (w === null) w = this.start(p.linkType);
    else if (p.linkType !== w.linkType) {
      if (this.skipped++ === 0) {
        this.skippedType = p.linkType;
        this.onProblem?.(`-w ${this.path}: ${this.skippedText()}`);
      }
      return;
    }
    try {
      w.writeFrame(p.tsSec, p.tsNsec, p.buf, p.frameOff, p.capLen, p.origLen);
      this.written++;
    } catch (e) {
      this.fail(e);
    }
  }

  private onPacketNg(ng: PcapngWriter, p: DecodedPacket): void {
    try {
      let k = this.ngTypes.indexOf(p.linkType);
      if (k < 0) {
        k = this.ngTypes.length;
        this.ngTypes.push(p.linkType);
        this.ngIfaces.push(ng.addInterface({ linkType: p.linkType, tsresol: 9 }));
      }
      ng.writeFrame(this.ngIfaces[k]!, p.tsSec, p.tsNsec, p.buf, p.frameOff, p.capLen, p.origLen);
      this.written++;
    } catch (e) {
      this.fail(e);
    }
  }

  /** Once a second of capture time: what is buffered goes to the file. */
  onTick(): void {
    this.flush();
  }

  /** Flush and close; an empty capture still gets a pcap header (Ethernet unless `linkType` says). */
  close(linkType = 1): void {
    if (this.closed) return;
    if (this.ng === null && this.pcap === null && this.error === null) this.start(linkType);
    this.flush();
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch (e) {
      this.fail(e);
    }
  }

  /** One line for the end of a capture: what was written, and what was not. */
  summary(): string {
    const parts = [`wrote ${this.written} packet${this.written === 1 ? '' : 's'} to ${this.path}`];
    if (this.skipped > 0) parts.push(`${this.skipped} ${this.skippedText()}`);
    if (this.error !== null) parts.push(`stopped: ${this.error}`);
    return parts.join('; ');
  }

  private skippedText(): string {
    return `not written: link type ${linkTypeName(this.skippedType)} (a pcap file holds one link type, ${linkTypeName(this.pcap!.linkType)}; name the file .pcapng to keep all)`;
  }

  private start(linkType: number): PcapWriter {
    const w = new PcapWriter({ linkType, nanos: true }, this.fd);
    this.pcap = w;
    return w;
  }

  private flush(): void {
    const w = this.ng ?? this.pcap;
    if (this.error !== null || w === null) return;
    try {
      w.flush();
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.error = `${(e as NodeJS.ErrnoException).code ?? 'write error'} after ${this.written} packets`;
    this.onProblem?.(`-w ${this.path}: stopped writing: ${this.error}`);
  }
}
