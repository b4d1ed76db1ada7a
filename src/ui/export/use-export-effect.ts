import { useEffect, useMemo } from 'react';
import type { Dispatch } from 'react';
import type { UiAction } from '../state/ui-reducer.js';
import type { SnapshotStore } from '../store/snapshot-store.js';
import type { ExportPromptState } from './export-prompt-state.js';

/** Carries an Enter on the `W` prompt to the store, and the outcome back to the reducer. */
export function useExportEffect(store: SnapshotStore, prompt: ExportPromptState | null, dispatch: Dispatch<UiAction>): void {
  const pending = prompt?.phase === 'writing' ? prompt : null;
  useEffect(() => {
    if (pending === null) return;
    const outcome = store.exportPcap
      ? store.exportPcap(pending.target, pending.edit.text.trim(), { overwrite: pending.overwrite })
      : { ok: false as const, exists: false, message: 'no packets are kept in this session (--ring-mb 0)' };
    dispatch({ type: 'export-finished', outcome });
  }, [pending, store, dispatch]);
}

/** The ring's reach for the prompt, read once per published snapshot while the prompt is open. */
export function useRingReach(store: SnapshotStore, isOpen: boolean, snapshot: unknown): string | null {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => (isOpen && store.ringReach ? store.ringReach() : null), [store, isOpen, snapshot]);
}
