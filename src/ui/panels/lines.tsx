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

/**
 * No `overflow="hidden"` on the box: Ink then clips every line with slice-ansi on every frame (a
 * sixth of the drawing cost at 160x48). Lines are cut to the height here, and each line's Text
 * truncates to the width, so nothing can spill out anyway.
 */
function LinesView({ lines, width, height, isColor }: LinesProps): ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.slice(0, height).map((segments, i) => (
        <Text key={i} wrap="truncate">
          {lineChildren(segments, isColor)}
        </Text>
      ))}
    </Box>
  );
}

/** A panel whose text did not change since the last frame is not rendered again. */
export const Lines = memo(LinesView, (a, b) =>
  a.width === b.width && a.height === b.height && a.isColor === b.isColor && sameLines(a.lines, b.lines, a.height));
