import { useInput } from 'ink';
import { useCallback, useRef } from 'react';
import type { Dispatch, RefObject } from 'react';
import { VIEW_PASS_KEYS, keyPresses } from '../input/key-name.js';
import { streamKeyMode, streamViewReducer } from './stream-view-state.js';
import type { StreamKeyContext, StreamViewAction, StreamViewState } from './stream-view-state.js';

/** For handing keys the view does not take (quit, help, pause) to its owner. */
export interface StreamOuterKeys {
  /** The state React has now. */
  readonly state: StreamViewState;
  readonly onKey: (key: string, input: string) => void;
}

/**
 * Keys of the stream view: named and dispatched, nothing else. The model and page size are read
 * from a ref when the key arrives, so keys typed faster than frames act on what is on screen.
 * With `outer`, VIEW_PASS_KEYS go to `outer.onKey` while no prompt (search line, write path) is
 * open. Whether one is open is decided key by key: the (pure) reducer is run here too on a copy of
 * the state, so `/q` typed in one read searches for "q" rather than quitting.
 */
export function useStreamViewInput(dispatch: Dispatch<StreamViewAction>, context: RefObject<StreamKeyContext>, isActive = true, outer?: StreamOuterKeys): void {
  const shadow = useRef<StreamViewState | null>(null);
  shadow.current = outer?.state ?? null;
  const onKey = useRef<StreamOuterKeys['onKey'] | null>(null);
  onKey.current = outer?.onKey ?? null;
  const onInput = useCallback(
    (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
      for (const press of keyPresses(input, key)) {
        const s = shadow.current;
        const pass = onKey.current;
        if (s !== null && pass !== null && VIEW_PASS_KEYS.includes(press.key) && streamKeyMode(s) === 'stream') {
          pass(press.key, press.input);
          continue;
        }
        const action: StreamViewAction = { type: 'key-pressed', key: press.key, input: press.input, context: context.current };
        if (s !== null) shadow.current = streamViewReducer(s, action);
        dispatch(action);
      }
    },
    [dispatch, context],
  );
  useInput(onInput, { isActive });
}
