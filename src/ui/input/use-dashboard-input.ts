import { useInput } from 'ink';
import { useCallback } from 'react';
import type { Dispatch, RefObject } from 'react';
import type { UiAction } from '../state/ui-reducer.js';
import type { SnapshotStore } from '../store/snapshot-store.js';
import { keyPresses } from './key-name.js';

/**
 * The one input handler. It only names the key and dispatches: the reducer decides what the key
 * means in the current mode, so keys typed faster than frames are each applied to the latest
 * state. The snapshot and page sizes are read when the key arrives (store and ref, not state).
 */
export function useDashboardInput(
  dispatch: Dispatch<UiAction>,
  store: SnapshotStore,
  sizes: RefObject<{ readonly pageSize: number; readonly helpPages: number }>,
  /** True while a view with its own keys (the stream view) has them: only Ctrl-C is ours then. */
  isViewActive: RefObject<boolean>,
): void {
  const onInput = useCallback(
    (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
      for (const press of keyPresses(input, key)) {
        if (isViewActive.current && press.key !== 'ctrl+c') continue;
        dispatch({
          type: 'key-pressed',
          key: press.key,
          input: press.input,
          context: { snapshot: store.getSnapshot(), ...sizes.current },
        });
      }
    },
    [dispatch, store, sizes, isViewActive],
  );
  useInput(onInput);
}
