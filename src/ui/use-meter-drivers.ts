import { useMemo } from 'react';
import type { NavEntry } from './state/ui-state.js';
import type { DriverView } from './store/drivers.js';
import type { SnapshotStore } from './store/snapshot-store.js';

/**
 * Drivers of the meter whose drill-down is on top, read from the store once per published
 * snapshot; undefined when none is open or the session has no monitor.
 */
export function useMeterDrivers(store: SnapshotStore, nav: NavEntry | null, snapshot: unknown): readonly DriverView[] | undefined {
  const metric = nav?.kind === 'drivers' ? nav.metric : null;
  return useMemo(
    () => (metric === null || !store.getDrivers ? undefined : store.getDrivers(metric)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, metric, snapshot],
  );
}
