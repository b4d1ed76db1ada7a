import type { BaselineMonitor } from '../../baseline/index.js';

/** A top contributor to a deviation meter: a host, a pair, a port or a name, and its value. */
export interface DriverView {
  /** Wire-derived (addresses, DNS names): escape before drawing. */
  readonly label: string;
  readonly value: number;
}

/** Reads a meter's drivers from the monitor as plain frozen rows (asked for when the drill-down draws). */
export function driversReader(monitor: Pick<BaselineMonitor, 'drivers'>): (metric: string) => readonly DriverView[] {
  return (metric) => Object.freeze(monitor.drivers(metric).map((d) => Object.freeze({ label: d.label, value: d.value })));
}
