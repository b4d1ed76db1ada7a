/** Byte helpers of the pcapng writer: name-resolution addresses, timestamps. */

export function parseIp4(s: string): Uint8Array {
  return Uint8Array.from(s.split('.').map((x) => Number(x) & 255));
}

export function parseIp6(s: string): Uint8Array {
  const out = new Uint8Array(16);
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  words.forEach((w, i) => {
    const n = parseInt(w, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 255;
  });
  return out;
}

const TWO16 = 65536;
const TWO32 = 4294967296;
/** Reused result of unitWords (one per process: nothing is allocated per packet). */
const words = { high: 0, low: 0 };

/**
 * A timestamp in units of 10^-resol s (resol 0..9) as the two 32-bit words of a pcapng block,
 * without a BigInt: seconds are split into 16-bit halves so every partial product stays below
 * 2^53 and exact. The result object is reused: read it before the next call.
 */
export function unitWords(tsSec: number, tsNsec: number, resol: number): { readonly high: number; readonly low: number } {
  const scale = 10 ** resol;
  const frac = Math.floor(tsNsec / 10 ** (9 - resol));
  const sh = Math.floor(tsSec / TWO16);
  const a = sh * scale; // times 2^16 below
  const b = (tsSec - sh * TWO16) * scale + frac;
  const ah = Math.floor(a / TWO16);
  const c = (a - ah * TWO16) * TWO16 + b;
  const carry = Math.floor(c / TWO32);
  words.high = ah + carry;
  words.low = c - carry * TWO32;
  return words;
}

/** Timestamp in units of the interface resolution, as a 64-bit value. */
export function toUnits(tsSec: number, tsNsec: number, tsresol: number): bigint {
  const n = tsresol & 0x7f;
  if (tsresol & 0x80) {
    return (BigInt(tsSec) << BigInt(n)) + ((BigInt(tsNsec) << BigInt(n)) / 1_000_000_000n);
  }
  const scale = 10n ** BigInt(n);
  const frac = n >= 9 ? BigInt(tsNsec) * 10n ** BigInt(n - 9) : BigInt(tsNsec) / 10n ** BigInt(9 - n);
  return BigInt(tsSec) * scale + frac;
}
