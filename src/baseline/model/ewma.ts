/**
 * Online mean and variance. Behaves as a plain running mean (Welford) until
 * it has seen 1/alpha samples, then as an exponentially weighted one, so a
 * short learning capture is not dominated by its first sample.
 */
export interface EwmaState {
  n: number;
  mean: number;
  var: number;
  /** Largest sample seen. */
  peak: number;
}

export class Ewma implements EwmaState {
  n = 0;
  mean = 0;
  var = 0;
  peak = 0;

  constructor(readonly alpha = 0.01) {}

  add(x: number): void {
    this.n++;
    const a = Math.max(this.alpha, 1 / this.n);
    const d = x - this.mean;
    this.mean += a * d;
    this.var = (1 - a) * (this.var + a * d * d);
    if (x > this.peak || this.n === 1) this.peak = x;
  }

  get sd(): number {
    return Math.sqrt(Math.max(0, this.var));
  }

  toJSON(): EwmaState {
    return { n: this.n, mean: round(this.mean), var: round(this.var), peak: round(this.peak) };
  }

  load(s: Partial<EwmaState> | undefined): this {
    if (!s) return this;
    this.n = num(s.n);
    this.mean = num(s.mean);
    this.var = Math.max(0, num(s.var));
    this.peak = num(s.peak);
    return this;
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function round(v: number): number {
  return Math.abs(v) >= 1000 ? Math.round(v) : Math.round(v * 1e4) / 1e4;
}
