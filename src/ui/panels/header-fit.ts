import { textWidth, truncateEnd, truncateMiddle } from '../format/text.js';
import type { Line, Segment, Tone } from './lines.js';

/**
 * One field of a header row. How it gives way on a narrow terminal is data: shorter forms, then
 * (for names and filters) a cut, then the row wraps onto another line.
 */
export interface HeaderField {
  /** Longest first: the widest form that lets the row fit is shown. */
  readonly forms: readonly string[];
  readonly tone?: Tone;
  /** Spaces before the next field on the line (default 2). */
  readonly gap?: number;
  /** Fields of lower rank are shortened first (default 0). */
  readonly rank?: number;
  /** Cut in the middle (names) or at the end (filters), to no less than `min`, before the row wraps. */
  readonly cut?: { readonly at: 'middle' | 'end'; readonly min: number };
}

const gapOf = (f: HeaderField): number => f.gap ?? 2;

function widthOf(fields: readonly HeaderField[], texts: readonly string[]): number {
  return texts.reduce((n, t, i) => n + textWidth(t) + (i < texts.length - 1 ? gapOf(fields[i]!) : 0), 0);
}

/** Lowest rank first; the later field first among equals (the end of a line gives way first). */
function shrinkOrder(fields: readonly HeaderField[]): number[] {
  return fields.map((_, i) => i).sort((a, b) => (fields[a]!.rank ?? 0) - (fields[b]!.rank ?? 0) || b - a);
}

/** The widest forms that fit, then cuts; the texts may still be too wide. */
function shorten(fields: readonly HeaderField[], width: number): string[] {
  const level = fields.map(() => 0);
  const texts = (): string[] => fields.map((f, i) => f.forms[level[i]!]!);
  const order = shrinkOrder(fields);
  for (const i of order) {
    while (widthOf(fields, texts()) > width && level[i]! < fields[i]!.forms.length - 1) level[i]!++;
  }
  const out = texts();
  let over = widthOf(fields, out) - width;
  for (const i of order) {
    const cut = fields[i]!.cut;
    if (over <= 0 || cut === undefined) continue;
    const w = textWidth(out[i]!);
    const to = Math.max(Math.min(cut.min, w), w - over);
    out[i] = cut.at === 'middle' ? truncateMiddle(out[i]!, to) : truncateEnd(out[i]!, to);
    over -= w - to;
  }
  return out;
}

function toLine(fields: readonly HeaderField[], texts: readonly string[], width: number): Line {
  const segs: Segment[] = [];
  let left = width;
  texts.forEach((t, i) => {
    const gap = i < texts.length - 1 ? ' '.repeat(gapOf(fields[i]!)) : '';
    for (const s of [{ text: t, tone: fields[i]!.tone }, { text: gap }]) {
      if (left <= 0 || s.text === '') continue;
      const text = truncateEnd(s.text, left);
      segs.push({ text, tone: s.tone });
      left -= textWidth(text);
    }
  });
  return segs;
}

/**
 * A row of fields in `width` columns: each field as long as fits, and when even the shortest forms
 * and cuts do not fit, over as many lines as it takes (each line then as long as fits).
 */
export function fitRow(fields: readonly HeaderField[], width: number): Line[] {
  const shortest = fields.map((f) => f.forms[f.forms.length - 1]!);
  const groups: HeaderField[][] = [[]];
  let used = 0;
  fields.forEach((f, i) => {
    const group = groups[groups.length - 1]!;
    const w = f.cut ? Math.min(textWidth(shortest[i]!), f.cut.min) : textWidth(shortest[i]!);
    if (group.length > 0 && used + gapOf(group[group.length - 1]!) + w > width) {
      groups.push([f]);
      used = w;
    } else {
      used += (group.length === 0 ? 0 : gapOf(group[group.length - 1]!)) + w;
      group.push(f);
    }
  });
  return groups.map((g) => toLine(g, shorten(g, width), width));
}
