import { COMMANDS, keyLabel } from '../commands.js';
import type { CommandScope } from '../commands.js';
import { padRight, truncateEnd } from '../format/text.js';
import { line } from './lines.js';
import type { Line } from './lines.js';

const SECTIONS: readonly { readonly scope: CommandScope; readonly title: string }[] = [
  { scope: 'global', title: 'Anywhere' },
  { scope: 'list', title: 'In a list' },
  { scope: 'filter-line', title: 'Editing the filter (/)' },
];

/** The help overlay, from the command table; in two columns when the terminal is wide enough. */
export function helpLines(width: number, height: number): Line[] {
  const entries: Line[] = [];
  for (const s of SECTIONS) {
    entries.push(line(s.title, 'header'));
    for (const c of COMMANDS.filter((x) => x.scope === s.scope)) {
      const keys = c.keys.map(keyLabel).join(' ');
      entries.push(line(`  ${padRight(keys, 12)} ${c.help}`));
    }
  }
  const body = height - 2;
  const columns = Math.max(1, Math.min(Math.ceil(entries.length / Math.max(1, body)), Math.floor(width / 38)));
  const colWidth = Math.floor((width - 2) / columns);
  const out: Line[] = [line(padRight(' Help: ? or Esc closes ', width), 'title-focused')];
  const perColumn = Math.ceil(entries.length / columns);
  for (let r = 0; r < Math.min(perColumn, body); r++) {
    const segs = [];
    for (let c = 0; c < columns; c++) {
      const e = entries[c * perColumn + r];
      const text = e ? e[0]!.text : '';
      segs.push({ text: padRight(truncateEnd(` ${text}`, colWidth), colWidth), tone: e ? e[0]!.tone : undefined });
    }
    out.push(segs);
  }
  if (perColumn > body) out.push(line(' … (terminal too small for all keys)', 'dim'));
  return out;
}
