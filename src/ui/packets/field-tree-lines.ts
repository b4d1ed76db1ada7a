import { escapeForTerminal } from '../../util/escape.js';
import { truncateEnd } from '../format/text.js';
import { windowStart } from '../panels/list-window.js';
import type { ViewLine } from '../stream/view-lines.js';
import type { TreeRow } from './field-tree.js';

export interface FieldTreeInput {
  readonly title: string;
  readonly rows: readonly TreeRow[];
  readonly selected: number;
  readonly isFocused: boolean;
  readonly width: number;
  /** Rows including the title. */
  readonly height: number;
}

export function fieldTreePage(height: number): number {
  return Math.max(1, height - 1);
}

/** `▾`/`▸` for open/closed nodes, two spaces per level; the selected field is marked `>` (`·` unfocused). */
export function fieldTreeLines({ title, rows, selected, isFocused, width, height }: FieldTreeInput): ViewLine[] {
  const out: ViewLine[] = [[{ text: truncateEnd(title, width), tone: 'header' }]];
  const page = fieldTreePage(height);
  const from = windowStart(selected, rows.length, page);
  for (const [k, r] of rows.slice(from, from + page).entries()) {
    const isSel = from + k === selected;
    const twist = r.hasChildren ? (r.isExpanded ? '▾ ' : '▸ ') : '  ';
    const text = `${isSel ? (isFocused ? '>' : '·') : ' '} ${'  '.repeat(r.depth)}${twist}${escapeForTerminal(r.node.label)}`;
    out.push([{ text: truncateEnd(text, width), tone: isSel ? (isFocused ? 'selected' : 'header') : 'plain' }]);
  }
  if (rows.length === 0) out.push([{ text: '  (no packet selected)', tone: 'dim' }]);
  return out;
}
