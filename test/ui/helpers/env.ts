import type { UiEnv } from '../../../src/ui/env.js';
import type { FilterCheck } from '../../../src/ui/state/ui-reducer.js';

/** A toy filter checker: unbalanced parentheses or a `??` are errors. */
export function fakeValidate(text: string): FilterCheck {
  const bad = text.indexOf('??');
  if (bad >= 0) return { ok: false, column: bad + 1, message: 'unexpected "??"' };
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth < 0) return { ok: false, column: i + 1, message: 'unmatched ")"' };
  }
  return depth === 0 ? { ok: true } : { ok: false, column: text.length + 1, message: 'missing ")"' };
}

export interface TestEnv extends UiEnv {
  saved: (readonly string[])[];
  lookups: string[];
}

export function testEnv(over: Partial<UiEnv> & { initialHistory?: string[] } = {}): TestEnv {
  const saved: (readonly string[])[] = [];
  const lookups: string[] = [];
  let now = 0;
  const env: TestEnv = {
    saved,
    lookups,
    clock: { now: () => now++, setTimeout: () => 0, clearTimeout: () => {} },
    reverseLookup: async (addr) => {
      lookups.push(addr);
      return addr === '10.0.0.1' ? ['gateway.example.com'] : [];
    },
    validateFilter: fakeValidate,
    completeFilter: (text, cursor) => (text.slice(0, cursor).endsWith('tcp.p') ? { text: text.slice(0, cursor) + 'ort' + text.slice(cursor), cursor: cursor + 3 } : null),
    history: { load: () => over.initialHistory ?? [], save: (h) => saved.push(h) },
    isColor: false,
    ...over,
  };
  return env;
}
