import { useInput } from 'ink';
import { useCallback } from 'react';
import type { Dispatch, RefObject } from 'react';
import type { UiAction } from '../state/ui-reducer.js';
import type { SnapshotStore } from '../store/snapshot-store.js';
import { VIEW_PASS_KEYS, keyPresses } from './key-name.js';

/**
 * Who has the keys besides the dashboard: 'none'; 'packets' (the packet view, which has no text
 * prompt: VIEW_PASS_KEYS and Ctrl-C stay the dashboard's); 'stream' (the stream view, which has
 * search and path prompts and so decides itself, key by key, what it passes on: only Ctrl-C is
 * taken here, the rest arrives through the returned `passKey`).
 */
export type ViewKeys = 'none' | 'packets' | 'stream';

/**
 * The one input handler. It only names the key and dispatches: the reducer decides what the key
 * means in the current mode, so keys typed faster than frames are each applied to the latest
 * state. The snapshot and page sizes are read when the key arrives (store and ref, not state).
 * Returns `passKey`, for a view to hand over a key it does not take (stable).
 */
export function useDashboardInput(
  dispatch: Dispatch<UiAction>,
  store: SnapshotStore,
  sizes: RefObject<{ readonly pageSize: number; readonly helpPages: number }>,
  viewKeys: RefObject<ViewKeys>,
): (key: string, input: string) => void {
  const passKey = useCallback(
    (key: string, input: string) => {
      dispatch({ type: 'key-pressed', key, input, context: { snapshot: store.getSnapshot(), ...sizes.current } });
    },
    [dispatch, store, sizes],
  );
  const onInput = useCallback(
    (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
      for (const press of keyPresses(input, key)) {
        const owner = viewKeys.current;
        if (owner !== 'none' && press.key !== 'ctrl+c' && !(owner === 'packets' && VIEW_PASS_KEYS.includes(press.key))) continue;
        passKey(press.key, press.input);
      }
    },
    [passKey, viewKeys],
  );
  useInput(onInput);
  return passKey;
}
