import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A faster `get()` for Ink's Output class (ink/build/output.js), which turns the write operations
 * of one frame into the frame's text. Ink's own builds a grid of one new object per cell
 * (160 x 48 = 7,680 of them), then diffs the styles of every pair of neighbouring cells with a
 * few Sets and arrays each: ~10 MB of garbage and about half of the CPU of a frame (measured with
 * dist/bench/frame-bench.js). This one does the same operations in the same order and returns the
 * same text, byte for byte (test/ui/ink-output.test.tsx compares them on dashboard frames): blank
 * cells share one object, the styles of a row are diffed only where they change (Ink's diff of
 * two equal style lists is empty), and a line's styled characters are kept for the next frame.
 *
 * Installed only over the Ink version it was checked against; any other keeps Ink's own.
 */
export const INK_VERSION = '6.8.0';

interface Code {
  readonly code: string;
  readonly endCode: string;
}
interface Cell {
  readonly type: string;
  readonly value: string;
  readonly fullWidth: boolean;
  readonly styles: readonly Code[];
}
interface Clip {
  readonly x1?: number;
  readonly x2?: number;
  readonly y1?: number;
  readonly y2?: number;
}
type Operation =
  | { readonly type: 'write'; readonly x: number; readonly y: number; readonly text: string; readonly transformers: readonly ((s: string, i: number) => string)[] }
  | { readonly type: 'clip'; readonly clip: Clip }
  | { readonly type: 'unclip' };
interface OutputLike {
  readonly width: number;
  readonly height: number;
  readonly operations: readonly Operation[];
}
/** What get() needs from Ink's dependencies (the copies Ink itself imports). */
export interface InkDeps {
  readonly tokenize: (s: string) => unknown;
  readonly styledCharsFromTokens: (tokens: unknown) => Cell[];
  readonly styledCharsToString: (chars: readonly Cell[]) => string;
  readonly stringWidth: (s: string) => number;
  readonly sliceAnsi: (s: string, from: number, to: number) => string;
}

const BLANK: Cell = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) as readonly Code[] });
/**
 * Values computed in this frame or the one before: what repeats from frame to frame (labels,
 * headers, rows that did not change) is computed once, and memory stays two frames' worth.
 */
class FrameCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();
  constructor(private readonly make: (key: string) => V) {}

  get(key: string): V {
    let v = this.current.get(key);
    if (v === undefined) {
      v = this.previous.get(key) ?? this.make(key);
      this.current.set(key, v);
    }
    return v;
  }

  nextFrame(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

/** One shared unstyled cell per printable ASCII character. */
const ASCII_CELLS: readonly Cell[] = Array.from({ length: 0x7f }, (_, c) => Object.freeze({ type: 'char', value: String.fromCharCode(c), fullWidth: false, styles: BLANK.styles }));

/** Printable ASCII only (no escape sequences): each character is one grapheme of width 1. */
function isPlainAscii(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** What tokenize + styledCharsFromTokens give for a plain ASCII line (value and styles; fullWidth false). */
function plainCells(line: string): Cell[] {
  const out = new Array<Cell>(line.length);
  for (let i = 0; i < line.length; i++) out[i] = ASCII_CELLS[line.charCodeAt(i)]!;
  return out;
}

function sameStyles(a: readonly Code[], b: readonly Code[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
  return true;
}

/** A get() over Ink's Output fields; `deps` are the functions Ink's own get() uses. */
export function makeOutputGet(deps: InkDeps): (this: OutputLike) => { output: string; height: number } {
  const styled = new FrameCache<readonly Cell[]>((line) =>
    isPlainAscii(line) ? plainCells(line) : deps.styledCharsFromTokens(deps.tokenize(line)));
  const widths = new FrameCache<number>((text) => deps.stringWidth(text));
  const styledChars = (line: string): readonly Cell[] => styled.get(line);
  const width = (text: string): number => widths.get(text);
  const widest = (text: string): number => {
    let w = 0;
    for (const line of text.split('\n')) w = Math.max(w, width(line));
    return w;
  };
  /** Ink's styledCharsToString of the row, with each run of equally styled cells as one cell. */
  const rowText = (row: readonly (Cell | undefined)[]): string => {
    const runs: Cell[] = [];
    let value = '';
    let styles: readonly Code[] | null = null;
    for (let i = 0; i < row.length; i++) {
      const c = row[i];
      if (c === undefined) continue;
      if (styles !== null && sameStyles(styles, c.styles)) {
        value += c.value;
        continue;
      }
      if (styles !== null) runs.push({ type: 'char', value, fullWidth: false, styles });
      value = c.value;
      styles = c.styles;
    }
    if (styles !== null) runs.push({ type: 'char', value, fullWidth: false, styles });
    return deps.styledCharsToString(runs).trimEnd();
  };

  return function get(this: OutputLike) {
    styled.nextFrame();
    widths.nextFrame();
    const output: (Cell | undefined)[][] = [];
    for (let y = 0; y < this.height; y++) output.push(new Array<Cell>(this.width).fill(BLANK));
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type !== 'write') continue;
      const { text, transformers } = operation;
      let { x, y } = operation;
      let lines = text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (clipHorizontally && (x + widest(text) < clip.x1! || x > clip.x2!)) continue;
        if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
        if (clipHorizontally) {
          lines = lines.map((line) => {
            const from = x < clip.x1! ? clip.x1! - x : 0;
            const w = width(line);
            const to = x + w > clip.x2! ? clip.x2! - x : w;
            return deps.sliceAnsi(line, from, to);
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (clipVertically) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
          lines = lines.slice(from, to);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      let offsetY = 0;
      for (let index = 0; index < lines.length; index++) {
        const currentLine = output[y + offsetY];
        if (!currentLine) continue;
        let line = lines[index]!;
        for (const transformer of transformers) line = transformer(line, index);
        let offsetX = x;
        for (const character of styledChars(line)) {
          currentLine[offsetX] = character;
          const characterWidth = Math.max(1, width(character.value));
          for (let k = 1; k < characterWidth; k++) {
            currentLine[offsetX + k] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
          }
          offsetX += characterWidth;
        }
        offsetY++;
      }
    }
    return { output: output.map(rowText).join('\n'), height: output.length };
  };
}

/**
 * The directory of package `name` as Node resolves it from `dir` (the nearest node_modules up the
 * tree), read directly: these packages export no package.json, and some only an import entry.
 */
function packageDir(dir: string, name: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(d) === d) throw new Error(`${name} not found from ${dir}`);
  }
}

/** A package's entry module, imported as Ink imports it (Ink's own copy, whatever the hoisting). */
export async function importFrom(dir: string, name: string): Promise<Record<string, unknown>> {
  const pkgDir = packageDir(dir, name);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports?: unknown; main?: string };
  const exp = pkg.exports as Record<string, unknown> | string | undefined;
  const dot = (typeof exp === 'object' && exp !== null ? (exp['.'] ?? exp) : exp) as Record<string, string> | string | undefined;
  const entry = typeof dot === 'string' ? dot : (dot?.['import'] ?? dot?.['default'] ?? pkg.main ?? 'index.js');
  return (await import(pathToFileURL(join(pkgDir, entry)).href)) as Record<string, unknown>;
}

/** Ink's Output class (its prototype's get() is what is replaced). */
export interface OutputClass {
  new (opts: { width: number; height: number }): unknown;
  prototype: { get: (this: unknown) => { output: string; height: number } };
}

/**
 * Ink's Output class and the functions its get() uses, as Ink imports them; null when Ink is not
 * the checked version or its files are not where they were.
 */
export async function loadInkOutput(): Promise<{ Output: OutputClass; deps: InkDeps } | null> {
  try {
    // Ink's entry is build/index.js; its package.json is not exported, so it is read directly.
    const inkDir = dirname(dirname(createRequire(import.meta.url).resolve('ink')));
    const inkPkg = JSON.parse(readFileSync(join(inkDir, 'package.json'), 'utf8')) as { version?: string };
    if (inkPkg.version !== INK_VERSION) return null;
    const outputPath = join(inkDir, 'build', 'output.js');
    const Output = ((await import(pathToFileURL(outputPath).href)) as { default?: OutputClass }).default;
    if (typeof Output?.prototype.get !== 'function') return null;
    const [tok, sw, sa] = await Promise.all([
      importFrom(inkDir, '@alcalzone/ansi-tokenize'), importFrom(inkDir, 'string-width'), importFrom(inkDir, 'slice-ansi'),
    ]);
    const deps = {
      tokenize: tok['tokenize'], styledCharsFromTokens: tok['styledCharsFromTokens'], styledCharsToString: tok['styledCharsToString'],
      stringWidth: sw['default'], sliceAnsi: sa['default'],
    };
    if (Object.values(deps).some((f) => typeof f !== 'function')) return null;
    return { Output, deps: deps as unknown as InkDeps };
  } catch {
    return null;
  }
}

/** Put the faster get() on Ink's Output class; false (nothing changed) when loadInkOutput cannot. */
export async function installInkOutput(): Promise<boolean> {
  const ink = await loadInkOutput();
  if (ink === null) return false;
  ink.Output.prototype.get = makeOutputGet(ink.deps) as OutputClass['prototype']['get'];
  return true;
}
