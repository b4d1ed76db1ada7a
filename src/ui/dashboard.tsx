import { useCallback, useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import type { ReactElement } from 'react';
import type { UiEnv } from './env.js';
import { useDashboardInput } from './input/use-dashboard-input.js';
import { computeLayout, listPageSize } from './layout/layout.js';
import { useNames } from './names/use-names.js';
import { FOOTER_CLOSED, FOOTER_OPEN } from './panels/footer.js';
import { helpPageCount } from './panels/help.js';
import { Screen } from './screen.js';
import { createUiReducer } from './state/ui-reducer.js';
import { initialUiState, topNav } from './state/ui-state.js';
import type { SnapshotStore } from './store/snapshot-store.js';
import { useStoreEffects } from './use-store-effects.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useViewData } from './use-view-data.js';

export interface DashboardProps {
  readonly store: SnapshotStore;
  readonly env: UiEnv;
  readonly onQuit: () => void;
}

/** The top component: wires store, reducer, input and effects; drawing is `Screen`'s. */
export function Dashboard({ store, env, onQuit }: DashboardProps): ReactElement {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const reducer = useMemo(() => createUiReducer({ validate: env.validateFilter, complete: env.completeFilter }), [env]);
  const [state, dispatch] = useReducer(reducer, env.history, (h) => initialUiState({ history: h.load() }));
  const size = useTerminalSize();
  const layout = computeLayout(size.columns, size.rows, state.filterLine === null ? FOOTER_CLOSED : FOOTER_OPEN);
  const nav = topNav(state);
  const sizes = useRef({ pageSize: 1, helpPages: 1 });
  sizes.current = {
    pageSize: listPageSize(nav?.kind === 'alerts' ? layout.body : state.focus === 'protocols' ? layout.protocolTable : layout.talkers),
    helpPages: helpPageCount(layout.width, layout.height),
  };
  const view = useViewData(store, nav, snapshot);
  const isViewActive = useRef(false);
  isViewActive.current = !state.isHelpOpen && view.hasOwnKeys;
  useDashboardInput(dispatch, store, sizes, isViewActive);
  const onStreamClosed = useCallback(() => dispatch({ type: 'view-closed', kind: 'stream' }), []);
  const onPacketsClosed = useCallback(() => dispatch({ type: 'view-closed', kind: 'packets' }), []);
  const onError = useCallback((text: string) => dispatch({ type: 'notice-shown', text }), []);
  useStoreEffects(store, state, env.history.save, onQuit, onError);
  const nameOf = useNames(env.reverseLookup, state.isNamesOn, snapshot);
  const text = state.filterLine?.text ?? '';
  const check = useMemo(() => (text.trim() === '' ? null : env.validateFilter(text)), [env, text]);
  return (
    <Screen snapshot={snapshot} state={state} layout={layout} check={check} nameOf={nameOf} isColor={env.isColor}
      stream={view.stream} packets={view.packets} kept={view.kept} onStreamClosed={onStreamClosed} onPacketsClosed={onPacketsClosed} />
  );
}
