import type { ProtoPaths } from '../decode/proto-paths.js';
import type { TcpRelativeSeq } from './tcp-rel.js';

/**
 * State a compiled filter reads besides the packet. The engine owns it: it
 * sets `paths` to its Decoder's ProtoPaths (needed for application protocol
 * names) and may set `firstTime`; when `firstTime` is NaN the first packet the
 * filter sees sets it, which is what tshark does for frame.time_relative.
 */
export interface FilterContext {
  /** Timestamp of the first packet of the capture, in seconds since the epoch (NaN: not yet known). */
  firstTime: number;
  /** The decoder's protocol path table, to test application protocols by path. */
  paths: ProtoPaths | null;
  /** Opaque slot for the dissection layer (app-field getters may read it). */
  app: unknown;
  /** Relative TCP sequence numbers, created when a filter uses tcp.seq or tcp.ack. */
  tcpRel: TcpRelativeSeq | null;
  /**
   * First packet time split exactly (filled from `firstTime`, or from the first
   * packet itself); a float of epoch seconds cannot hold nanoseconds, and
   * tshark compares frame.time_relative exactly (0.050 is not < 0.05).
   */
  firstSec: number;
  firstNsec: number;
  /** The `firstTime` that firstSec/firstNsec were derived from. */
  firstFrom: number;
}

export function createFilterContext(init: Partial<FilterContext> = {}): FilterContext {
  return { firstTime: NaN, paths: null, app: undefined, tcpRel: null, firstSec: NaN, firstNsec: 0, firstFrom: NaN, ...init };
}

/** Set the capture's first packet time exactly (what the engine should call on its first packet). */
export function setFirstPacketTime(ctx: FilterContext, tsSec: number, tsNsec: number): void {
  ctx.firstSec = tsSec;
  ctx.firstNsec = tsNsec;
  ctx.firstTime = ctx.firstFrom = tsSec + tsNsec / 1e9;
}
