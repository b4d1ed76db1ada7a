import { Ewma, type EwmaState } from './ewma.js';

export interface Band {
  mean: number;
  sd: number;
  low: number;
  high: number;
  /** Largest 10 s average seen while learning (for the profile in use). */
  peak: number;
}

export interface RateModelState {
  all: EwmaState;
  /** Per hour of day (UTC), 24 entries; only used when the learning span covered hours. */
  hours?: EwmaState[];
}

/** Samples an hour slot needs before it replaces the global profile. */
const MIN_HOUR_SAMPLES = 60;

/**
 * A learned distribution of one metric: a global EWMA plus per-hour-of-day
 * profiles. The standard deviation is floored (relative and absolute) so a
 * metric that was flat while learning does not turn every wobble into a
 * critical z-score.
 */
export class RateModel {
  readonly all: Ewma;
  readonly hours: Ewma[];
  useHours = false;

  constructor(
    alpha: number,
    readonly relFloor = 0.25,
    readonly absFloor = 1,
    readonly bandK = 3,
  ) {
    this.all = new Ewma(alpha);
    this.hours = Array.from({ length: 24 }, () => new Ewma(alpha));
  }

  add(x: number, hour: number): void {
    this.all.add(x);
    this.hours[hour]!.add(x);
  }

  private pick(hour: number): Ewma {
    const h = this.hours[hour]!;
    return this.useHours && h.n >= MIN_HOUR_SAMPLES ? h : this.all;
  }

  band(hour: number): Band {
    const e = this.pick(hour);
    const sd = Math.max(e.sd, this.relFloor * Math.abs(e.mean), this.absFloor);
    return { mean: e.mean, sd, low: Math.max(0, e.mean - this.bandK * sd), high: e.mean + this.bandK * sd, peak: e.peak };
  }

  /** z-score of x against the profile for `hour`. */
  deviation(x: number, hour: number): number {
    const e = this.pick(hour);
    const sd = Math.max(e.sd, this.relFloor * Math.abs(e.mean), this.absFloor);
    return (x - e.mean) / sd;
  }

  get samples(): number {
    return this.all.n;
  }

  toJSON(): RateModelState {
    const used = this.hours.some((h) => h.n > 0);
    return used ? { all: this.all.toJSON(), hours: this.hours.map((h) => h.toJSON()) } : { all: this.all.toJSON() };
  }

  load(s: RateModelState | undefined): this {
    if (!s) return this;
    this.all.load(s.all);
    if (Array.isArray(s.hours)) for (let i = 0; i < 24; i++) this.hours[i]!.load(s.hours[i]);
    return this;
  }
}
