import { useEffect, useRef } from 'react';
import { topNav } from './state/ui-state.js';
import type { UiState } from './state/ui-state.js';
import type { SnapshotStore } from './store/snapshot-store.js';

/** Calls `apply` when `value` changes, not on mount. */
function useOnChange<T>(value: T, apply: (v: T) => void): void {
  const last = useRef(value);
  useEffect(() => {
    if (Object.is(last.current, value)) return;
    last.current = value;
    apply(value);
  });
}

/**
 * The reducer only records intent (drilled into a conversation, paused, filter applied);
 * these effects carry it to the store and the outside world.
 */
export function useStoreEffects(
  store: SnapshotStore,
  state: UiState,
  onHistory: (h: readonly string[]) => void,
  onQuit: () => void,
  onError: (message: string) => void,
): void {
  const nav = topNav(state);
  // The stream and packet views of a conversation keep its detail coming too.
  const focusId = nav?.kind === 'conversation' || nav?.kind === 'stream' || nav?.kind === 'packets' ? nav.id : null;
  useOnChange(focusId, (id) => store.setFocus(id));
  useOnChange(state.isPaused, (p) => (p ? store.pause() : store.resume()));
  useOnChange(state.displayFilter, (f) => {
    try {
      store.setDisplayFilter(f);
    } catch (e) {
      onError(`filter not applied: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  useOnChange(state.history, onHistory);
  useOnChange(state.isQuitting, (q) => {
    if (q) onQuit();
  });
}
