import { Box, Text } from 'ink';
import type { ReactElement } from 'react';

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

export function Lines({ lines, width, height, isColor }: LinesProps): ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.slice(0, height).map((segments, i) => (
        <Text key={i} wrap="truncate">
          {segments.length === 0 ? ' ' : segments.map((s, j) => (
            <Text key={j} {...styleOf(s.tone ?? 'plain', isColor)}>{s.text}</Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
