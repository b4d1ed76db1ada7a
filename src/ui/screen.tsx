import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { Layout } from './layout/layout.js';
import { MainBody } from './main-body.js';
import { alertLines } from './panels/alerts.js';
import { detailLines } from './panels/conversation-detail.js';
import { footerLines } from './panels/footer.js';
import { headerLines } from './panels/header.js';
import { healthLines } from './panels/health.js';
import { helpLines } from './panels/help.js';
import { meterDriverLines } from './panels/meter-drivers.js';
import { exportPromptLines } from './export/export-prompt-lines.js';
import type { DriverView } from './store/drivers.js';
import { Lines } from './panels/lines.js';
import type { Line } from './panels/lines.js';
import { packetsPlaceholder, streamPlaceholder } from './panels/placeholders.js';
import type { NameOf } from './panels/talkers.js';
import type { FilterCheck } from './state/ui-reducer.js';
import { topNav } from './state/ui-state.js';
import type { NavEntry, UiState } from './state/ui-state.js';
import type { UiSnapshot } from './store/ui-snapshot.js';
import type { StreamViewSource } from './stream/stream-data.js';
import { StreamViewApp } from './stream/stream-view-app.js';
import { PacketViewApp } from './packets/packet-view-app.js';
import type { PacketsView } from './store/packet-store.js';

export interface ScreenProps {
  readonly snapshot: UiSnapshot;
  readonly state: UiState;
  readonly layout: Layout;
  readonly check: FilterCheck | null;
  readonly nameOf: NameOf;
  readonly isColor: boolean;
  /** The stream view's data: undefined when the session has no reassembly, null when this conversation has none. */
  readonly stream?: StreamViewSource | null;
  /** The packet view's data, undefined and null as for `stream`. */
  readonly packets?: PacketsView | null;
  /** Kept packets of the conversation in the detail view. */
  readonly kept?: PacketsView['summaries'];
  /** The stream or packet view asked to close (stable callbacks: the views call them from an effect). */
  readonly onStreamClosed?: () => void;
  readonly onPacketsClosed?: () => void;
  /** A key the stream view leaves to the dashboard (q, ?, space outside its prompts). */
  readonly onViewKey?: (key: string, input: string) => void;
  /** Drivers of the meter whose drill-down is on top (undefined: no monitor). */
  readonly drivers?: readonly DriverView[];
  /** How far back the ring of packets reaches, for the `W` prompt (null: no ring). */
  readonly exportReach?: string | null;
}

/** The footer's key hints for views that have their own. */
const VIEW_HINTS: Partial<Record<NavEntry['kind'], string>> = {
  stream: 'Esc back  q quit  ? help  Space pause  (the stream view\'s keys are listed above)',
  packets: 'Esc back  q quit  ? help  ↑↓ packets  Enter fields  Tab pane  e/E expand/collapse all  W write pcap',
  drivers: 'Esc back  f filter to these  F filter them out  q quit  ? help',
};

/** Alerts raised since they were last looked at; null when no baseline monitor runs. */
export function newAlertCount(snapshot: UiSnapshot, state: UiState): number | null {
  if (snapshot.baseline === undefined) return null;
  if (topNav(state)?.kind === 'alerts') return 0;
  return Math.max(0, snapshot.baseline.raised - state.alertsSeen);
}

/** The header's lines: three, or more when a narrow terminal wraps a row (the layout makes room). */
export function screenHeader(snapshot: UiSnapshot, state: UiState, width: number): Line[] {
  return headerLines({
    snapshot, isPaused: state.isPaused, displayFilter: state.displayFilter, unit: state.unit, width,
    newAlerts: newAlertCount(snapshot, state),
  });
}

/** Full-body views over the main screen, as lines. */
function viewLines(nav: NavEntry, props: ScreenProps): Line[] | null {
  const { snapshot, state, layout, nameOf } = props;
  const { width, height } = layout.body;
  switch (nav.kind) {
    case 'conversation':
      return detailLines({ snapshot, conversationId: nav.id, unit: state.unit, width, height, nameOf, kept: props.kept });
    case 'alerts':
      return alertLines({ snapshot, cursor: state.cursors['alerts'], width, height });
    case 'health':
      return healthLines({ snapshot, width, height });
    case 'drivers':
      return meterDriverLines({ snapshot, metric: nav.metric, drivers: props.drivers, width, height });
    case 'packets':
      return props.packets ? null : packetsPlaceholder(props.packets, width);
    case 'stream':
      return props.stream ? null : streamPlaceholder(props.stream, width);
    default:
      return null;
  }
}

/** The whole frame as a function of snapshot, UI state and layout. */
export function Screen(props: ScreenProps): ReactElement {
  const { snapshot, state, layout, check, isColor } = props;
  // Help is an overlay over the whole frame: at 80x24 every key fits only that way. The frame stays
  // mounted under it (hidden), so a stream or packet view keeps its place, search and selection.
  const isHelp = state.isHelpOpen;
  const help = isHelp ? <Lines lines={helpLines(layout.width, layout.height, state.helpPage)} width={layout.width} height={layout.height} isColor={isColor} /> : null;
  const nav = topNav(state);
  const header = screenHeader(snapshot, state, layout.width);
  const footer = state.exportPrompt !== null
    ? exportPromptLines({ prompt: state.exportPrompt, reach: props.exportReach ?? null, width: layout.width })
    : footerLines({ filterLine: state.filterLine, check, notice: state.notice, width: layout.width, hints: nav ? VIEW_HINTS[nav.kind] : undefined });
  const { width, height } = layout.body;
  let body: ReactElement;
  const lines = nav === null ? null : viewLines(nav, props);
  if (lines !== null) body = <Lines lines={lines} width={width} height={height} isColor={isColor} />;
  else if (nav?.kind === 'stream' && props.stream) {
    // Keyed by conversation: another stream starts with fresh view state.
    body = (
      <StreamViewApp key={nav.id} source={props.stream} width={width} height={height} isColor={isColor} isActive={!isHelp && state.exportPrompt === null}
        onClose={props.onStreamClosed} onOuterKey={props.onViewKey} />
    );
  } else if (nav?.kind === 'packets' && props.packets) {
    const p = props.packets;
    body = (
      <PacketViewApp key={nav.id ?? ''} summaries={p.summaries} detailOf={p.detailOf} width={width} height={height} isColor={isColor} isActive={!isHelp && state.exportPrompt === null}
        onClose={props.onPacketsClosed} />
    );
  } else body = <MainBody snapshot={snapshot} state={state} layout={layout} nameOf={props.nameOf} isColor={isColor} />;
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      {help}
      <Box flexDirection="column" width={layout.width} height={layout.height} display={isHelp ? 'none' : 'flex'}>
        <Lines lines={header} width={layout.width} height={layout.header.height} isColor={isColor} />
        <Box height={layout.body.height}>{body}</Box>
        <Lines lines={footer} width={layout.width} height={layout.footer.height} isColor={isColor} />
      </Box>
    </Box>
  );
}
