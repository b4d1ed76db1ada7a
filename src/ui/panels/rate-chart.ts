import type { Snapshot } from '../../engine/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { renderChart } from '../format/chart.js';
import { padLeft, padRight } from '../format/text.js';
import { formatBitRate } from '../format/units.js';
import type { RateUnit } from '../format/units.js';
import { line } from './lines.js';
import type { Line } from './lines.js';

export interface RateChartProps {
  readonly snapshot: Snapshot;
  readonly chartPath: string;
  readonly unit: RateUnit;
  readonly width: number;
  readonly height: number;
}

const LABEL_WIDTH = 7;

/** Title, the plot, and a time axis under it: `-Ns` at the left, `now` at the right. */
export function rateChartLines(props: RateChartProps): Line[] {
  const { width, height, chartPath, unit } = props;
  const series = props.snapshot.history.get(chartPath) ?? [];
  const what = chartPath === '' ? 'all traffic' : escapeForTerminal(chartPath);
  const lines: Line[] = [line(padRight(` Rate of ${what}, ${unit}/s (p: next) `, width), 'title')];
  const plotHeight = height - 2;
  if (plotHeight < 2) return lines;
  const plotWidth = width - LABEL_WIDTH - 2;
  for (const l of renderChart(series, { width, height: plotHeight, labelWidth: LABEL_WIDTH, formatLabel: (v) => formatBitRate(v, unit), minMax: (unit === 'bytes' ? 80 : 10) * plotHeight })) {
    lines.push(line(l));
  }
  const span = `-${Math.max(0, plotWidth)}s`;
  const axis = ' '.repeat(LABEL_WIDTH + 2) + padRight(span, Math.max(0, plotWidth - 3)) + padLeft('now', Math.min(3, plotWidth));
  lines.push(line(padRight(axis, width), 'dim'));
  return lines;
}
