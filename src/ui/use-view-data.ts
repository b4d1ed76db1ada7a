import { useMemo } from 'react';
import type { NavEntry } from './state/ui-state.js';
import type { PacketsView } from './store/packet-store.js';
import type { SnapshotStore } from './store/snapshot-store.js';
import type { UiSnapshot } from './store/ui-snapshot.js';
import type { StreamViewSource } from './stream/stream-data.js';

export interface ViewData {
  /** undefined: the session has no such data; null: this conversation has none. */
  readonly stream: StreamViewSource | null | undefined;
  readonly packets: PacketsView | null | undefined;
  /** Kept packets of the conversation whose detail is on screen. */
  readonly kept: PacketsView['summaries'] | undefined;
  /** A view with its own keys is on screen: the dashboard's keys stand aside. */
  readonly hasOwnKeys: boolean;
}

/**
 * The data of the stream or packet view on top, read from the store once per published snapshot,
 * so new data reaches an open view at the frame rate and nothing is read while it is closed.
 */
export function useViewData(store: SnapshotStore, nav: NavEntry | null, snapshot: UiSnapshot): ViewData {
  const streamId = nav?.kind === 'stream' ? nav.id : null;
  const packetsOf = nav?.kind === 'packets' || nav?.kind === 'conversation' ? nav.id : undefined;
  const stream = useMemo(
    () => (streamId === null || !store.getStream ? undefined : store.getStream(streamId)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, streamId, snapshot],
  );
  const packets = useMemo(
    () => (packetsOf === undefined || !store.getPackets ? undefined : store.getPackets(packetsOf)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, packetsOf, snapshot],
  );
  const isPacketView = nav?.kind === 'packets';
  return {
    stream,
    packets: isPacketView ? packets : undefined,
    kept: nav?.kind === 'conversation' ? packets?.summaries : undefined,
    hasOwnKeys: (streamId !== null && !!stream) || (isPacketView && !!packets),
  };
}
