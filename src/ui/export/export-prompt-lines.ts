import { escapeForTerminal } from '../../util/escape.js';
import { padRight, truncateEnd } from '../format/text.js';
import { line } from '../panels/lines.js';
import type { Line } from '../panels/lines.js';
import type { LineEdit } from '../stream/line-edit.js';
import type { ExportPromptState } from './export-prompt-state.js';
import { targetText } from './export-target.js';

export interface ExportPromptProps {
  readonly prompt: ExportPromptState;
  /** How far back the ring reaches (`ringReach`), or null when the session keeps no packets. */
  readonly reach: string | null;
  readonly width: number;
}

/** `label path` with an inverse caret, scrolled so the caret stays in view. */
function caretLine(label: string, edit: LineEdit, width: number): Line {
  const room = Math.max(4, width - label.length - 1);
  const from = Math.max(0, edit.cursor - room + 1);
  const shown = edit.text.slice(from, from + room);
  const at = edit.cursor - from;
  const under = shown.slice(at, at + 1);
  return [
    { text: label, tone: 'title' },
    { text: escapeForTerminal(shown.slice(0, at)) },
    { text: under === '' ? ' ' : escapeForTerminal(under), tone: 'caret' },
    { text: escapeForTerminal(shown.slice(at + 1)) },
  ];
}

/** The footer while `W` is open: the path with a caret, how far back the ring goes, the keys. */
export function exportPromptLines({ prompt, reach, width }: ExportPromptProps): Line[] {
  const what = escapeForTerminal(targetText(prompt.target));
  const path = escapeForTerminal(prompt.edit.text);
  const first: Line = prompt.phase === 'editing'
    // A long target is cut, never the ` to: ` that shows where the editable path begins.
    ? caretLine(`${truncateEnd(`write ${what}`, Math.max(4, Math.floor(width / 2) - 5))} to: `, prompt.edit, width)
    : line(truncateEnd(prompt.phase === 'writing' ? `writing ${what} to ${path}…` : `${path} exists: overwrite it? y overwrites, any other key goes back to the name`, width), 'warn');
  const second = line(padRight(truncateEnd(` ${reach ?? 'no packets are kept in this session (--ring-mb 0): nothing to write'}`, width), width), 'dim');
  const hints = prompt.phase === 'confirm' ? ' y overwrite  other key: edit the name' : ' Enter write  Esc cancel  ←/→ Home End Ctrl-U Ctrl-W edit';
  return [first, second, line(truncateEnd(hints, width), 'dim')];
}
