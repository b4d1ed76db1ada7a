import { bytesPerRow, hexRowCells } from '../stream/hex-row.js';
import type { ViewLine, ViewSegment, ViewTone } from '../stream/view-lines.js';

const OFFSET_DIGITS = 4;

export interface PacketHexInput {
  readonly bytes: Uint8Array;
  /** Highlighted byte range [start, end), or null. */
  readonly highlight: readonly [number, number] | null;
  readonly width: number;
  readonly height: number;
}

function rowLine(bytes: Uint8Array, start: number, count: number, perRow: number, hi: readonly [number, number] | null): ViewLine {
  const out: { text: string; tone: ViewTone }[] = [];
  for (const c of hexRowCells(bytes, start, count, start, perRow, OFFSET_DIGITS)) {
    const tone: ViewTone = hi !== null && c.byte >= hi[0] && c.byte < hi[1] ? 'highlight' : 'plain';
    const last = out[out.length - 1];
    if (last && last.tone === tone) last.text += c.text;
    else out.push({ text: c.text, tone });
  }
  return out;
}

/** Under a row, `^^` below each highlighted byte and `^` below its character: visible without colour. */
function markerLine(bytes: Uint8Array, start: number, count: number, perRow: number, hi: readonly [number, number]): ViewLine {
  let text = '';
  for (const c of hexRowCells(bytes, start, count, start, perRow, OFFSET_DIGITS)) {
    const on = c.byte >= hi[0] && c.byte < hi[1];
    text += on ? '^'.repeat(c.text.length) : ' '.repeat(c.text.length);
  }
  return [{ text: text.trimEnd(), tone: 'marker' } as ViewSegment];
}

/**
 * The packet's bytes as a hex dump, the selected field's bytes in inverse video with a marker row
 * under each row they touch. When the dump is taller than the pane, the window starts a row above
 * the highlight so it is always in view.
 */
export function packetHexLines({ bytes, highlight, width, height }: PacketHexInput): ViewLine[] {
  const perRow = bytesPerRow(width, OFFSET_DIGITS);
  const hi = highlight !== null && highlight[1] > highlight[0] ? highlight : null;
  // A field that is the whole packet (the Frame layer) marks nothing in particular: no marker rows.
  const isWhole = hi !== null && hi[0] <= 0 && hi[1] >= bytes.length;
  const all: { line: ViewLine; firstByte: number }[] = [];
  for (let s = 0; s < bytes.length; s += perRow) {
    const count = Math.min(perRow, bytes.length - s);
    all.push({ line: rowLine(bytes, s, count, perRow, hi), firstByte: s });
    if (hi !== null && !isWhole && hi[0] < s + count && hi[1] > s) all.push({ line: markerLine(bytes, s, count, perRow, hi), firstByte: s });
  }
  if (all.length === 0) return [[{ text: '(no bytes)', tone: 'dim' }]];
  let from = 0;
  if (all.length > height && hi !== null) {
    const at = all.findIndex((r) => r.firstByte + perRow > hi[0]);
    from = Math.max(0, Math.min(at - 1, all.length - height));
  }
  return all.slice(from, from + height).map((r) => r.line);
}
