import type { RateUnit } from '../format/units.js';
import type { SortKey, TalkerView } from '../rows/talker-rows.js';
import type { ExportPromptState } from '../export/export-prompt-state.js';

/** 'meters' takes the focus (Tab) only while the meters are shown in the chart's place. */
export type PanelId = 'talkers' | 'protocols' | 'meters';
export const PANELS: readonly PanelId[] = ['talkers', 'protocols'];

/** A level above the main screen; Esc goes back one. Conversation ids are ConversationRow.id. */
export type NavEntry =
  | { readonly kind: 'host'; readonly addr: string }
  | { readonly kind: 'conversation'; readonly id: string }
  | { readonly kind: 'stream'; readonly id: string }
  /** Packets of one conversation, or of everything (null). */
  | { readonly kind: 'packets'; readonly id: string | null }
  | { readonly kind: 'alerts' }
  /** What drives one deviation meter (Enter on a meter row). */
  | { readonly kind: 'drivers'; readonly metric: string }
  | { readonly kind: 'health' };

/** What the lower-right slot of the main screen shows. */
export type LowerPanel = 'chart' | 'meters';

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
  readonly lowerPanel: LowerPanel;
  /** `BaselineView.raised` when the alerts were last looked at; the header counts the rest as new. */
  readonly alertsSeen: number;
  readonly isPaused: boolean;
  readonly isNamesOn: boolean;
  readonly isHelpOpen: boolean;
  /** Page of the help overlay shown (kept inside the page count when drawn). */
  readonly helpPage: number;
  readonly isQuitting: boolean;
  readonly filterLine: FilterLineState | null;
  /** The display filter applied, or null. */
  readonly displayFilter: string | null;
  /** Applied filters, newest last. */
  readonly history: readonly string[];
  /** One-line message for the status bar (e.g. why `f` did nothing). */
  readonly notice: string | null;
  /** The `W` prompt (write the selection's packets to a pcap), or null. */
  readonly exportPrompt: ExportPromptState | null;
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
    lowerPanel: 'chart',
    alertsSeen: 0,
    isPaused: false,
    isNamesOn: false,
    isHelpOpen: false,
    helpPage: 0,
    isQuitting: false,
    filterLine: null,
    displayFilter: init.displayFilter ?? null,
    history: (init.history ?? []).slice(-HISTORY_LIMIT),
    notice: null,
    exportPrompt: null,
  };
}

export function topNav(state: UiState): NavEntry | null {
  return state.nav.length === 0 ? null : state.nav[state.nav.length - 1]!;
}
