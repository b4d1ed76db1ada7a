/**
 * Distinct counting over a sliding window with linear counting (a bitmap per
 * time bucket; the estimate is -m ln(zeros/m) over the OR of the buckets).
 * 1024 bits per bucket are exact in practice below a few dozen items and
 * within a few percent up to a few thousand; past that it saturates near
 * 7,000, which is more than any threshold needs.
 */
export const DISTINCT_BITS = 1024;
const WORDS = DISTINCT_BITS / 32;

/**
 * Many windowed distinct counters in one Uint32Array, a row per table slot
 * (buckets x 1024 bits), with each row's current bucket, epoch and cached
 * estimate in a Float64Array beside it: nothing is allocated per entry, and
 * clearing a row only marks it (epoch -1), so a slot reused many times a
 * second zeroes its bitmaps once, when it is next advanced.
 */
export class WindowedDistinctRows {
  private readonly bits: Uint32Array;
  /** Per row: current bucket, epoch (-1 after clear), estimate (-1 after a change). */
  private readonly st: Float64Array;
  private readonly rowWords: number;

  constructor(rows: number, readonly buckets: number, readonly bucketSec: number) {
    this.rowWords = buckets * WORDS;
    this.bits = new Uint32Array(rows * this.rowWords);
    this.st = new Float64Array(rows * 3);
    for (let r = 0; r < rows; r++) this.clear(r);
  }

  /** Bring row r forward to `sec`, clearing buckets that fell out of the window (call before addHash()). */
  advance(r: number, sec: number): void {
    const st = this.st;
    const epoch = Math.floor(sec / this.bucketSec);
    const curEpoch = st[3 * r + 1]!;
    const o = r * this.rowWords;
    if (curEpoch < 0) {
      this.bits.fill(0, o, o + this.rowWords);
      st[3 * r] = 0;
      st[3 * r + 1] = epoch;
      return;
    }
    if (epoch <= curEpoch) return;
    const steps = Math.min(epoch - curEpoch, this.buckets);
    let cur = st[3 * r]!;
    for (let i = 0; i < steps; i++) {
      cur = (cur + 1) % this.buckets;
      this.bits.fill(0, o + cur * WORDS, o + cur * WORDS + WORDS);
    }
    st[3 * r] = cur;
    st[3 * r + 1] = epoch;
    st[3 * r + 2] = -1;
  }

  /** Add an already hashed 32-bit value to row r. */
  addHash(r: number, h: number): void {
    const bit = (Math.imul(h, 0x9e3779b1) >>> 22) & (DISTINCT_BITS - 1);
    const w = r * this.rowWords + this.st[3 * r]! * WORDS + (bit >>> 5);
    const m = 1 << (bit & 31);
    const v = this.bits[w]!;
    if ((v & m) !== 0) return;
    this.bits[w] = v | m;
    this.st[3 * r + 2] = -1;
  }

  estimate(r: number): number {
    let e = this.st[3 * r + 2]!;
    if (e < 0) this.st[3 * r + 2] = e = this.compute(r);
    return e;
  }

  private compute(r: number): number {
    const bits = this.bits;
    const o = r * this.rowWords;
    let ones = 0;
    for (let w = 0; w < WORDS; w++) {
      let v = 0;
      for (let b = 0; b < this.buckets; b++) v |= bits[o + b * WORDS + w]!;
      ones += popcount(v);
    }
    const zeros = DISTINCT_BITS - ones;
    if (zeros === 0) return Math.round(DISTINCT_BITS * Math.log(DISTINCT_BITS));
    return Math.round(-DISTINCT_BITS * Math.log(zeros / DISTINCT_BITS)) + 0;
  }

  clear(r: number): void {
    this.st[3 * r] = 0;
    this.st[3 * r + 1] = -1;
    this.st[3 * r + 2] = 0;
  }

  /** Copy row `from` over row `to` (a table moved an entry). */
  move(from: number, to: number): void {
    this.bits.copyWithin(to * this.rowWords, from * this.rowWords, (from + 1) * this.rowWords);
    this.st.copyWithin(3 * to, 3 * from, 3 * from + 3);
  }
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Mix a number (up to 53 bits) into a 32-bit hash. */
export function hash32(x: number): number {
  // The high word is 0 for the common 32-bit inputs: skip the division then.
  const hi = x >= 0 && x < 4294967296 ? 0 : Math.floor(x / 4294967296) | 0;
  let h = (x >>> 0) ^ Math.imul(hi, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

