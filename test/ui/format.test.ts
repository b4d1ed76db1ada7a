import { describe, expect, test } from 'vitest';
import { renderChart } from '../../src/ui/format/chart.js';
import { padLeft, padRight, truncateEnd, truncateMiddle, wrapWords } from '../../src/ui/format/text.js';
import { formatAgo, formatClock, formatDuration, formatTimeOfDay } from '../../src/ui/format/time.js';
import { formatBitRate, formatBytes, formatCount, formatRate, formatShare, formatSi } from '../../src/ui/format/units.js';

const GRID = [0, 0.4, 1, 9.5, 999, 999.5, 1000, 1234, 9994, 9995, 12_345, 99_949, 99_950, 123_456, 999_499, 999_500, 1e6, 1.5e9, 2.5e12, 7e15, 9e18];

describe('units over a grid', () => {
  test('formatSi, formatRate, formatBytes', () => {
    const table = GRID.map((v) => [v, formatSi(v), formatRate(v, 'bits'), formatRate(v, 'bytes'), formatBytes(v), formatCount(v)].join(' | '));
    expect(table).toMatchInlineSnapshot(`
      [
        "0 | 0 | 0b | 0B | 0B | 0",
        "0.4 | 0 | 3b | 0B | 0B | 0",
        "1 | 1 | 8b | 1B | 1B | 1",
        "9.5 | 10 | 76b | 10B | 10B | 10",
        "999 | 999 | 7.99kb | 999B | 999B | 999",
        "999.5 | 1.00k | 8.00kb | 1.00kB | 1.00kB | 1.00k",
        "1000 | 1.00k | 8.00kb | 1.00kB | 1.00kB | 1.00k",
        "1234 | 1.23k | 9.87kb | 1.23kB | 1.23kB | 1.23k",
        "9994 | 9.99k | 80.0kb | 9.99kB | 9.99kB | 9.99k",
        "9995 | 10.0k | 80.0kb | 10.0kB | 10.0kB | 10.0k",
        "12345 | 12.3k | 98.8kb | 12.3kB | 12.3kB | 12.3k",
        "99949 | 99.9k | 800kb | 99.9kB | 99.9kB | 99.9k",
        "99950 | 100k | 800kb | 100kB | 100kB | 100k",
        "123456 | 123k | 988kb | 123kB | 123kB | 123k",
        "999499 | 999k | 8.00Mb | 999kB | 999kB | 999k",
        "999500 | 1.00M | 8.00Mb | 1.00MB | 1.00MB | 1.00M",
        "1000000 | 1.00M | 8.00Mb | 1.00MB | 1.00MB | 1.00M",
        "1500000000 | 1.50G | 12.0Gb | 1.50GB | 1.50GB | 1.50G",
        "2500000000000 | 2.50T | 20.0Tb | 2.50TB | 2.50TB | 2.50T",
        "7000000000000000 | 7.00P | 56.0Pb | 7.00PB | 7.00PB | 7.00P",
        "9000000000000000000 | 9000P | 72000Pb | 9000PB | 9000PB | 9000P",
      ]
    `);
  });

  test('every rate fits a 7-character cell up to petabits', () => {
    for (const v of GRID.slice(0, -1)) {
      expect(formatRate(v, 'bits').length).toBeLessThanOrEqual(7);
      expect(formatRate(v, 'bytes').length).toBeLessThanOrEqual(7);
    }
  });

  test('bad numbers do not throw', () => {
    expect([NaN, -1, Infinity].map((v) => formatSi(v))).toEqual(['-', '-', '-']);
    expect(formatBitRate(8000, 'bytes')).toBe('1.00kB');
  });

  test('shares', () => {
    expect([0, 0.0004, 0.001, 0.123, 0.9994, 0.99951, 1, NaN].map(formatShare)).toEqual(['0%', '<0.1%', '0.1%', '12.3%', '99.9%', '100%', '100%', '0%']);
  });
});

describe('time', () => {
  test('durations over a grid', () => {
    expect([0, 0.9, 1, 59, 60, 61, 3599, 3600, 86_399, 90_061, -1, NaN].map(formatDuration)).toEqual([
      '0s', '0s', '1s', '59s', '1m00s', '1m01s', '59m59s', '1h00m00s', '23h59m59s', '25h01m01s', '-', '-',
    ]);
  });

  test('clock and time of day are UTC', () => {
    expect(formatClock(1_700_000_000)).toBe('2023-11-14 22:13:20Z');
    expect(formatTimeOfDay(1_700_000_000.1234)).toBe('22:13:20.123');
    // Past what a Date holds (a pcapng timestamp of ~2^63 us from one flipped bit): '-', not a throw out of a render.
    for (const t of [2 ** 63 / 1e6, -(2 ** 63) / 1e6, 8.64e12 + 1, NaN, Infinity]) {
      expect(formatClock(t)).toBe('-');
      expect(formatTimeOfDay(t)).toBe('-');
    }
    expect(formatAgo(100, 165)).toBe('1m05s');
    expect(formatAgo(200, 100)).toBe('0s');
  });
});

describe('text', () => {
  test('truncateMiddle keeps both ends', () => {
    const s = 'verylongname.example.com';
    expect([30, 24, 23, 10, 5, 2, 1, 0].map((w) => truncateMiddle(s, w))).toEqual([
      s, s, 'verylongnam…example.com', 'veryl….com', 've…om', 'v…', '…', '',
    ]);
  });

  test('truncateEnd and padding', () => {
    expect(truncateEnd('abcdef', 4)).toBe('abc…');
    expect(padLeft('ab', 4)).toBe('  ab');
    expect(padRight('ab', 4)).toBe('ab  ');
    expect(padRight('abcdef', 4)).toBe('ab…f');
  });

  test('wrapWords: whole words per line, an over-long word split, nothing lost', () => {
    expect(wrapWords('write the selection\'s packets to a pcap', 12)).toEqual(['write the', 'selection\'s', 'packets to a', 'pcap']);
    expect(wrapWords('previous request/response block', 10)).toEqual(['previous', 'request/re', 'sponse', 'block']);
    expect(wrapWords('↑↓ keys', 3)).toEqual(['↑↓', 'key', 's']);
    expect(wrapWords('', 5)).toEqual(['']);
    expect(wrapWords('fits', 4)).toEqual(['fits']);
  });
});

describe('chart wrapper', () => {
  const opts = { width: 30, height: 5, formatLabel: (v: number) => formatBitRate(v, 'bits') };

  test('an empty series draws a flat line instead of throwing', () => {
    const lines = renderChart([], opts);
    expect(lines).toHaveLength(5);
    expect(lines.every((l) => l.length === 30)).toBe(true);
    expect(lines[4]).toContain('──');
  });

  test('a flat series keeps its height and a pinned scale', () => {
    const lines = renderChart([5, 5, 5, 5], opts);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('5b');
    expect(lines[4]).toContain('0b');
  });

  test('a long series keeps the newest points; sizes are exact', () => {
    const series = Array.from({ length: 100 }, (_, i) => i * 1000);
    const lines = renderChart(series, opts);
    expect(lines[0]).toContain('99.0kb');
    expect(renderChart(series, { ...opts, height: 1 })).toEqual([' '.repeat(30)]);
    expect(renderChart(series, { ...opts, width: 8 })).toEqual(Array(5).fill(' '.repeat(8)));
  });
});
