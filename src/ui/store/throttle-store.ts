import type { Clock, SnapshotStore } from './snapshot-store.js';
import type { UiSnapshot } from './ui-snapshot.js';

/**
 * Limits notifications to `fps` per second so the screen is redrawn at the frame rate, never per
 * packet or per engine tick (the end of the capture is told at once, once). The snapshot handed out changes only when listeners are notified,
 * so React sees exactly one new value per frame.
 */
export function throttleStore(inner: SnapshotStore, fps: number, clock: Clock): SnapshotStore & { dispose(): void } {
  const interval = 1000 / Math.max(0.1, fps);
  const listeners = new Set<() => void>();
  let current: UiSnapshot = inner.getSnapshot();
  let lastEmit = -Infinity;
  let timer: unknown = null;

  const emit = (): void => {
    timer = null;
    const next = inner.getSnapshot();
    lastEmit = clock.now();
    if (next === current) return;
    current = next;
    for (const l of [...listeners]) l();
  };

  const onInner = (): void => {
    // The capture's end is news, like a key: its frame goes out now, not up to a period later.
    if (inner.getSnapshot().source.ended && !current.source.ended) {
      if (timer !== null) clock.clearTimeout(timer);
      emit();
      return;
    }
    if (timer !== null) return;
    const wait = lastEmit + interval - clock.now();
    if (wait <= 0) emit();
    else timer = clock.setTimeout(emit, wait);
  };

  const unsubscribeInner = inner.subscribe(onInner);

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => current,
    setFocus: (id) => inner.setFocus(id),
    pause: () => inner.pause(),
    resume: () => inner.resume(),
    setDisplayFilter: (text) => inner.setDisplayFilter(text),
    ...(inner.getStream ? { getStream: (id: string) => inner.getStream!(id) } : {}),
    ...(inner.getPackets ? { getPackets: (id: string | null) => inner.getPackets!(id) } : {}),
    ...(inner.exportPcap ? { exportPcap: inner.exportPcap.bind(inner) } : {}),
    ...(inner.ringReach ? { ringReach: () => inner.ringReach!() } : {}),
    ...(inner.getDrivers ? { getDrivers: (metric: string) => inner.getDrivers!(metric) } : {}),
    dispose() {
      unsubscribeInner();
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      listeners.clear();
    },
  };
}
