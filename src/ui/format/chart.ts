import asciichart from 'asciichart';
import { padLeft } from './text.js';

export interface ChartOptions {
  /** Total width of each line, labels included. */
  readonly width: number;
  /** Number of lines returned. */
  readonly height: number;
  /** Formats an axis label; the result is right-aligned in `labelWidth`. */
  readonly formatLabel: (value: number) => string;
  readonly labelWidth?: number;
  /** The top of the scale is at least this, so a quiet series does not label every row alike. */
  readonly minMax?: number;
}

/**
 * The one place asciichart is called. asciichart collapses a flat series to a single row and
 * throws on an empty one, and its scale jumps when min/max float with the data; so the series is
 * padded on the left with zeros to the plot width, min is pinned to 0 and max to at least 1.
 * Always returns exactly `height` lines of exactly `width` characters.
 */
export function renderChart(series: readonly number[], opts: ChartOptions): string[] {
  const labelWidth = opts.labelWidth ?? 7;
  const height = Math.max(0, opts.height);
  const plotWidth = opts.width - labelWidth - 2;
  const blank = ' '.repeat(Math.max(0, opts.width));
  if (height < 2 || plotWidth < 2) return Array.from({ length: height }, () => blank);
  const tail = series.slice(-plotWidth).map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const padded = new Array<number>(plotWidth - tail.length).fill(0).concat(tail);
  let max = 0;
  for (const v of padded) if (v > max) max = v;
  if (max < (opts.minMax ?? 1)) max = opts.minMax ?? 1;
  if (max <= 0) max = 1;
  const text = asciichart.plot(padded, {
    height: height - 1,
    min: 0,
    max,
    format: (x: number) => padLeft(opts.formatLabel(x), labelWidth),
  });
  const lines = text.split('\n').slice(0, height);
  while (lines.length < height) lines.push('');
  return lines.map((l) => (l.length >= opts.width ? l.slice(0, opts.width) : l + ' '.repeat(opts.width - l.length)));
}
