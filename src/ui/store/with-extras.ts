import type { StreamViewSource } from '../stream/stream-data.js';
import type { ExportOutcome, ExportTarget } from '../export/export-target.js';
import type { DriverView } from './drivers.js';
import type { PacketsView } from './packet-store.js';
import type { SnapshotStore } from './snapshot-store.js';
import type { BaselineView, UiSnapshot } from './ui-snapshot.js';

export interface Extras {
  /** Read once per engine snapshot, so a frame shows meters and totals of the same moment. */
  readonly baseline?: () => BaselineView;
  readonly stream?: (conversationId: string) => StreamViewSource | null;
  readonly packets?: (conversationId: string | null) => PacketsView | null;
  /** `W`: write a selection from the ring of recent packets, and say how far back the ring goes. */
  readonly exportPcap?: (target: ExportTarget, path: string, opts: { readonly overwrite: boolean }) => ExportOutcome;
  readonly ringReach?: () => string;
  readonly drivers?: (metric: string) => readonly DriverView[];
}

/**
 * Adds observer data (baseline meters and alerts, reassembled streams, kept packets) to a store. The decorated
 * snapshot is made once per inner snapshot, so `getSnapshot` stays stable between notifications.
 */
export function withExtras(inner: SnapshotStore, extras: Extras): SnapshotStore {
  let lastInner: UiSnapshot | null = null;
  let last: UiSnapshot | null = null;
  const getSnapshot = (): UiSnapshot => {
    const s = inner.getSnapshot();
    if (s !== lastInner || last === null) {
      lastInner = s;
      last = extras.baseline ? Object.freeze({ ...s, baseline: extras.baseline() }) : s;
    }
    return last;
  };
  const stream = extras.stream ?? inner.getStream?.bind(inner);
  const packets = extras.packets ?? inner.getPackets?.bind(inner);
  const exportPcap = extras.exportPcap ?? inner.exportPcap?.bind(inner);
  const ringReach = extras.ringReach ?? inner.ringReach?.bind(inner);
  const drivers = extras.drivers ?? inner.getDrivers?.bind(inner);
  return {
    subscribe: (l) => inner.subscribe(l),
    getSnapshot,
    setFocus: (id) => inner.setFocus(id),
    pause: () => inner.pause(),
    resume: () => inner.resume(),
    setDisplayFilter: (text) => inner.setDisplayFilter(text),
    ...(stream ? { getStream: stream } : {}),
    ...(packets ? { getPackets: packets } : {}),
    ...(exportPcap ? { exportPcap } : {}),
    ...(ringReach ? { ringReach } : {}),
    ...(drivers ? { getDrivers: drivers } : {}),
  };
}
