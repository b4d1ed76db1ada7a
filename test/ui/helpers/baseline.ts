import type { AlertView, BaselineView, MeterView } from '../../../src/ui/store/ui-snapshot.js';
import { T0 } from './snapshots.js';

export function meter(over: Partial<MeterView> = {}): MeterView {
  return { name: 'bits/s', unit: 'bit/s', current: 1_000_000, low: 200_000, high: 2_000_000, deviation: 1, level: 'normal', learning: false, ...over };
}

export function alert(over: Partial<AlertView> = {}): AlertView {
  return {
    kind: 'port-scan', subject: '10.0.0.9', severity: 'high', firstSeen: T0 + 10, lastSeen: T0 + 20,
    observed: 212, expected: 64, message: '10.0.0.9 probed 212 ports', count: 1, active: true, ...over,
  };
}

/** Meters in the monitor's order (most severe first) and two alerts, one cleared. */
export function baselineView(over: Partial<BaselineView> = {}): BaselineView {
  return {
    meters: [
      meter({ name: 'distinct ports per source', unit: 'count', current: 212, low: 0, high: 64, deviation: 10.5, level: 'critical' }),
      meter({ name: 'SYNs per target', unit: 'per 10 s', current: 700, low: 0, high: 1000, deviation: 4.2, level: 'elevated' }),
      meter(),
      meter({ name: 'new flows/s', unit: 'flow/s', current: 0, low: 0, high: 0, deviation: 0, learning: true }),
      meter({ name: 'DNS name entropy', unit: 'bits/char', current: 3.62, low: 0, high: 4, deviation: 2 }),
    ],
    alerts: [
      alert(),
      alert({ kind: 'dns-tunnel', subject: 'evil\x1b[2J.example', severity: 'elevated', active: false, count: 3, observed: 30, expected: 20, message: 'random names' }),
    ],
    raised: 4,
    note: 'no baseline: learning-based detectors start after 900 s',
    ...over,
  };
}
