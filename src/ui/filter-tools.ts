import type { Completer, Completion } from './state/filter-line-state.js';
import type { FilterCheck, FilterValidator } from './state/ui-reducer.js';

/** The filter module as the dashboard uses it; loaded at run time (see `loadFilterTools`). */
export interface FilterTools {
  readonly validate: FilterValidator;
  readonly complete: Completer;
  /** Compiles to a packet predicate, or null when display filters are unavailable. */
  readonly compile: ((text: string) => (p: never) => boolean) | null;
}

const UNAVAILABLE: FilterCheck = { ok: false, column: 1, message: 'display filters are not available in this build' };

function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Accepts the shapes a completer may reasonably return: `{text, cursor}`, or candidates for the
 * word before the cursor (`string[]`, or `{candidates|completions, start?, end?}`), completing
 * to their longest common prefix.
 */
export function adaptCompletion(text: string, cursor: number, result: unknown): Completion | null {
  if (result === null || result === undefined) return null;
  if (typeof result === 'object' && 'text' in result && 'cursor' in result) {
    const r = result as { text: unknown; cursor: unknown };
    if (typeof r.text === 'string' && typeof r.cursor === 'number') return { text: r.text, cursor: r.cursor };
  }
  let words: unknown = result;
  let start: number | null = null;
  let end = cursor;
  if (!Array.isArray(result) && typeof result === 'object') {
    const r = result as Record<string, unknown>;
    words = r['candidates'] ?? r['completions'] ?? r['items'];
    if (typeof r['replaceFrom'] === 'number') start = r['replaceFrom'];
    else if (typeof r['start'] === 'number') start = r['start'];
    else if (typeof r['from'] === 'number') start = r['from'];
    if (typeof r['end'] === 'number') end = r['end'];
    else if (typeof r['to'] === 'number') end = r['to'];
  }
  if (!Array.isArray(words)) return null;
  const list = words.map((w) => (typeof w === 'string' ? w : typeof w === 'object' && w !== null && 'text' in w ? String((w as { text: unknown }).text) : '')).filter((w) => w !== '');
  if (list.length === 0) return null;
  if (start === null) {
    start = cursor;
    while (start > 0 && /[\w.:/-]/.test(text[start - 1]!)) start--;
  }
  const prefix = commonPrefix(list);
  if (prefix.length <= end - start) return null;
  const insert = list.length === 1 ? `${prefix} ` : prefix;
  return { text: text.slice(0, start) + insert + text.slice(end), cursor: start + insert.length };
}

type Loaded = Record<string, unknown>;

/** Builds the tools from whatever the filter module exports; missing pieces degrade gracefully. */
export function filterToolsFrom(mod: Loaded | null): FilterTools {
  const compileFilter = mod?.['compileFilter'] as ((t: string) => { match(p: never): boolean }) | undefined;
  const validateFilter = mod?.['validateFilter'] as ((t: string) => { ok: boolean; column?: number; message?: string }) | undefined;
  const completeFilter = mod?.['completeFilter'] as ((t: string, c: number) => unknown) | undefined;
  const validate: FilterValidator = (text) => {
    try {
      if (validateFilter) {
        const r = validateFilter(text);
        return r.ok ? { ok: true } : { ok: false, column: r.column ?? 1, message: r.message ?? 'invalid filter' };
      }
      if (compileFilter) {
        compileFilter(text);
        return { ok: true };
      }
      return UNAVAILABLE;
    } catch (e) {
      const err = e as { column?: number; message?: string };
      return { ok: false, column: typeof err.column === 'number' ? err.column : 1, message: err.message ?? String(e) };
    }
  };
  const complete: Completer = (text, cursor) => {
    if (!completeFilter) return null;
    try {
      return adaptCompletion(text, cursor, completeFilter(text, cursor));
    } catch {
      return null;
    }
  };
  const compile = compileFilter
    ? (text: string) => {
        const f = compileFilter(text);
        return (p: never) => f.match(p);
      }
    : null;
  return { validate, complete, compile };
}

/** Tools from a module loader; a loader that fails leaves display filters unavailable. */
export async function loadFilterTools(load: () => Promise<Loaded>): Promise<FilterTools> {
  try {
    return filterToolsFrom(await load());
  } catch {
    return filterToolsFrom(null);
  }
}
