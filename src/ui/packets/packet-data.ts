import type { FieldNode } from '../../dissect/tree.js';

export type { FieldNode };

/**
 * One row of the packet list, as plain data (the wiring formats addresses; `info` is the
 * dissector's one-liner, `packetInfoLine` in src/dissect/info.ts). Strings are escaped when drawn.
 */
export interface PacketSummary {
  /** 1-based frame number. */
  readonly no: number;
  /** Seconds since the first packet (tshark's default time column). */
  readonly time: number;
  readonly src: string;
  readonly dst: string;
  readonly proto: string;
  /** Frame length on the wire. */
  readonly len: number;
  readonly info: string;
}

/**
 * The selected packet: its captured bytes (frame start at 0) and its field tree, `packetTree()`
 * from src/dissect/tree.ts, whose `off`/`len` index these bytes (`off` -1: no single byte range).
 */
export interface PacketDetail {
  readonly no: number;
  readonly bytes: Uint8Array;
  readonly tree: readonly FieldNode[];
}

/** Index of packet `no` in a list sorted by number, or -1. */
export function indexOfPacket(list: readonly PacketSummary[], no: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!.no;
    if (v === no) return mid;
    if (v < no) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
