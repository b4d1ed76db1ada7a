import type { PacketRecord } from '../capture/record.js';
import { DecodedPacket, Malformed } from './packet.js';
import { ProtoPaths } from './proto-paths.js';
import { FragTracker } from './frag-tracker.js';
import { PathCache } from './path-cache.js';
import type { DecodeCtx } from './ctx.js';
import { decodeEthernet } from './ethernet.js';
import { decodeNull, decodeRaw, decodeSll } from './link-cooked.js';

export interface DecoderOptions {
  /** Shared path interner (the engine's), or a new one. */
  readonly paths?: ProtoPaths;
  /** Slots in the fragment tracker (first-fragment ports remembered at once). */
  readonly fragCapacity?: number;
}

/**
 * Decodes a PacketRecord into a reused DecodedPacket, in place and without
 * allocating. Bad input never throws: `out.malformed` says why decoding
 * stopped and every field decoded before that point is kept.
 *
 * Choices worth knowing:
 * - IPv4/IPv6 addresses (and l3) are set as soon as 20/40 bytes with the right
 *   version are captured, even if IHL, total length or the transport are bad,
 *   so damaged packets still count toward their address pair.
 * - A length field past the captured bytes is snaplen (not malformed); past
 *   the frame's wire length it is damage (IPv4BadTotalLength / BadLength) and
 *   the transport sees only the wire bytes, as Wireshark's tcp.len does.
 * - Later fragments end the path at ipv4/ipv6 (no transport header); their
 *   ports come from the fragment tracker when the first fragment was seen.
 * - Tunnels (GRE, IP-in-IP) are counted but not entered: the outer header is
 *   the flow. ICMP errors are not entered either (ports stay -1).
 * - Truncation inside a header is always malformed, including a snaplen cut.
 */
export class Decoder implements DecodeCtx {
  readonly paths: ProtoPaths;
  readonly frags: FragTracker;
  readonly pathCache = new PathCache();

  /** Takes options, or just the engine's ProtoPaths. */
  constructor(opts: DecoderOptions | ProtoPaths = {}) {
    const o: DecoderOptions = opts instanceof ProtoPaths ? { paths: opts } : opts;
    this.paths = o.paths ?? new ProtoPaths();
    this.frags = new FragTracker(o.fragCapacity ?? 65536);
  }

  /** Forget the first fragments seen (Runtime's ring replay decodes the capture again from its start). */
  reset(): void {
    this.frags.clear();
  }

  decode(r: PacketRecord, out: DecodedPacket): void {
    out.setFrame(r);
    out.reset();
    const b = r.buf;
    const o = r.off;
    // A source that lies about capLen must not make us read past the buffer.
    let end = o + r.capLen;
    if (end > b.length) end = b.length;
    if (!(o >= 0) || end < o) {
      out.malformed = Malformed.LinkTruncated;
      return;
    }
    const wireEnd = o + (r.origLen > r.capLen ? r.origLen : r.capLen);
    try {
      switch (r.linkType) {
        case 1:
          decodeEthernet(this, out, b, o, end, wireEnd);
          return;
        case 113:
          decodeSll(this, out, b, o, end, wireEnd, false);
          return;
        case 276:
          decodeSll(this, out, b, o, end, wireEnd, true);
          return;
        case 0:
        case 108:
          decodeNull(this, out, b, o, end, wireEnd);
          return;
        case 101:
        case 12:
        case 14:
          decodeRaw(this, out, b, o, end, wireEnd, 0);
          return;
        case 228:
          decodeRaw(this, out, b, o, end, wireEnd, 4);
          return;
        case 229:
          decodeRaw(this, out, b, o, end, wireEnd, 6);
          return;
        default:
          out.malformed = Malformed.UnsupportedLink;
          return;
      }
    } catch {
      // Every read is bounds-checked, so this is a bug; count it rather than kill the capture.
      out.malformed = Malformed.Internal;
    }
  }
}
