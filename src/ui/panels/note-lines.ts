import { wrapWords } from '../format/text.js';
import { line } from './lines.js';
import type { Line, Tone } from './lines.js';

/** A sentence (a note, an explanation) wrapped to the width under an indent, rather than cut. */
export function noteLines(text: string, width: number, indent = 2, tone: Tone = 'dim'): Line[] {
  return wrapWords(text, width - indent).map((t) => line(`${' '.repeat(indent)}${t}`, tone));
}
