/**
 * Numbers for narrow table cells: three significant digits and an SI prefix (network rates are
 * decimal by convention, so totals are too, to keep one scale on screen).
 */

const PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'] as const;

/** `1234` -> `1.23k`, `999` -> `999`, `0.4` -> `0`; at most five characters before the unit. */
export function formatSi(value: number): string {
  if (!Number.isFinite(value) || value < 0) return '-';
  if (value < 999.5) return String(Math.round(value));
  let v = value;
  let i = 0;
  while (v >= 999.5 && i < PREFIXES.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = v < 9.995 ? 2 : v < 99.95 ? 1 : 0;
  return v.toFixed(digits) + PREFIXES[i];
}

export type RateUnit = 'bits' | 'bytes';

/** A rate given in bytes/s, shown as bits (`12.3Mb`) or bytes (`1.54MB`) per second. */
export function formatRate(bytesPerSec: number, unit: RateUnit): string {
  return unit === 'bits' ? `${formatSi(bytesPerSec * 8)}b` : `${formatSi(bytesPerSec)}B`;
}

/** A rate given in bits/s (protocol table, chart), in the chosen unit. */
export function formatBitRate(bitsPerSec: number, unit: RateUnit): string {
  return formatRate(bitsPerSec / 8, unit);
}

/** A byte total: `1.23MB`. */
export function formatBytes(bytes: number): string {
  return `${formatSi(bytes)}B`;
}

/** A plain count: `1.23k`. */
export function formatCount(n: number): string {
  return formatSi(n);
}

/** A share 0..1 as a percentage: `12.3%`, `100%`, `<0.1%`. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  const pct = share * 100;
  if (pct < 0.1) return '<0.1%';
  return pct >= 99.95 ? '100%' : `${pct.toFixed(1)}%`;
}
