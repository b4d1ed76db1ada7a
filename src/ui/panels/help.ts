import { COMMANDS, keyLabel } from '../commands.js';
import { padRight, truncateEnd } from '../format/text.js';
import { PACKET_COMMANDS } from '../packets/packet-commands.js';
import { STREAM_COMMANDS } from '../stream/stream-commands.js';
import { line } from './lines.js';
import type { Line } from './lines.js';

interface HelpEntry {
  readonly scope: string;
  readonly keys: readonly string[];
  readonly help: string;
}

/** Every table whose keys reach the user; views with their own keys merge theirs here. */
const ENTRIES: readonly HelpEntry[] = [...COMMANDS, ...STREAM_COMMANDS, ...PACKET_COMMANDS];

const SECTIONS: readonly { readonly scope: string; readonly title: string }[] = [
  { scope: 'global', title: 'Anywhere' },
  { scope: 'list', title: 'In a list' },
  { scope: 'filter-line', title: 'Editing the filter (/)' },
  { scope: 'export-confirm', title: 'Writing a pcap (W; the path edits like the filter)' },
  { scope: 'stream', title: 'Stream view (s; also ↑↓ PgUp PgDn g G Esc)' },
  { scope: 'stream-write', title: 'Writing a stream (w)' },
  { scope: 'packets', title: 'Packet view (v; also ↑↓ PgUp PgDn g G Tab Esc)' },
];

function entryLines(): Line[] {
  const out: Line[] = [];
  for (const s of SECTIONS) {
    out.push(line(s.title, 'header'));
    for (const c of ENTRIES.filter((x) => x.scope === s.scope)) out.push(line(`  ${padRight(c.keys.map(keyLabel).join(' '), 12)} ${c.help}`));
  }
  return out;
}

function shape(width: number, height: number) {
  const entries = entryLines();
  const body = Math.max(1, height - 1);
  const columns = Math.max(1, Math.floor(width / 38));
  const perPage = body * columns;
  return { entries, body, columns, perPage, pages: Math.max(1, Math.ceil(entries.length / perPage)) };
}

/** How many pages the help takes at this size. */
export function helpPageCount(width: number, height: number): number {
  return shape(width, height).pages;
}

/**
 * The help overlay, from the command tables: in as many columns as fit, and in pages when the
 * terminal is too small for all of it (↓/↑ turn them).
 */
export function helpLines(width: number, height: number, page = 0): Line[] {
  const { entries, body, columns, perPage, pages } = shape(width, height);
  const p = Math.min(Math.max(0, page), pages - 1);
  const shown = entries.slice(p * perPage, (p + 1) * perPage);
  const cols = Math.max(1, Math.min(columns, Math.ceil(shown.length / body)));
  const perColumn = Math.ceil(shown.length / cols);
  const colWidth = Math.floor((width - 2) / cols);
  const paging = pages > 1 ? `  ↓/↑ page ${p + 1} of ${pages}` : '';
  const out: Line[] = [line(padRight(` Help: ? or Esc closes${paging} `, width), 'title-focused')];
  for (let r = 0; r < perColumn; r++) {
    const segs = [];
    for (let c = 0; c < cols; c++) {
      const e = shown[c * perColumn + r];
      const text = e ? e[0]!.text : '';
      segs.push({ text: padRight(truncateEnd(` ${text}`, colWidth), colWidth), tone: e ? e[0]!.tone : undefined });
    }
    out.push(segs);
  }
  return out;
}
