import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { Snapshot } from '../engine/snapshot.js';
import type { Layout } from './layout/layout.js';
import { detailLines } from './panels/conversation-detail.js';
import { footerLines } from './panels/footer.js';
import { headerLines } from './panels/header.js';
import { helpLines } from './panels/help.js';
import { Lines } from './panels/lines.js';
import { protocolLines } from './panels/protocols.js';
import { rateChartLines } from './panels/rate-chart.js';
import { talkerLines } from './panels/talkers.js';
import type { NameOf } from './panels/talkers.js';
import type { FilterCheck } from './state/ui-reducer.js';
import { topNav } from './state/ui-state.js';
import type { UiState } from './state/ui-state.js';

export interface ScreenProps {
  readonly snapshot: Snapshot;
  readonly state: UiState;
  readonly layout: Layout;
  readonly check: FilterCheck | null;
  readonly nameOf: NameOf;
  readonly isColor: boolean;
}

/** The whole frame as a pure function of snapshot, UI state and layout. */
export function Screen({ snapshot, state, layout, check, nameOf, isColor }: ScreenProps): ReactElement {
  const nav = topNav(state);
  const header = headerLines({ snapshot, isPaused: state.isPaused, displayFilter: state.displayFilter, unit: state.unit, width: layout.width });
  const footer = footerLines({ filterLine: state.filterLine, check, notice: state.notice, width: layout.width });
  if (state.isHelpOpen) {
    // Help is an overlay over the whole frame: at 80x24 every key fits only that way.
    return <Lines lines={helpLines(layout.width, layout.height)} width={layout.width} height={layout.height} isColor={isColor} />;
  }
  let body: ReactElement;
  if (nav?.kind === 'conversation') {
    const lines = detailLines({ snapshot, conversationId: nav.id, unit: state.unit, width: layout.body.width, height: layout.body.height, nameOf });
    body = <Lines lines={lines} width={layout.body.width} height={layout.body.height} isColor={isColor} />;
  } else {
    const t = layout.talkers;
    const talkers = talkerLines({ snapshot, state, width: t.width, height: t.height, isFocused: state.focus === 'talkers', nameOf });
    const pt = layout.protocolTable;
    const protocols = protocolLines({
      snapshot, cursor: state.cursors['protocols'], chartPath: state.chartPath, unit: state.unit,
      width: pt.width, height: pt.height, isFocused: state.focus === 'protocols',
    });
    const ch = layout.chart;
    const chart = rateChartLines({ snapshot, chartPath: state.chartPath, unit: state.unit, width: ch.width, height: ch.height });
    const lower = (
      <Box flexDirection={layout.arrangement === 'side' ? 'column' : 'row'} columnGap={1}>
        <Lines lines={protocols} width={pt.width} height={pt.height} isColor={isColor} />
        <Lines lines={chart} width={ch.width} height={ch.height} isColor={isColor} />
      </Box>
    );
    body = (
      <Box flexDirection={layout.arrangement === 'side' ? 'row' : 'column'} columnGap={1} height={layout.body.height}>
        <Lines lines={talkers} width={t.width} height={t.height} isColor={isColor} />
        {lower}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Lines lines={header} width={layout.width} height={layout.header.height} isColor={isColor} />
      <Box height={layout.body.height}>{body}</Box>
      <Lines lines={footer} width={layout.width} height={layout.footer.height} isColor={isColor} />
    </Box>
  );
}
