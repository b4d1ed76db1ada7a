import type { RateUnit } from '../format/units.js';
import type { SortKey, TalkerView } from '../rows/talker-rows.js';

export type PanelId = 'talkers' | 'protocols';
export const PANELS: readonly PanelId[] = ['talkers', 'protocols'];

/** A drill-down level above the main screen; room is left for stream and deviation views. */
export type NavEntry =
  | { readonly kind: 'host'; readonly addr: string }
  | { readonly kind: 'conversation'; readonly id: string };

/** Selection in a list: the row's key (stable across snapshots) and its last index (fallback). */
export interface Cursor {
  readonly key: string | null;
  readonly index: number;
}

export interface FilterLineState {
  readonly text: string;
  readonly cursor: number;
  /** Position in the history while browsing it with up/down, or null. */
  readonly historyIndex: number | null;
  /** What was typed before browsing the history, restored when browsing past the newest. */
  readonly draft: string;
}

export interface UiState {
  readonly focus: PanelId;
  readonly view: TalkerView;
  readonly sort: SortKey;
  readonly unit: RateUnit;
  readonly nav: readonly NavEntry[];
  readonly cursors: Readonly<Record<string, Cursor>>;
  /** Protocol path charted; '' is all traffic. */
  readonly chartPath: string;
  readonly isPaused: boolean;
  readonly isNamesOn: boolean;
  readonly isHelpOpen: boolean;
  readonly isQuitting: boolean;
  readonly filterLine: FilterLineState | null;
  /** The display filter applied, or null. */
  readonly displayFilter: string | null;
  /** Applied filters, newest last. */
  readonly history: readonly string[];
  /** One-line message for the status bar (e.g. why `f` did nothing). */
  readonly notice: string | null;
}

export const HISTORY_LIMIT = 100;

export function initialUiState(init: { readonly history?: readonly string[]; readonly displayFilter?: string | null } = {}): UiState {
  return {
    focus: 'talkers',
    view: 'hosts',
    sort: 'r2',
    unit: 'bits',
    nav: [],
    cursors: {},
    chartPath: '',
    isPaused: false,
    isNamesOn: false,
    isHelpOpen: false,
    isQuitting: false,
    filterLine: null,
    displayFilter: init.displayFilter ?? null,
    history: (init.history ?? []).slice(-HISTORY_LIMIT),
    notice: null,
  };
}

export function topNav(state: UiState): NavEntry | null {
  return state.nav.length === 0 ? null : state.nav[state.nav.length - 1]!;
}
