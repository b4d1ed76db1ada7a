import type { BaselineMonitor } from '../../baseline/index.js';
import type { BaselineView } from './ui-snapshot.js';

export type MonitorLike = Pick<BaselineMonitor, 'view'>;

/**
 * Reads a baseline monitor into plain rows for one snapshot (one call: the monitor may run on
 * its own thread). The monitor updates its alert records in place, so they are copied; the raise
 * count lets the header tell new alerts from ones already looked at.
 */
export function baselineReader(monitor: MonitorLike): () => BaselineView {
  return () => {
    const v = monitor.view();
    return {
      meters: v.meters.map((m) => ({ ...m })),
      alerts: v.alerts.map((a) => ({ ...a })),
      raised: v.raised,
      note: v.status.note,
    };
  };
}
