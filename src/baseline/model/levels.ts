/** Deviation levels, ordered by severity. */
export type Level = 'normal' | 'elevated' | 'high' | 'critical';

export const LEVELS: readonly Level[] = ['normal', 'elevated', 'high', 'critical'];

export function levelRank(l: Level): number {
  return LEVELS.indexOf(l);
}

/** Thresholds on the deviation score (a z-score, or ratio-to-threshold scaled the same way). */
export interface LevelCuts {
  elevated: number;
  high: number;
  critical: number;
}

export const DEFAULT_CUTS: LevelCuts = { elevated: 3, high: 5, critical: 8 };

export function levelOf(dev: number, cuts: LevelCuts = DEFAULT_CUTS): Level {
  if (dev >= cuts.critical) return 'critical';
  if (dev >= cuts.high) return 'high';
  if (dev >= cuts.elevated) return 'elevated';
  return 'normal';
}

/**
 * For threshold detectors: a value at the threshold is 'high' (dev = cuts.high),
 * twice the threshold or more is 'critical', half of it 'elevated'.
 */
export function ratioDeviation(value: number, threshold: number, cuts: LevelCuts = DEFAULT_CUTS): number {
  if (threshold <= 0) return 0;
  const r = value / threshold;
  if (r >= 2) return cuts.critical + (r - 2);
  if (r >= 1) return cuts.high + (r - 1) * (cuts.critical - cuts.high);
  if (r >= 0.5) return cuts.elevated + (r - 0.5) * 2 * (cuts.high - cuts.elevated);
  return r * 2 * cuts.elevated;
}
