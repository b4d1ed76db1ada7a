import { L3, type DecodedPacket } from '../decode/packet.js';
import { endpointHash, fmix32 } from './flow-hash.js';
import { K, K_A, K_APORT, K_B, K_BPORT, K_HASH, K_META, K_VLANS } from './flow-records.js';

/**
 * Hash a packet's flow key and probe the flow table's open-addressing index.
 * Returns slot * 2 + direction (0: the packet goes a->b as the key is stored,
 * 1: b->a); -2 when no flow holds the key, which is then written to `miss`
 * (hash, meta, VLANs, ports, address words: what a new slot gets, so nothing
 * is passed on as boxed arguments); -1 when the packet has no IP layer.
 * One small-integer result keeps the call allocation-free.
 */
export function probeFlow(p: DecodedPacket, key: Int32Array, index: Int32Array, mask: number, miss: Int32Array): number {
  const l3 = p.l3;
  if (l3 !== L3.IPv4 && l3 !== L3.IPv6) return -1;
  let s0: number, s1 = 0, s2 = 0, s3 = 0, d0: number, d1 = 0, d2 = 0, d3 = 0;
  if (l3 === L3.IPv4) {
    s0 = p.ip4Src | 0;
    d0 = p.ip4Dst | 0;
  } else {
    const s = p.ip6Src, d = p.ip6Dst;
    s0 = s[0]! | 0; s1 = s[1]! | 0; s2 = s[2]! | 0; s3 = s[3]! | 0;
    d0 = d[0]! | 0; d1 = d[1]! | 0; d2 = d[2]! | 0; d3 = d[3]! | 0;
  }
  const proto = p.ipProto;
  const sp = p.srcPort, dp = p.dstPort;
  const v1 = p.vlanId, v2 = p.vlanId2;
  const vlans = ((v1 + 1) & 0x1fff) | (((v2 + 1) & 0x1fff) << 13);
  const h = fmix32(
    (endpointHash(s0, s1, s2, s3, sp) + endpointHash(d0, d1, d2, d3, dp)) ^
      Math.imul(proto + 1, 0x27d4eb2f) ^
      Math.imul(v1 + 2, 0x165667b1) ^
      (v2 + 1),
  );
  const meta = l3 | ((proto + 1) << 8);
  for (let i = h & mask; ; i = (i + 1) & mask) {
    const c = index[i]!;
    if (c < 0) break;
    const k = c * K;
    if (key[k + K_HASH] === h && key[k + K_META] === meta && key[k + K_VLANS] === vlans) {
      if (key[k + K_APORT] === sp && key[k + K_BPORT] === dp &&
          key[k + K_A] === s0 && key[k + K_A + 1] === s1 && key[k + K_A + 2] === s2 && key[k + K_A + 3] === s3 &&
          key[k + K_B] === d0 && key[k + K_B + 1] === d1 && key[k + K_B + 2] === d2 && key[k + K_B + 3] === d3) {
        return c << 1;
      }
      if (key[k + K_APORT] === dp && key[k + K_BPORT] === sp &&
          key[k + K_A] === d0 && key[k + K_A + 1] === d1 && key[k + K_A + 2] === d2 && key[k + K_A + 3] === d3 &&
          key[k + K_B] === s0 && key[k + K_B + 1] === s1 && key[k + K_B + 2] === s2 && key[k + K_B + 3] === s3) {
        return (c << 1) | 1;
      }
    }
  }
  miss[K_HASH] = h;
  miss[K_META] = meta;
  miss[K_VLANS] = vlans;
  miss[K_APORT] = sp;
  miss[K_BPORT] = dp;
  miss[K_A] = s0; miss[K_A + 1] = s1; miss[K_A + 2] = s2; miss[K_A + 3] = s3;
  miss[K_B] = d0; miss[K_B + 1] = d1; miss[K_B + 2] = d2; miss[K_B + 3] = d3;
  return -2;
}
