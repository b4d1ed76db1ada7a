import { Box, Text } from 'ink';
import type { ReactElement } from 'react';

/**
 * The stream and packet views draw lines of toned segments, like the dashboard's `panels/lines`,
 * with a few tones of their own (client/server, search matches, highlighted bytes). Every tone
 * that carries meaning has a non-colour fallback, and the text itself also carries it (`C>`/`S<`
 * gutters, `^^` marker rows), so the views read the same on a monochrome terminal.
 */
export type ViewTone =
  | 'plain' | 'dim' | 'title' | 'header' | 'selected' | 'client' | 'server' | 'gap'
  | 'match' | 'match-current' | 'highlight' | 'marker' | 'caret' | 'error' | 'ok';

export interface ViewSegment {
  readonly text: string;
  readonly tone?: ViewTone;
}
export type ViewLine = readonly ViewSegment[];

export function viewLine(text: string, tone: ViewTone = 'plain'): ViewLine {
  return [{ text, tone }];
}

interface Style {
  color?: string;
  bold?: boolean;
  inverse?: boolean;
  dimColor?: boolean;
  underline?: boolean;
}

export function viewStyle(tone: ViewTone, isColor: boolean): Style {
  switch (tone) {
    case 'dim':
      return isColor ? { dimColor: true } : {};
    case 'title':
      return { bold: true, inverse: true };
    case 'header':
      return isColor ? { bold: true, color: 'blue' } : { underline: true };
    case 'selected':
    case 'caret':
    case 'highlight':
      return { inverse: true };
    case 'client':
      return isColor ? { color: 'red' } : {};
    case 'server':
      return isColor ? { color: 'blue' } : {};
    case 'gap':
      return isColor ? { color: 'yellow', bold: true } : { bold: true };
    case 'match':
      return isColor ? { color: 'yellow', bold: true, underline: true } : { underline: true };
    case 'match-current':
      return isColor ? { inverse: true, bold: true, color: 'yellow' } : { inverse: true, bold: true };
    case 'marker':
      return { bold: true };
    case 'error':
      return isColor ? { color: 'red', bold: true } : { bold: true };
    case 'ok':
      return isColor ? { color: 'green' } : {};
    default:
      return {};
  }
}

export interface ViewLinesProps {
  readonly lines: readonly ViewLine[];
  readonly width: number;
  readonly height: number;
  readonly isColor: boolean;
}

export function ViewLines({ lines, width, height, isColor }: ViewLinesProps): ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.slice(0, height).map((segments, i) => (
        <Text key={i} wrap="truncate">
          {segments.length === 0 ? ' ' : segments.map((s, j) => (
            <Text key={j} {...viewStyle(s.tone ?? 'plain', isColor)}>{s.text}</Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
