/**
 * Where each panel goes for a terminal size. Arrangements are a data table: the first row whose
 * minimums the terminal meets wins. One line is left unused at the bottom so that drawing never
 * scrolls the terminal.
 */

export type Arrangement = 'side' | 'stacked';

const ARRANGEMENTS: readonly { readonly minCols: number; readonly minRows: number; readonly arrangement: Arrangement }[] = [
  { minCols: 160, minRows: 30, arrangement: 'side' },
  { minCols: 0, minRows: 0, arrangement: 'stacked' },
];

export interface Rect {
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly arrangement: Arrangement;
  readonly width: number;
  readonly height: number;
  readonly header: Rect;
  /** Talkers (or host drill-down, or conversation detail when `detail` is null). */
  readonly talkers: Rect;
  readonly protocolTable: Rect;
  readonly chart: Rect;
  /** The whole body, for the conversation detail. */
  readonly body: Rect;
  readonly footer: Rect;
}

export const HEADER_HEIGHT = 3;

/** The frame's width for a terminal this wide (narrower terminals are drawn at the minimum). */
export function layoutWidth(columns: number): number {
  return Math.max(40, columns);
}

/** `headerHeight`: the header's lines at this width (more than three when a row wraps). */
export function computeLayout(columns: number, rows: number, footerHeight: number, headerHeight = HEADER_HEIGHT): Layout {
  const width = layoutWidth(columns);
  const height = Math.max(12, rows - 1);
  const arrangement = ARRANGEMENTS.find((a) => columns >= a.minCols && rows >= a.minRows)!.arrangement;
  const bodyHeight = Math.max(4, height - headerHeight - footerHeight);
  const body = { width, height: bodyHeight };
  const header = { width, height: headerHeight };
  const footer = { width, height: footerHeight };
  if (arrangement === 'side') {
    const leftWidth = Math.floor(width * 0.6);
    const rightWidth = width - leftWidth - 1;
    const tableHeight = Math.ceil(bodyHeight / 2);
    return {
      arrangement, width, height, header, footer, body,
      talkers: { width: leftWidth, height: bodyHeight },
      protocolTable: { width: rightWidth, height: tableHeight },
      chart: { width: rightWidth, height: bodyHeight - tableHeight },
    };
  }
  const talkersHeight = Math.ceil(bodyHeight * 0.55);
  const lowerHeight = bodyHeight - talkersHeight;
  const tableWidth = Math.min(56, Math.floor(width * 0.48));
  return {
    arrangement, width, height, header, footer, body,
    talkers: { width, height: talkersHeight },
    protocolTable: { width: tableWidth, height: lowerHeight },
    chart: { width: width - tableWidth - 1, height: lowerHeight },
  };
}

/** Rows a list panel shows: its height less the title and column header lines. */
export function listPageSize(rect: Rect): number {
  return Math.max(1, rect.height - 2);
}
