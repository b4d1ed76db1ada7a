import { bytesPerRow } from './hex-row.js';
import type { StreamBlock } from './stream-data.js';

export type StreamMode = 'ascii' | 'hex' | 'both';
export const STREAM_MODES: readonly StreamMode[] = ['ascii', 'hex', 'both'];

/** `C> ` / `S< `: the side of every row in text, so it reads without colour. */
export const GUTTER_WIDTH = 3;

/** A screen row: a slice of a block's escaped text, of its bytes (hex), or a marker line. */
export type StreamRow =
  | { readonly kind: 'text'; readonly block: number; readonly cs: number; readonly ce: number }
  | { readonly kind: 'hex'; readonly block: number; readonly bs: number; readonly be: number }
  | { readonly kind: 'marker'; readonly block: number };

export interface StreamLayout {
  readonly mode: StreamMode;
  readonly width: number;
  readonly rows: readonly StreamRow[];
  /** Row index of each block's first row. */
  readonly blockStart: readonly number[];
  /** Hex bytes per row. */
  readonly perRow: number;
}

/** Rows of one data block's text: split at newlines, wrapped at `width` without splitting an escape. */
function textRows(block: number, text: string, map: Int32Array, width: number, out: StreamRow[]): void {
  const n = map.length - 1;
  let rowStart = 0;
  let rowWidth = 0;
  let i = 0;
  while (i < n) {
    const cs = map[i]!;
    let j = i + 1;
    while (j < n && map[j] === cs) j++;
    const ce = map[j]!;
    i = j;
    if (text.charCodeAt(cs) === 0x0a) {
      out.push({ kind: 'text', block, cs: rowStart, ce: cs });
      rowStart = ce;
      rowWidth = 0;
      continue;
    }
    const w = ce - cs === 2 && text.charCodeAt(cs) >= 0xd800 && text.charCodeAt(cs) <= 0xdbff ? 1 : ce - cs;
    if (rowWidth > 0 && rowWidth + w > width) {
      out.push({ kind: 'text', block, cs: rowStart, ce: cs });
      rowStart = cs;
      rowWidth = 0;
    }
    rowWidth += w;
  }
  if (rowStart < text.length) out.push({ kind: 'text', block, cs: rowStart, ce: text.length });
}

function hexRows(block: number, length: number, perRow: number, out: StreamRow[]): void {
  for (let bs = 0; bs < length; bs += perRow) out.push({ kind: 'hex', block, bs, be: Math.min(length, bs + perRow) });
}

export function layoutStream(blocks: readonly StreamBlock[], mode: StreamMode, width: number): StreamLayout {
  const content = Math.max(8, width - GUTTER_WIDTH);
  const perRow = bytesPerRow(content);
  const rows: StreamRow[] = [];
  const blockStart: number[] = [];
  blocks.forEach((b, k) => {
    blockStart.push(rows.length);
    if (b.kind !== 'data') {
      rows.push({ kind: 'marker', block: k });
      return;
    }
    if (mode !== 'hex') textRows(k, b.escaped.text, b.escaped.byteToChar, content, rows);
    if (mode !== 'ascii') hexRows(k, b.bytes.length, perRow, rows);
  });
  return { mode, width, rows, blockStart, perRow };
}

/** Block shown on a row (the last block starting at or before it). */
export function blockAtRow(layout: StreamLayout, row: number): number {
  const s = layout.blockStart;
  let lo = 0;
  let hi = s.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
