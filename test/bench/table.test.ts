import { describe, expect, it } from 'vitest';
import {
  formatMb, formatMs, formatPercent, formatPps, formatRatio, formatSi, markdownTable, median, spread, verdict,
} from '../../src/bench/table.js';

describe('bench number formatting', () => {
  it('formats a grid of values', () => {
    const grid = [0, 7, 12.5, 950, 999, 1_000, 61_234, 999_999, 3_120_000, 12_345_678, 2.5e9, NaN].map((n) => ({
      n, si: formatSi(n), pps: formatPps(n), mb: formatMb(n), ms: formatMs(n), pct: formatPercent(n / 1e6),
    }));
    expect(grid).toMatchInlineSnapshot(`
      [
        {
          "mb": "0.0 MB",
          "ms": "0 ms",
          "n": 0,
          "pct": "0.0%",
          "pps": "0 pkt/s",
          "si": "0",
        },
        {
          "mb": "7.0 MB",
          "ms": "7 ms",
          "n": 7,
          "pct": "0.0%",
          "pps": "7 pkt/s",
          "si": "7",
        },
        {
          "mb": "12.5 MB",
          "ms": "13 ms",
          "n": 12.5,
          "pct": "0.0%",
          "pps": "12.5 pkt/s",
          "si": "12.5",
        },
        {
          "mb": "950 MB",
          "ms": "950 ms",
          "n": 950,
          "pct": "0.1%",
          "pps": "950 pkt/s",
          "si": "950",
        },
        {
          "mb": "999 MB",
          "ms": "999 ms",
          "n": 999,
          "pct": "0.1%",
          "pps": "999 pkt/s",
          "si": "999",
        },
        {
          "mb": "1000 MB",
          "ms": "1.00 s",
          "n": 1000,
          "pct": "0.1%",
          "pps": "1k pkt/s",
          "si": "1k",
        },
        {
          "mb": "61234 MB",
          "ms": "61.2 s",
          "n": 61234,
          "pct": "6.1%",
          "pps": "61.2k pkt/s",
          "si": "61.2k",
        },
        {
          "mb": "999999 MB",
          "ms": "1000.0 s",
          "n": 999999,
          "pct": "100.0%",
          "pps": "1M pkt/s",
          "si": "1M",
        },
        {
          "mb": "3120000 MB",
          "ms": "3120.0 s",
          "n": 3120000,
          "pct": "312.0%",
          "pps": "3.12M pkt/s",
          "si": "3.12M",
        },
        {
          "mb": "12345678 MB",
          "ms": "12345.7 s",
          "n": 12345678,
          "pct": "1234.6%",
          "pps": "12.3M pkt/s",
          "si": "12.3M",
        },
        {
          "mb": "2500000000 MB",
          "ms": "2500000.0 s",
          "n": 2500000000,
          "pct": "250000.0%",
          "pps": "2.5G pkt/s",
          "si": "2.5G",
        },
        {
          "mb": "-",
          "ms": "-",
          "n": NaN,
          "pct": "-",
          "pps": "-",
          "si": "-",
        },
      ]
    `);
  });

  it('gives ratios with the faster side first', () => {
    expect(formatRatio(3_000_000, 60_000)).toBe('x50.0');
    expect(formatRatio(3_000_000, 1_000)).toBe('x3000');
    expect(formatRatio(1, 2)).toBe('x0.50');
    expect(formatRatio(null, 2)).toBe('-');
    expect(formatRatio(1, 0)).toBe('-');
  });
});

describe('targets', () => {
  it('checks both directions and treats missing numbers as n/a', () => {
    expect(verdict(3_100_000, { op: '>=', limit: 3_000_000 })).toBe('yes');
    expect(verdict(2_900_000, { op: '>=', limit: 3_000_000 })).toBe('no');
    expect(verdict(250, { op: '<=', limit: 250 })).toBe('yes');
    expect(verdict(251, { op: '<=', limit: 250 })).toBe('no');
    expect(verdict(100, { op: '<', limit: 100 })).toBe('no');
    expect(verdict(99, { op: '<', limit: 100 })).toBe('yes');
    expect(verdict(null, { op: '<=', limit: 250 })).toBe('n/a');
    expect(verdict(NaN, { op: '<=', limit: 250 })).toBe('n/a');
    expect(verdict(1, null)).toBe('n/a');
  });

  it('takes medians and spreads', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(spread([100, 110, 105])).toBeCloseTo(0.1);
    expect(spread([100])).toBeNaN();
    expect(spread([100, NaN, 120])).toBeCloseTo(0.2);
  });
});

describe('markdownTable', () => {
  it('pads columns and escapes pipes', () => {
    expect(markdownTable([
      { name: 'wiretop report', measured: '3.12M pkt/s', target: '>= 3M pkt/s', met: 'yes' },
      { name: 'filter', measured: '2M pkt/s', target: '', met: '', note: '`a || b`' },
    ])).toBe(
      '| Benchmark      | Measured    | Target      | Met | Notes      |\n' +
      '|----------------|-------------|-------------|-----|------------|\n' +
      '| wiretop report | 3.12M pkt/s | >= 3M pkt/s | yes |            |\n' +
      '| filter         | 2M pkt/s    |             |     | `a \\|\\| b` |\n',
    );
  });
});
