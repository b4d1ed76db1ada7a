import type { DecodedPacket } from './packet.js';
import type { ProtoPaths } from './proto-paths.js';
import type { FragTracker } from './frag-tracker.js';
import type { PathCache } from './path-cache.js';

/** What the layer decoders share: the path interner and its memo, the fragment tracker (the Decoder itself). */
export interface DecodeCtx {
  readonly paths: ProtoPaths;
  readonly pathCache: PathCache;
  readonly frags: FragTracker;
}

/** Extend the packet's protocol path by one layer and make it the top protocol. */
export function push(c: DecodeCtx, out: DecodedPacket, proto: number, sub = 0): void {
  out.pathId = c.pathCache.child(c.paths, out.pathId, proto, sub);
  out.topProto = proto;
}
