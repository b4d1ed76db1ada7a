import type { BaselineMonitor } from '../../baseline/index.js';
import type { BaselineView } from './ui-snapshot.js';

export type MonitorLike = Pick<BaselineMonitor, 'meters' | 'alerts' | 'status' | 'alertManager'>;

/**
 * Reads a baseline monitor into plain frozen rows for one snapshot. The monitor updates its alert
 * records in place, so they are copied; raises are counted through a sink so the header can tell
 * new alerts from ones already looked at.
 */
export function baselineReader(monitor: MonitorLike): () => BaselineView {
  let raised = 0;
  monitor.alertManager.addSink({ write: () => void raised++ });
  return () => ({
    meters: monitor.meters().map((m) => ({ ...m })),
    alerts: monitor.alerts().map((a) => ({ ...a })),
    raised,
    note: monitor.status().note,
  });
}
