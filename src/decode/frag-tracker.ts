/**
 * Remembers the ports of first fragments so that later fragments of the same
 * datagram (which carry no transport header) can be counted toward the right
 * flow. Keys are (src, dst, id, proto); IPv6 addresses are folded to 32-bit
 * hashes first, so two IPv6 datagrams can very rarely share a key.
 *
 * The table is a fixed set-associative cache in typed arrays: a key hashes to
 * one bucket of WAYS slots and an insert replaces the oldest slot in that
 * bucket. Memory is bounded and nothing is allocated per packet; a datagram
 * whose entry was evicted simply gets ports -1 for its later fragments.
 */
const WAYS = 4;

export class FragTracker {
  private readonly bucketMask: number;
  private readonly src: Uint32Array;
  private readonly dst: Uint32Array;
  private readonly id: Uint32Array;
  /** proto + 1, so 0 marks an empty slot. */
  private readonly proto: Uint16Array;
  private readonly ports: Uint32Array;
  private readonly stamp: Float64Array;
  private clock = 0;

  /** `capacity` is rounded up to a power of two of at least WAYS slots. */
  constructor(capacity = 65536) {
    let n = WAYS;
    while (n < capacity && n < 1 << 24) n <<= 1;
    this.bucketMask = n / WAYS - 1;
    this.src = new Uint32Array(n);
    this.dst = new Uint32Array(n);
    this.id = new Uint32Array(n);
    this.proto = new Uint16Array(n);
    this.ports = new Uint32Array(n);
    this.stamp = new Float64Array(n);
  }

  get capacity(): number {
    return this.src.length;
  }

  remember(src: number, dst: number, id: number, proto: number, srcPort: number, dstPort: number): void {
    const base = this.bucket(src, dst, id, proto);
    let victim = base;
    for (let i = base; i < base + WAYS; i++) {
      if (this.matches(i, src, dst, id, proto)) {
        victim = i;
        break;
      }
      if (this.stamp[i]! < this.stamp[victim]!) victim = i;
    }
    this.src[victim] = src;
    this.dst[victim] = dst;
    this.id[victim] = id;
    this.proto[victim] = proto + 1;
    this.ports[victim] = ((srcPort & 0xffff) << 16 | (dstPort & 0xffff)) >>> 0;
    this.stamp[victim] = ++this.clock;
  }

  /** Packed ports (src << 16 | dst) of a remembered first fragment, or -1. */
  lookup(src: number, dst: number, id: number, proto: number): number {
    const base = this.bucket(src, dst, id, proto);
    for (let i = base; i < base + WAYS; i++) {
      if (this.matches(i, src, dst, id, proto)) return this.ports[i]!;
    }
    return -1;
  }

  clear(): void {
    this.proto.fill(0);
    this.stamp.fill(0);
    this.clock = 0;
  }

  private matches(i: number, src: number, dst: number, id: number, proto: number): boolean {
    return this.proto[i] === proto + 1 && this.id[i] === id && this.src[i] === src && this.dst[i] === dst;
  }

  private bucket(src: number, dst: number, id: number, proto: number): number {
    let h = mix32(src ^ Math.imul(dst, 0x9e3779b1));
    h = mix32(h ^ id ^ (proto << 24));
    return (h & this.bucketMask) * WAYS;
  }
}

/** murmur3 finaliser: spreads the bits of a 32-bit value. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Folds an IPv6 address (four words) to 32 bits for the fragment key. */
export function hashWords(w: Uint32Array): number {
  let h = mix32(w[0]! ^ 0x6b43a9b5);
  h = mix32(h ^ w[1]!);
  h = mix32(h ^ w[2]!);
  return mix32(h ^ w[3]!);
}
