/**
 * Distinct counting over a sliding window with linear counting (a bitmap per
 * time bucket; the estimate is -m ln(zeros/m) over the OR of the buckets).
 * 1024 bits per bucket are exact in practice below a few dozen items and
 * within a few percent up to a few thousand; past that it saturates near
 * 7,000, which is more than any threshold needs.
 */
export const DISTINCT_BITS = 1024;
const WORDS = DISTINCT_BITS / 32;

/** Numbers per row in `st`: current bucket, epoch (-1 after clear), estimate (-1 after a change), live buckets (a bit mask). */
const ST = 4;

/**
 * Many windowed distinct counters in one Uint32Array, a row per table slot
 * (buckets x 1024 bits), with each row's current bucket, epoch, cached
 * estimate and live-bucket mask in a Float64Array beside it: nothing is
 * allocated per entry. Clearing a row or rotating a bucket out of the window
 * only drops its bit from the live mask; a bucket's bitmap is zeroed when the
 * first value is added to it. A slot reused for one-packet sources many times
 * a second so zeroes one bucket (128 bytes) per use, not the whole row.
 */
export class WindowedDistinctRows {
  private readonly bits: Uint32Array;
  private readonly st: Float64Array;
  private readonly rowWords: number;

  constructor(rows: number, readonly buckets: number, readonly bucketSec: number) {
    this.rowWords = buckets * WORDS;
    this.bits = new Uint32Array(rows * this.rowWords);
    this.st = new Float64Array(rows * ST);
    for (let r = 0; r < rows; r++) this.clear(r);
  }

  /** Bring row r forward to `sec`, dropping buckets that fell out of the window (call before addHash()). */
  advance(r: number, sec: number): void {
    const st = this.st;
    const o = ST * r;
    const epoch = Math.floor(sec / this.bucketSec);
    const curEpoch = st[o + 1]!;
    if (curEpoch < 0) {
      st[o] = 0;
      st[o + 1] = epoch;
      st[o + 3] = 0;
      return;
    }
    if (epoch <= curEpoch) return;
    const steps = Math.min(epoch - curEpoch, this.buckets);
    let cur = st[o]!;
    let live = st[o + 3]!;
    for (let i = 0; i < steps; i++) {
      cur = (cur + 1) % this.buckets;
      live &= ~(1 << cur);
    }
    st[o] = cur;
    st[o + 1] = epoch;
    st[o + 2] = -1;
    st[o + 3] = live;
  }

  /** Add an already hashed 32-bit value to row r. */
  addHash(r: number, h: number): void {
    const st = this.st;
    const o = ST * r;
    const cur = st[o]!;
    const live = st[o + 3]!;
    const b = r * this.rowWords + cur * WORDS;
    if ((live & (1 << cur)) === 0) {
      // A loop, not fill(): the builtin call costs more than zeroing 32 words.
      const bits = this.bits;
      for (let w = b; w < b + WORDS; w++) bits[w] = 0;
      st[o + 3] = live | (1 << cur);
    }
    const bit = (Math.imul(h, 0x9e3779b1) >>> 22) & (DISTINCT_BITS - 1);
    const w = b + (bit >>> 5);
    const m = 1 << (bit & 31);
    const v = this.bits[w]!;
    if ((v & m) !== 0) return;
    this.bits[w] = v | m;
    st[o + 2] = -1;
  }

  estimate(r: number): number {
    let e = this.st[ST * r + 2]!;
    if (e < 0) this.st[ST * r + 2] = e = this.compute(r);
    return e;
  }

  private compute(r: number): number {
    const bits = this.bits;
    const o = r * this.rowWords;
    const live = this.st[ST * r + 3]!;
    let ones = 0;
    for (let w = 0; w < WORDS; w++) {
      let v = 0;
      for (let b = 0; b < this.buckets; b++) if ((live & (1 << b)) !== 0) v |= bits[o + b * WORDS + w]!;
      ones += popcount(v);
    }
    const zeros = DISTINCT_BITS - ones;
    if (zeros === 0) return Math.round(DISTINCT_BITS * Math.log(DISTINCT_BITS));
    return Math.round(-DISTINCT_BITS * Math.log(zeros / DISTINCT_BITS)) + 0;
  }

  clear(r: number): void {
    const o = ST * r;
    this.st[o] = 0;
    this.st[o + 1] = -1;
    this.st[o + 2] = 0;
    this.st[o + 3] = 0;
  }

  /** Copy row `from` over row `to` (a table moved an entry). */
  move(from: number, to: number): void {
    this.bits.copyWithin(to * this.rowWords, from * this.rowWords, (from + 1) * this.rowWords);
    this.st.copyWithin(ST * to, ST * from, ST * from + ST);
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

