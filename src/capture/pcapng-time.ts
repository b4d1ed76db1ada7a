/**
 * pcapng timestamps are 64-bit counts of 1/10^r or 1/2^r second units since
 * 1970, split into two 32-bit words. Converting them with doubles alone loses
 * nanoseconds (2^53 ns is only 104 days), and a BigInt per packet allocates, so
 * decimal resolutions up to 10^-9 use long division in 16-bit steps where every
 * intermediate stays below 2^53: exact for every 64-bit value.
 *
 * Limits (documented, rare in practice):
 * - decimal resolutions finer than 10^-9 (if_tsresol 10..19) fall back to one
 *   BigInt division per packet, still exact;
 * - binary resolutions (high bit of if_tsresol set) round the fraction down to
 *   the nanosecond with double math, which can be 1 ns low;
 * - whole seconds above 2^53 (only with resolution 1 s and absurd values) lose
 *   precision. Seconds past 2106 (above 2^32) are fine.
 */
export class TsResolution {
  /** Decimal: units per second (10^r, r <= 9). 0 for the other modes. */
  private divisor = 1e6;
  private nsPerUnit = 1000;
  /** Binary exponent when the resolution is 2^-shift. -1 otherwise. */
  private shift = -1;
  /** Decimal exponent above 9 (BigInt path). 0 otherwise. */
  private bigExp = 0;
  /** Whole-second offset (if_tsoffset). */
  offsetSec = 0;
  sec = 0;
  nsec = 0;

  /** Set from the raw if_tsresol byte (default 6 = microseconds). */
  setResol(raw: number): void {
    this.shift = -1;
    this.bigExp = 0;
    if (raw & 0x80) {
      this.shift = raw & 0x7f;
      return;
    }
    if (raw > 9) {
      this.bigExp = raw;
      return;
    }
    this.divisor = 10 ** raw;
    this.nsPerUnit = 10 ** (9 - raw);
  }

  /** Convert (hi, lo) units into this.sec / this.nsec. */
  convert(hi: number, lo: number): void {
    if (this.shift >= 0) this.binary(hi, lo);
    else if (this.bigExp > 0) this.viaBigInt(hi, lo);
    else this.decimal(hi, lo);
    this.sec += this.offsetSec;
  }

  private decimal(hi: number, lo: number): void {
    const d = this.divisor;
    // (hi * 2^32 + lo) / d, one 16-bit digit at a time; each partial value < d * 2^16 < 2^46.
    const q1 = Math.floor(hi / d);
    let r = hi - q1 * d;
    let v = r * 65536 + (lo >>> 16);
    let q2 = Math.floor(v / d);
    r = v - q2 * d;
    if (r < 0) { q2--; r += d; } else if (r >= d) { q2++; r -= d; }
    v = r * 65536 + (lo & 0xffff);
    let q3 = Math.floor(v / d);
    r = v - q3 * d;
    if (r < 0) { q3--; r += d; } else if (r >= d) { q3++; r -= d; }
    this.sec = q1 * 4294967296 + q2 * 65536 + q3;
    this.nsec = r * this.nsPerUnit;
  }

  private binary(hi: number, lo: number): void {
    const s = this.shift;
    if (s <= 32) {
      const p = 2 ** s;
      const frac = lo % p;
      this.sec = hi * 2 ** (32 - s) + (lo - frac) / p;
      this.nsec = Math.floor((frac * 1e9) / p);
    } else {
      const p = 2 ** (s - 32);
      const hiFrac = hi % p;
      this.sec = (hi - hiFrac) / p;
      this.nsec = Math.floor(((hiFrac * 4294967296 + lo) / 2 ** s) * 1e9);
    }
    if (this.nsec > 999_999_999) this.nsec = 999_999_999;
  }

  private viaBigInt(hi: number, lo: number): void {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const per = 10n ** BigInt(this.bigExp);
    this.sec = Number(units / per);
    this.nsec = Number(((units % per) * 1_000_000_000n) / per);
  }
}
