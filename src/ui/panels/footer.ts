import { escapeForTerminal } from '../../util/escape.js';
import { padRight, textWidth, truncateEnd } from '../format/text.js';
import type { FilterCheck } from '../state/ui-reducer.js';
import type { FilterLineState } from '../state/ui-state.js';
import type { Line, Segment } from './lines.js';
import { line } from './lines.js';

export interface FooterProps {
  readonly filterLine: FilterLineState | null;
  readonly check: FilterCheck | null;
  readonly notice: string | null;
  readonly width: number;
  /** Key hints of the view on screen, instead of the main screen's. */
  readonly hints?: string;
}

export const FOOTER_CLOSED = 1;
export const FOOTER_OPEN = 3;

const HINTS = '? help  q quit  / filter  t view  1/2/3/c sort  b bits/bytes  Enter drill  Esc back  s stream  a alerts  d meters  h health  space pause  n names  p chart  Tab panel';

/** As many whole hints (separated by two spaces) as fit, rather than one cut in the middle. */
function fitHints(hints: string, width: number): string {
  let out = '';
  for (const h of hints.split('  ')) {
    const next = out === '' ? h : `${out}  ${h}`;
    if (textWidth(next) > width) break;
    out = next;
  }
  return out === '' ? truncateEnd(hints, width) : out;
}

/**
 * The bottom line: key hints, or the filter being typed with its verdict as a word and a colour,
 * then a caret under the error column and the message.
 */
export function footerLines(props: FooterProps): Line[] {
  const { filterLine, check, width } = props;
  if (filterLine === null) {
    return [props.notice ? line(padRight(truncateEnd(props.notice, width), width), 'warn') : line(fitHints(props.hints ?? HINTS, width), 'dim')];
  }
  const verdict: Segment = filterLine.text.trim() === ''
    ? { text: ' (empty: clears) ', tone: 'dim' }
    : check?.ok === false
      ? { text: ' ✗ invalid ', tone: 'error' }
      : { text: ' ✓ valid ', tone: 'ok' };
  const prefix = 'filter> ';
  const room = Math.max(4, width - prefix.length - 18);
  const text = escapeForTerminal(filterLine.text);
  const start = Math.max(0, filterLine.cursor - room + 1);
  const shown = text.slice(start, start + room);
  const at = filterLine.cursor - start;
  const before = shown.slice(0, at);
  const under = shown[at] ?? ' ';
  const after = shown.slice(at + 1);
  const first: Segment[] = [
    { text: prefix, tone: 'title' },
    { text: before },
    { text: under, tone: 'caret' },
    { text: padRight(after, Math.max(0, room - before.length - 1)) },
    verdict,
    // The caret is drawn inverse, which a monochrome terminal may not show; say where it is.
    { text: `col ${filterLine.cursor + 1}`, tone: 'dim' },
  ];
  if (check === null || check.ok || filterLine.text.trim() === '') {
    return [first, line(' Enter apply  Esc cancel  Tab complete  ↑/↓ history  Ctrl-U/Ctrl-W delete', 'dim'), []];
  }
  const col = check.column - 1 - start;
  const caret = col >= 0 && col <= room ? ' '.repeat(prefix.length + col) + '^' : ' '.repeat(prefix.length) + '<';
  return [first, line(caret, 'error'), line(truncateEnd(` column ${check.column}: ${check.message}`, width), 'error')];
}
