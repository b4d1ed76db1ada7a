import { useInput } from 'ink';
import { useCallback } from 'react';
import type { Dispatch, RefObject } from 'react';
import { keyPresses } from '../input/key-name.js';
import type { PacketKeyContext, PacketViewAction } from './packet-view-state.js';

/** Keys of the packet view: named and dispatched; the data on screen is read from a ref. */
export function usePacketViewInput(dispatch: Dispatch<PacketViewAction>, context: RefObject<PacketKeyContext>, isActive = true): void {
  const onInput = useCallback(
    (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
      for (const press of keyPresses(input, key)) dispatch({ type: 'key-pressed', key: press.key, context: context.current });
    },
    [dispatch, context],
  );
  useInput(onInput, { isActive });
}
