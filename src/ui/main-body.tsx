import { Box } from 'ink';
import type { ReactElement } from 'react';
import type { Layout } from './layout/layout.js';
import { Lines } from './panels/lines.js';
import { meterLines } from './panels/meters.js';
import { protocolLines } from './panels/protocols.js';
import { rateChartLines } from './panels/rate-chart.js';
import { talkerLines } from './panels/talkers.js';
import type { NameOf } from './panels/talkers.js';
import type { UiState } from './state/ui-state.js';
import type { UiSnapshot } from './store/ui-snapshot.js';

export interface MainBodyProps {
  readonly snapshot: UiSnapshot;
  readonly state: UiState;
  readonly layout: Layout;
  readonly nameOf: NameOf;
  readonly isColor: boolean;
}

/** Talkers, protocol table, and the chart or the deviation meters, arranged by the layout. */
export function MainBody({ snapshot, state, layout, nameOf, isColor }: MainBodyProps): ReactElement {
  const t = layout.talkers;
  const talkers = talkerLines({ snapshot, state, width: t.width, height: t.height, isFocused: state.focus === 'talkers', nameOf });
  const pt = layout.protocolTable;
  const protocols = protocolLines({
    snapshot, cursor: state.cursors['protocols'], chartPath: state.chartPath, unit: state.unit,
    width: pt.width, height: pt.height, isFocused: state.focus === 'protocols',
  });
  const ch = layout.chart;
  const slot = state.lowerPanel === 'meters'
    ? meterLines({ snapshot, width: ch.width, height: ch.height, isFocused: state.focus === 'meters', cursor: state.cursors['meters'] })
    : rateChartLines({ snapshot, chartPath: state.chartPath, unit: state.unit, width: ch.width, height: ch.height });
  const lower = (
    <Box flexDirection={layout.arrangement === 'side' ? 'column' : 'row'} columnGap={1}>
      <Lines lines={protocols} width={pt.width} height={pt.height} isColor={isColor} />
      <Lines lines={slot} width={ch.width} height={ch.height} isColor={isColor} />
    </Box>
  );
  return (
    <Box flexDirection={layout.arrangement === 'side' ? 'row' : 'column'} columnGap={1} height={layout.body.height}>
      <Lines lines={talkers} width={t.width} height={t.height} isColor={isColor} />
      {lower}
    </Box>
  );
}
