import { COMMANDS, keyLabel } from '../commands.js';
import { padRight, textWidth, wrapWords } from '../format/text.js';
import { PACKET_COMMANDS } from '../packets/packet-commands.js';
import { STREAM_COMMANDS } from '../stream/stream-commands.js';
import { line } from './lines.js';
import type { Line, Tone } from './lines.js';

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

const KEY_WIDTH = 12;
/** Narrowest column worth having: the key column and a few words of help. */
const MIN_COLUMN = 38;

/** One entry or section title, wrapped to the column; never split across columns or pages. */
interface Block {
  readonly lines: readonly string[];
  readonly tone: Tone;
  /** A section title stays with its first entry. */
  readonly isTitle: boolean;
}

function blocks(room: number): Block[] {
  const out: Block[] = [];
  for (const s of SECTIONS) {
    out.push({ lines: wrapWords(s.title, room).map((t, i) => (i === 0 ? t : `  ${t}`)), tone: 'header', isTitle: true });
    for (const c of ENTRIES.filter((x) => x.scope === s.scope)) {
      const keys = padRight(c.keys.map(keyLabel).join(' '), KEY_WIDTH);
      const indent = 2 + textWidth(keys) + 1;
      const text = wrapWords(c.help, Math.max(8, room - indent));
      out.push({ lines: text.map((t, i) => (i === 0 ? `  ${keys} ${t}` : `${' '.repeat(indent)}${t}`)), tone: 'plain', isTitle: false });
    }
  }
  return out;
}

type Column = { text: string; tone: Tone }[];

/** Blocks into columns of `body` lines. */
function fill(all: readonly Block[], body: number): Column[] {
  const columns: Column[] = [[]];
  all.forEach((b, i) => {
    const need = b.lines.length + (b.isTitle ? (all[i + 1]?.lines.length ?? 0) : 0);
    let col = columns[columns.length - 1]!;
    if (col.length > 0 && col.length + need > body) columns.push((col = []));
    for (const text of b.lines) {
      if (col.length >= body) columns.push((col = []));
      col.push({ text, tone: b.tone });
    }
  });
  return columns;
}

/** Columns per page and the pages: the count that needs the fewest pages, then the widest. */
function shape(width: number, height: number) {
  const body = Math.max(1, height - 1);
  const most = Math.max(1, Math.floor(width / MIN_COLUMN));
  let best: { cols: number; colWidth: number; pages: Column[][] } | null = null;
  for (let cols = 1; cols <= most; cols++) {
    const colWidth = Math.floor((width - 2) / cols);
    const columns = fill(blocks(colWidth - 2), body); // a leading space and a gap before the next column
    const pages: Column[][] = [];
    for (let i = 0; i < columns.length; i += cols) pages.push(columns.slice(i, i + cols));
    if (best === null || pages.length < best.pages.length) best = { cols, colWidth, pages };
  }
  return best!;
}

/** How many pages the help takes at this size. */
export function helpPageCount(width: number, height: number): number {
  return shape(width, height).pages.length;
}

/**
 * The help overlay, from the command tables: entries wrapped (never cut) in as many columns as
 * keep the page count lowest, and in pages when the terminal is too small for all of it (↓/↑).
 */
export function helpLines(width: number, height: number, page = 0): Line[] {
  const { colWidth, pages } = shape(width, height);
  const p = Math.min(Math.max(0, page), pages.length - 1);
  const shown = pages[p]!;
  const paging = pages.length > 1 ? `  ↓/↑ page ${p + 1} of ${pages.length}` : '';
  const out: Line[] = [line(padRight(` Help: ? or Esc closes${paging} `, width), 'title-focused')];
  const rows = Math.max(...shown.map((c) => c.length));
  for (let r = 0; r < rows; r++) {
    out.push(shown.map((c) => {
      const e = c[r];
      return { text: padRight(e ? ` ${e.text}` : '', colWidth), tone: e?.tone };
    }));
  }
  return out;
}
