import { Box } from 'ink';
import type { ReactElement } from 'react';
import { escapeForTerminal } from '../../util/escape.js';
import { truncateEnd } from '../format/text.js';
import { streamTotals } from './stream-data.js';
import { streamBodyLines, streamTitleLine } from './stream-lines.js';
import type { StreamModel } from './stream-model.js';
import { streamStatusLine } from './stream-status.js';
import { shownTop } from './stream-view-state.js';
import type { StreamViewState } from './stream-view-state.js';
import { ViewLines, viewLine } from './view-lines.js';
import type { ViewLine } from './view-lines.js';
import { WRITE_PROMPT_HINT, editLine, writePromptLines } from './write-prompt.js';

/** Rows around the body: title, status, prompt. */
export const STREAM_CHROME_ROWS = 3;

export function streamPageSize(height: number): number {
  return Math.max(1, height - STREAM_CHROME_ROWS);
}

export const STREAM_HINT = 'm mode  f follow  / search  n/N next/prev  [ ] blocks  w write  Esc back';

function footerLine(state: StreamViewState, width: number): ViewLine {
  if (state.write !== null) return writePromptLines(state.write, width)[0]!;
  if (state.searchLine !== null) return editLine('/', state.searchLine, width);
  if (state.notice !== null) return viewLine(truncateEnd(escapeForTerminal(state.notice), width));
  return viewLine(truncateEnd(STREAM_HINT, width), 'dim');
}

export interface StreamViewProps {
  readonly model: StreamModel;
  readonly state: StreamViewState;
  readonly width: number;
  readonly height: number;
  readonly isColor: boolean;
}

/** The stream view as a pure function of the model (source at this width) and view state. */
export function StreamView({ model, state, width, height, isColor }: StreamViewProps): ReactElement {
  const page = streamPageSize(height);
  const layout = model.layout(state.mode);
  const top = shownTop(state, layout.rows.length, page);
  const matches = model.matches(state.query);
  const current = state.matchIndex >= 0 ? matches[state.matchIndex] ?? null : null;
  const { bytes, missing } = streamTotals(model.source);
  const s = model.source;
  const lines: ViewLine[] = [
    streamTitleLine({ proto: s.proto, index: s.index, client: s.client, server: s.server, width }),
    ...padTo(streamBodyLines({ blocks: model.blocks, layout, top, height: page, matches, current }), page),
    streamStatusLine({
      bytes, missing, dropped: s.dropped, mode: state.mode, isFollowing: state.isFollowing, query: state.query,
      matchIndex: state.matchIndex, matchCount: matches.length, top, rowCount: layout.rows.length, width,
    }),
    footerLine(state, width),
  ];
  const hint = state.write?.phase === 'editing' ? WRITE_PROMPT_HINT : null;
  if (hint !== null && lines.length > 0) lines[lines.length - 2] = viewLine(truncateEnd(hint, width), 'dim');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <ViewLines lines={lines} width={width} height={height} isColor={isColor} />
    </Box>
  );
}

function padTo(lines: ViewLine[], n: number): ViewLine[] {
  while (lines.length < n) lines.push([]);
  return lines;
}
