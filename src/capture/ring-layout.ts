import type { RingKey, RingMeta } from './ring-key.js';

/*
 * Entries of the PacketRing's buffer, in 32-bit words. Word 0 is the entry's
 * size in bytes (a multiple of 4); its low bit marks a chunk copy.
 *
 * Packet record: a fixed header, 0/2/8 address words, 3 words of TCP numbers
 * when TYPE_TCP is set (seq, ack, scale + 2), then (only when the packet was
 * copied on its own) its bytes at the source's alignment mod 4.
 * Chunk copy: word 0, then a run of a source chunk's bytes that packet records
 * after it point into.
 */
export const W_SIZE = 0;
export const W_SEC = 1;
export const W_NSEC = 2;
export const W_CAPLEN = 3;
export const W_ORIGLEN = 4;
export const W_TYPE = 5; // linkType (16) | ipVersion (4) << 16 | TYPE_TCP | proto (8) << 24
/** In W_TYPE: the record carries the key's TCP numbers after the address words. */
export const TYPE_TCP = 1 << 20;
export const W_PORTS = 6; // srcPort << 16 | dstPort
export const W_SLOT = 7; // flowSlot + 1 (0 = none)
export const W_GEN = 8;
export const W_TAG = 9;
/** Byte offset in the ring of the packet's bytes (behind the record, or inside a chunk copy before it). */
export const W_DATA = 10;
export const HEADER_WORDS = 11;
/** Low bit of W_SIZE: the entry is a chunk copy, not a packet. */
export const CHUNK_FLAG = 1;

export function addrWords(ipVersion: number): number {
  return ipVersion === 4 ? 2 : ipVersion === 6 ? 8 : 0;
}

/** Words after the fixed header for a key: addresses, and TCP numbers when it has them. */
export function keyWords(key: RingKey): number {
  return addrWords(key.ipVersion) + (key.tcpSeq >= 0 ? 3 : 0);
}

/** Write the record header of a packet at word `i` (everything but W_SIZE and W_DATA). */
export function writeHeader(w: Uint32Array, i: number, tsSec: number, tsNsec: number, capLen: number, origLen: number, linkType: number, key: RingKey | undefined): void {
  w[i + W_SEC] = tsSec;
  w[i + W_NSEC] = tsNsec;
  w[i + W_CAPLEN] = capLen;
  w[i + W_ORIGLEN] = origLen;
  if (key === undefined) {
    w[i + W_TYPE] = linkType & 0xffff;
    w[i + W_PORTS] = 0;
    w[i + W_SLOT] = 0;
    w[i + W_GEN] = 0;
    w[i + W_TAG] = 0;
    return;
  }
  const ipv = key.ipVersion;
  const tcp = key.tcpSeq >= 0 ? TYPE_TCP : 0;
  w[i + W_TYPE] = ((linkType & 0xffff) | ((ipv & 0xf) << 16) | tcp | ((key.proto & 0xff) << 24)) >>> 0;
  w[i + W_PORTS] = ((key.srcPort & 0xffff) << 16) | (key.dstPort & 0xffff);
  w[i + W_SLOT] = key.flowSlot + 1;
  w[i + W_GEN] = key.flowGen;
  w[i + W_TAG] = key.tag;
  const a = i + HEADER_WORDS;
  const s = key.src;
  const d = key.dst;
  if (ipv === 4) {
    w[a] = s[0]!;
    w[a + 1] = d[0]!;
  } else if (ipv === 6) {
    w[a] = s[0]!; w[a + 1] = s[1]!; w[a + 2] = s[2]!; w[a + 3] = s[3]!;
    w[a + 4] = d[0]!; w[a + 5] = d[1]!; w[a + 6] = d[2]!; w[a + 7] = d[3]!;
  }
  if (tcp !== 0) {
    const t = a + addrWords(ipv);
    w[t] = key.tcpSeq;
    w[t + 1] = key.tcpAck;
    w[t + 2] = key.tcpScale + 2;
  }
}

