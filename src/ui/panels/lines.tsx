import { Box, Text } from 'ink';
import { memo } from 'react';
import type { ReactElement, ReactNode } from 'react';

/**
 * Panels describe their content as lines of toned segments; this one component turns tones into
 * Ink styles. Without colour, tones fall back to bold/inverse/underline, and anything that matters
 * is also in the text (a `>` marker, `ok`/`error` words), so nothing depends on colour alone.
 */
export type Tone =
  | 'plain' | 'title' | 'title-focused' | 'header' | 'selected' | 'cursor-row'
  | 'dim' | 'ok' | 'error' | 'warn' | 'caret';

export interface Segment {
  readonly text: string;
  readonly tone?: Tone;
}
export type Line = readonly Segment[];

export function line(text: string, tone: Tone = 'plain'): Line {
  return [{ text, tone }];
}

export interface Style {
  color?: string;
  bold?: boolean;
  inverse?: boolean;
  dimColor?: boolean;
  underline?: boolean;
}

export function styleOf(tone: Tone, isColor: boolean): Style {
  switch (tone) {
    case 'title':
      return { bold: true };
    case 'title-focused':
      return isColor ? { bold: true, inverse: true, color: 'cyan' } : { bold: true, inverse: true };
    case 'header':
      return isColor ? { bold: true, color: 'blue' } : { underline: true };
    case 'selected':
      return { inverse: true };
    case 'cursor-row':
      return isColor ? { color: 'cyan' } : {};
    case 'dim':
      return isColor ? { dimColor: true } : {};
    case 'ok':
      return isColor ? { color: 'green' } : {};
    case 'error':
      return isColor ? { color: 'red', bold: true } : { bold: true };
    case 'warn':
      return isColor ? { color: 'yellow', bold: true, inverse: true } : { bold: true, inverse: true };
    case 'caret':
      return { inverse: true };
    default:
      return {};
  }
}

export interface LinesProps {
  readonly lines: readonly Line[];
  readonly width: number;
  readonly height: number;
  readonly isColor: boolean;
}

/**
 * Adjacent segments of one tone as one; plain text stays a bare string in the line's Text, so a
 * plain line is one Ink node instead of two (Ink's per-node cost is paid on every frame).
 */
function lineChildren(segments: Line, isColor: boolean): ReactNode {
  if (segments.length === 0) return ' ';
  if (segments.length === 1 && (segments[0]!.tone ?? 'plain') === 'plain') return segments[0]!.text;
  const out: ReactNode[] = [];
  let text = segments[0]!.text;
  let tone = segments[0]!.tone ?? 'plain';
  const flush = (): void => {
    out.push(tone === 'plain' ? text : <Text key={out.length} {...styleOf(tone, isColor)}>{text}</Text>);
  };
  for (let j = 1; j < segments.length; j++) {
    const s = segments[j]!;
    const t = s.tone ?? 'plain';
    if (t === tone) {
      text += s.text;
      continue;
    }
    flush();
    text = s.text;
    tone = t;
  }
  flush();
  return out;
}

function sameLines(a: readonly Line[], b: readonly Line[], height: number): boolean {
  const n = Math.min(a.length, height);
  if (n !== Math.min(b.length, height)) return false;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) {
      if (x[j]!.text !== y[j]!.text || (x[j]!.tone ?? 'plain') !== (y[j]!.tone ?? 'plain')) return false;
    }
  }
  return true;
}

/** Runs of at least this many unstyled spaces are left to the layout instead of being written. */
const GAP = / {8,}/g;
const HAS_GAP = / {8}/;

/** One stretch of a line that is written, and how many blank cells come before it. */
interface Piece {
  readonly skip: number;
  readonly segments: Segment[];
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/**
 * The line as the stretches around its long runs of plain spaces, or null when it has none or
 * does not fit the width (Ink then truncates it whole). Ink's output pass costs about as much per
 * blank character written as per letter, and the blank columns of the tables and the chart are a
 * third of a 160x48 frame; cells nothing is written to are blank already.
 */
function splitAtGaps(segments: Line, width: number): Piece[] | null {
  let total = 0;
  let hasGap = false;
  for (const s of segments) {
    total += codePoints(s.text);
    if (!hasGap && (s.tone ?? 'plain') === 'plain' && HAS_GAP.test(s.text)) hasGap = true;
  }
  if (!hasGap || total > width) return null;
  const pieces: Piece[] = [];
  let current: Segment[] = [];
  let col = 0;
  let start = 0;
  let lastEnd = 0;
  const close = (): void => {
    if (current.length === 0) return;
    pieces.push({ skip: start - lastEnd, segments: current });
    lastEnd = col;
    current = [];
  };
  const push = (text: string, tone: Tone): void => {
    if (text === '') return;
    if (current.length === 0) start = col;
    current.push(tone === 'plain' ? { text } : { text, tone });
    col += codePoints(text);
  };
  for (const s of segments) {
    const tone = s.tone ?? 'plain';
    if (tone !== 'plain' || !HAS_GAP.test(s.text)) {
      push(s.text, tone);
      continue;
    }
    let from = 0;
    for (const m of s.text.matchAll(GAP)) {
      push(s.text.slice(from, m.index), 'plain');
      close();
      col += m[0].length;
      from = m.index + m[0].length;
    }
    push(s.text.slice(from), 'plain');
  }
  close();
  return pieces;
}

function LineView({ segments, width, isColor }: { readonly segments: Line; readonly width: number; readonly isColor: boolean }): ReactElement {
  const pieces = splitAtGaps(segments, width);
  if (pieces === null) return <Text wrap="truncate">{lineChildren(segments, isColor)}</Text>;
  return (
    <Box height={1} width={width}>
      {pieces.map((p, k) =>
        p.skip === 0 ? (
          <Text key={k}>{lineChildren(p.segments, isColor)}</Text>
        ) : (
          <Box key={k} marginLeft={p.skip} flexShrink={0}>
            <Text>{lineChildren(p.segments, isColor)}</Text>
          </Box>
        ),
      )}
    </Box>
  );
}

/**
 * No `overflow="hidden"` on the box: Ink then clips every line with slice-ansi on every frame (a
 * sixth of the drawing cost at 160x48). Lines are cut to the height here, and each line is cut to
 * the width (by Ink's truncation, or it fits), so nothing can spill out anyway.
 */
function LinesView({ lines, width, height, isColor }: LinesProps): ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.slice(0, height).map((segments, i) => (
        <LineView key={i} segments={segments} width={width} isColor={isColor} />
      ))}
    </Box>
  );
}

/** A panel whose text did not change since the last frame is not rendered again. */
export const Lines = memo(LinesView, (a, b) =>
  a.width === b.width && a.height === b.height && a.isColor === b.isColor && sameLines(a.lines, b.lines, a.height));
