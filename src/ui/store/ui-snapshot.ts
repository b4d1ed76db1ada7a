import type { Snapshot } from '../../engine/snapshot.js';

/** Deviation level, in order of severity (the baseline module's levels). */
export type MeterLevel = 'normal' | 'elevated' | 'high' | 'critical';

/** One deviation meter: plain numbers, the panel formats them. */
export interface MeterView {
  readonly name: string;
  readonly unit: string;
  readonly current: number;
  /** Learned normal band. */
  readonly low: number;
  readonly high: number;
  /** z-score, or a ratio to a threshold on the same scale. */
  readonly deviation: number;
  readonly level: MeterLevel;
  /** The model is still learning: the level means nothing yet. */
  readonly learning: boolean;
}

export interface AlertView {
  readonly kind: string;
  /** Wire-derived (addresses, DNS names): escape before drawing. */
  readonly subject: string;
  readonly severity: MeterLevel;
  /** Capture time, seconds since the epoch. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly observed: number;
  readonly expected: number;
  readonly message: string;
  readonly count: number;
  readonly active: boolean;
}

/** What the baseline monitor shows, copied once per published snapshot. */
export interface BaselineView {
  /** Most severe first. */
  readonly meters: readonly MeterView[];
  /** Most severe first, then most recent. */
  readonly alerts: readonly AlertView[];
  /** Alerts raised so far (a recurrence counts again); the UI keeps how many were seen. */
  readonly raised: number;
  /** One line on the model: learning, warm-up left, where the baseline came from. */
  readonly note: string;
}

/**
 * The snapshot as the dashboard receives it: the engine's, plus what other observers publish
 * beside it. Absent means that part is not running in this session.
 */
export type UiSnapshot = Snapshot & { readonly baseline?: BaselineView };