/** Fill the reused `m` from the packet record at word `i`. */
export function readMeta(w: Uint32Array, i: number, m: RingMeta): RingMeta {
  m.tsSec = w[i + W_SEC]!;
  m.tsNsec = w[i + W_NSEC]!;
  m.capLen = w[i + W_CAPLEN]!;
  m.origLen = w[i + W_ORIGLEN]!;
  const t = w[i + W_TYPE]!;
  m.linkType = t & 0xffff;
  m.ipVersion = (t >>> 16) & 0xf;
  m.proto = t >>> 24;
  const p = w[i + W_PORTS]!;
  m.srcPort = p >>> 16;
  m.dstPort = p & 0xffff;
  m.flowSlot = w[i + W_SLOT]! - 1;
  m.flowGen = w[i + W_GEN]!;
  m.tag = w[i + W_TAG]!;
  const a = i + HEADER_WORDS;
  if (m.ipVersion === 4) {
    m.src[0] = w[a]!;
    m.dst[0] = w[a + 1]!;
    m.src[1] = m.src[2] = m.src[3] = m.dst[1] = m.dst[2] = m.dst[3] = 0;
  } else if (m.ipVersion === 6) {
    m.src.set(w.subarray(a, a + 4));
    m.dst.set(w.subarray(a + 4, a + 8));
  } else {
    m.src.fill(0);
    m.dst.fill(0);
  }
  if ((t & TYPE_TCP) !== 0) {
    const n = a + addrWords(m.ipVersion);
    m.tcpSeq = w[n]!;
    m.tcpAck = w[n + 1]!;
    m.tcpScale = w[n + 2]! - 2;
  } else {
    m.tcpSeq = -1;
    m.tcpAck = 0;
    m.tcpScale = -1;
  }
  return m;
}

/**
 * Copies one packet's bytes into the ring at the source's alignment mod 4, so
 * the middle moves as 32-bit words: no subarray view per packet (Node 20's
 * Buffer.copy makes one internally), and about 4x a byte loop. Used for
 * packets that do not come in a chunk (live capture) or do not fit one.
 */
export class WordCopier {
  private srcBuffer: ArrayBufferLike | null = null;
  private srcWords: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private srcBuffer2: ArrayBufferLike | null = null;
  private srcWords2: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

  constructor(
    private readonly dst: Uint8Array,
    private readonly dw: Uint32Array,
  ) {}

  copy(src: Uint8Array, off: number, len: number, at: number): void {
    const dst = this.dst;
    let k = 0;
    let d = at;
    let s = src.byteOffset + off;
    while ((s & 3) !== 0 && k < len) {
      dst[d++] = src[off + k++]!;
      s++;
    }
    const n = (len - k) >>> 2;
    if (n > 0) {
      const sw = this.wordsOf(src.buffer);
      const dw = this.dw;
      const si = s >>> 2;
      const di = d >>> 2;
      for (let j = 0; j < n; j++) dw[di + j] = sw[si + j]!;
      k += n << 2;
      d += n << 2;
    }
    while (k < len) dst[d++] = src[off + k++]!;
  }

  /** Sources reuse one buffer (live) or two (chunk + scratch): two cached views mean a new view per buffer, not per packet. */
  private wordsOf(ab: ArrayBufferLike): Uint32Array<ArrayBufferLike> {
    if (ab !== this.srcBuffer) {
      const prevBuffer = this.srcBuffer;
      const prevWords = this.srcWords;
      this.srcWords = ab === this.srcBuffer2 ? this.srcWords2 : new Uint32Array(ab, 0, ab.byteLength >>> 2);
      this.srcBuffer = ab;
      this.srcBuffer2 = prevBuffer;
      this.srcWords2 = prevWords;
    }
    return this.srcWords;
  }
}
