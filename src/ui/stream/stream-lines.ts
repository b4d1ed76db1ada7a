import { escapeForTerminal } from '../../util/escape.js';
import { truncateMiddle } from '../format/text.js';
import { byteRangeOf } from './escaped-text.js';
import { hexRowCells } from './hex-row.js';
import type { StreamBlock } from './stream-data.js';
import type { StreamLayout, StreamRow } from './stream-layout.js';
import type { StreamMatch } from './stream-search.js';
import type { ViewLine, ViewSegment, ViewTone } from './view-lines.js';

export const SIDE_MARK: readonly [string, string] = ['C> ', 'S< '];
export const SIDE_TONE: readonly [ViewTone, ViewTone] = ['client', 'server'];

function markerText(b: StreamBlock): string {
  if (b.kind === 'gap') return `[${b.missing} bytes missing in capture file]`;
  if (b.kind === 'dropped') return `[${b.missing} oldest bytes dropped: ${b.why}]`;
  return '';
}

/**
 * The hits of one block that overlap its text[c0, c1): a binary search, then a walk. A block's hits
 * are in order and do not overlap (findMatches), and a broad search has up to 10,000 of them: a
 * row must not look at them all (in hex mode that cost 44 ms a frame).
 */
function hitsWithin(hits: readonly StreamMatch[], c0: number, c1: number): readonly StreamMatch[] {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[mid]!.ce <= c0) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < hits.length && hits[end]!.cs < c1) end++;
  return hits.slice(lo, end);
}

/** Pieces of text[cs, ce) with the parts inside matches toned. */
function textSegments(text: string, cs: number, ce: number, base: ViewTone, blockHits: readonly StreamMatch[], current: StreamMatch | null): ViewSegment[] {
  const out: ViewSegment[] = [];
  let at = cs;
  for (const m of hitsWithin(blockHits, cs, ce)) {
    if (m.ce <= at || m.cs >= ce) continue;
    const s = Math.max(at, m.cs);
    const e = Math.min(ce, m.ce);
    if (s > at) out.push({ text: text.slice(at, s), tone: base });
    out.push({ text: text.slice(s, e), tone: m === current ? 'match-current' : 'match' });
    at = e;
  }
  if (at < ce) out.push({ text: text.slice(at, ce), tone: base });
  return out;
}

/** Hex row cells, with the bytes of matches toned; runs of one tone are merged. */
function hexSegments(b: Extract<StreamBlock, { kind: 'data' }>, row: Extract<StreamRow, { kind: 'hex' }>, perRow: number, base: ViewTone,
  blockHits: readonly StreamMatch[], current: StreamMatch | null): ViewSegment[] {
  // The row's bytes in escaped text, with a UTF-8 sequence's worth either side (a hit may start in it).
  const map = b.escaped.byteToChar;
  const last = map.length - 1;
  const near = hitsWithin(blockHits, map[Math.max(0, row.bs - 4)]!, map[Math.min(last, row.be + 4)]!);
  const ranges = near.map((m) => ({ r: byteRangeOf(b.escaped, m.cs, m.ce), isCurrent: m === current }))
    .filter(({ r }) => r[1] > row.bs && r[0] < row.be);
  const out: { text: string; tone: ViewTone }[] = [];
  for (const cell of hexRowCells(b.bytes, row.bs, row.be - row.bs, b.offset + row.bs, perRow)) {
    let tone = base;
    if (cell.byte >= 0) {
      const hit = ranges.find(({ r }) => cell.byte >= r[0] && cell.byte < r[1]);
      if (hit) tone = hit.isCurrent ? 'match-current' : 'match';
    }
    const last = out[out.length - 1];
    if (last && last.tone === tone) last.text += cell.text;
    else out.push({ text: cell.text, tone });
  }
  return out;
}

export interface StreamBodyInput {
  readonly blocks: readonly StreamBlock[];
  readonly layout: StreamLayout;
  readonly top: number;
  readonly height: number;
  readonly matches: readonly StreamMatch[];
  readonly current: StreamMatch | null;
}

/** The visible rows: a `C> `/`S< ` gutter, then text, hex, or a marker, with search hits toned. */
export function streamBodyLines({ blocks, layout, top, height, matches, current }: StreamBodyInput): ViewLine[] {
  const rows = layout.rows.slice(top, top + height);
  if (rows.length === 0) return [[{ text: '(no data in this stream yet)', tone: 'dim' }]];
  const firstBlock = rows[0]!.block;
  const lastBlock = rows[rows.length - 1]!.block;
  // Hits by block, once a frame (they come in block order).
  const byBlock = new Map<number, StreamMatch[]>();
  for (const m of matches) {
    if (m.block < firstBlock || m.block > lastBlock) continue;
    const list = byBlock.get(m.block);
    if (list) list.push(m);
    else byBlock.set(m.block, [m]);
  }
  return rows.map((row): ViewLine => {
    const b = blocks[row.block]!;
    const side = SIDE_TONE[b.dir];
    const gutter: ViewSegment = { text: SIDE_MARK[b.dir], tone: side };
    if (row.kind === 'marker' || b.kind !== 'data') return [gutter, { text: markerText(b), tone: 'gap' }];
    const own = byBlock.get(row.block) ?? [];
    if (row.kind === 'text') return [gutter, ...textSegments(b.escaped.text, row.cs, row.ce, side, own, current)];
    const base: ViewTone = layout.mode === 'both' ? 'dim' : side;
    return [gutter, ...hexSegments(b, row, layout.perRow, base, own, current)];
  });
}

export interface StreamTitleInput {
  readonly proto: 'tcp' | 'udp';
  readonly index: number;
  readonly client: string;
  readonly server: string;
  readonly width: number;
}

/** `tcp.stream 3  C> 10.0.0.1:51234  S< 10.0.0.2:80`, endpoints shortened in the middle to fit. */
export function streamTitleLine({ proto, index, client, server, width }: StreamTitleInput): ViewLine {
  const name = ` ${proto}.stream ${index} `;
  const room = Math.max(8, Math.floor((width - name.length - 2 * (2 + SIDE_MARK[0].length)) / 2));
  return [
    { text: name, tone: 'title' },
    { text: '  ' },
    { text: SIDE_MARK[0] + truncateMiddle(escapeForTerminal(client), room), tone: 'client' },
    { text: '  ' },
    { text: SIDE_MARK[1] + truncateMiddle(escapeForTerminal(server), room), tone: 'server' },
  ];
}
