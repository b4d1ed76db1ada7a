import type { PacketRecord } from './record.js';
import type { WarningLog } from './warning-log.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/**
 * A pull parser over a capture byte stream. Callers feed chunks and pull
 * packets into one reused record; nothing is allocated per packet.
 *
 *   parser.feed(chunk); while (parser.next(rec)) use(rec);   // per chunk
 *   parser.end();       while (parser.next(rec)) use(rec);   // at EOF
 *
 * `next` returns false when it needs more data (or, after `end`, when the
 * stream is finished). The record points into the parser's buffer and is valid
 * until the next call to `next` or `feed`. `next` throws `CaptureError` only
 * when the input is not a capture at all; damage inside a capture becomes a
 * warning and, if the parser cannot continue, `stopped`.
 */
export interface CaptureParser {
  feed(chunk: Buffer): void;
  next(rec: PacketRecord): boolean;
  end(): void;
  readonly format: CaptureFormat | null;
  readonly warnings: WarningLog;
  /** The stream ended inside a header or record. */
  readonly truncated: boolean;
  /** The parser gave up on a corrupt stream (a warning says why). */
  readonly stopped: boolean;
  /** Link types seen so far (LINKTYPE numbers, in first-seen order). */
  readonly linkTypes: readonly number[];
}

/** Largest packet libpcap and Wireshark accept (WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_CAPLEN = 262144;

export function u16(b: Uint8Array, o: number, le: boolean): number {
  return le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
}

export function u32(b: Uint8Array, o: number, le: boolean): number {
  return le
    ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0
    : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function noteLinkType(list: number[], lt: number): void {
  if (list.indexOf(lt) < 0) list.push(lt);
}
