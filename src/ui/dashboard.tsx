import { useCallback, useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import type { ReactElement } from 'react';
import type { UiEnv } from './env.js';
import { useDashboardInput } from './input/use-dashboard-input.js';
import type { ViewKeys } from './input/use-dashboard-input.js';
import { computeLayout, layoutWidth, listPageSize } from './layout/layout.js';
import { useNames } from './names/use-names.js';
import { FOOTER_CLOSED, FOOTER_OPEN } from './panels/footer.js';
import { helpPageCount } from './panels/help.js';
import { Screen, screenHeader } from './screen.js';
import { createUiReducer } from './state/ui-reducer.js';
import { initialUiState, topNav } from './state/ui-state.js';
import type { SnapshotStore } from './store/snapshot-store.js';
import { useStoreEffects } from './use-store-effects.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useViewData } from './use-view-data.js';
import { useExportEffect, useRingReach } from './export/use-export-effect.js';
import { useMeterDrivers } from './use-meter-drivers.js';
import type { DriverView } from './store/drivers.js';

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
  const footerHeight = state.filterLine === null && state.exportPrompt === null ? FOOTER_CLOSED : FOOTER_OPEN;
  const layout = computeLayout(size.columns, size.rows, footerHeight, screenHeader(snapshot, state, layoutWidth(size.columns)).length);
  const nav = topNav(state);
  const drivers = useMeterDrivers(store, nav, snapshot);
  // What a key needs besides the snapshot; `drivers` is what `f` filters to in a meter's drill-down.
  const sizes = useRef<{ pageSize: number; helpPages: number; drivers?: readonly DriverView[] }>({ pageSize: 1, helpPages: 1 });
  sizes.current = {
    pageSize: listPageSize(nav?.kind === 'alerts' ? layout.body : state.focus === 'protocols' ? layout.protocolTable : state.focus === 'meters' ? layout.chart : layout.talkers),
    helpPages: helpPageCount(layout.width, layout.height),
    drivers,
  };
  const view = useViewData(store, nav, snapshot);
  const viewKeys = useRef<ViewKeys>('none');
  viewKeys.current = state.isHelpOpen || state.exportPrompt !== null || !view.hasOwnKeys ? 'none' : nav?.kind === 'stream' ? 'stream' : 'packets';
  const passKey = useDashboardInput(dispatch, store, sizes, viewKeys);
  const onStreamClosed = useCallback(() => dispatch({ type: 'view-closed', kind: 'stream' }), []);
  const onPacketsClosed = useCallback(() => dispatch({ type: 'view-closed', kind: 'packets' }), []);
  const onError = useCallback((text: string) => dispatch({ type: 'notice-shown', text }), []);
  useStoreEffects(store, state, env.history.save, onQuit, onError);
  useExportEffect(store, state.exportPrompt, dispatch);
  const exportReach = useRingReach(store, state.exportPrompt !== null, snapshot);
  const nameOf = useNames(env.reverseLookup, state.isNamesOn, snapshot);
  const text = state.filterLine?.text ?? '';
  const check = useMemo(() => (text.trim() === '' ? null : env.validateFilter(text)), [env, text]);
  return (
    <Screen snapshot={snapshot} state={state} layout={layout} check={check} nameOf={nameOf} isColor={env.isColor}
      stream={view.stream} packets={view.packets} kept={view.kept} onStreamClosed={onStreamClosed} onPacketsClosed={onPacketsClosed} onViewKey={passKey}
      drivers={drivers} exportReach={exportReach} />
  );
}
