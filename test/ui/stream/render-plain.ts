import type { ReactElement } from 'react';
import { renderSized } from '../helpers/render-sized.js';
import type { Rendered } from '../helpers/render-sized.js';

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

export function unstyled(frame: string): string {
  return frame.replace(SGR, '');
}

/**
 * The shared sized renderer with frames read without SGR styling, so text assertions hold at any
 * colour level (FORCE_COLOR or not). `rawFrame` is the frame as written, for control-byte checks.
 */
export interface PlainRendered extends Omit<Rendered, 'lastFrame' | 'press' | 'waitFor'> {
  lastFrame(): string;
  rawFrame(): string;
  press(key: string, opts?: { expectChange?: boolean }): Promise<string>;
  waitFor(test: (frame: string) => boolean, what?: string): Promise<string>;
}

export function renderPlain(tree: ReactElement, columns: number, rows: number): PlainRendered {
  const r = renderSized(tree, columns, rows);
  return {
    stdin: r.stdin,
    resize: r.resize,
    unmount: r.unmount,
    rawFrame: r.lastFrame,
    lastFrame: () => unstyled(r.lastFrame()),
    press: async (key, opts) => unstyled(await r.press(key, opts)),
    waitFor: async (test, what) => unstyled(await r.waitFor((f) => test(unstyled(f)), what)),
  };
}
