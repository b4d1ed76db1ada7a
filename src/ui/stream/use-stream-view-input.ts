import { useInput } from 'ink';
import { useCallback } from 'react';
import type { Dispatch, RefObject } from 'react';
import { keyPresses } from '../input/key-name.js';
import type { StreamKeyContext, StreamViewAction } from './stream-view-state.js';

/**
 * Keys of the stream view: named and dispatched, nothing else. The model and page size are read
 * from a ref when the key arrives, so keys typed faster than frames act on what is on screen.
 */
export function useStreamViewInput(dispatch: Dispatch<StreamViewAction>, context: RefObject<StreamKeyContext>, isActive = true): void {
  const onInput = useCallback(
    (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
      for (const press of keyPresses(input, key)) {
        dispatch({ type: 'key-pressed', key: press.key, input: press.input, context: context.current });
      }
    },
    [dispatch, context],
  );
  useInput(onInput, { isActive });
}
