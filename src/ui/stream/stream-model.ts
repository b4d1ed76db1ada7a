import { buildBlocks } from './stream-data.js';
import type { EscapeCache } from './stream-data.js';
import type { StreamBlock, StreamViewSource } from './stream-data.js';
import { layoutStream } from './stream-layout.js';
import type { StreamLayout, StreamMode } from './stream-layout.js';
import { findMatches } from './stream-search.js';
import type { StreamMatch } from './stream-search.js';

/**
 * Everything derived from a source at one width: blocks, a layout per mode and the hits of the
 * last query, each computed once. Built by the view when the source or the width changes and read
 * by key handling when a key arrives, so the reducer works on what is on screen.
 */
export interface StreamModel {
  readonly source: StreamViewSource;
  readonly blocks: readonly StreamBlock[];
  readonly width: number;
  layout(mode: StreamMode): StreamLayout;
  matches(query: string | null): readonly StreamMatch[];
}

export function createStreamModel(source: StreamViewSource, width: number, cache: EscapeCache | null = null): StreamModel {
  const blocks = buildBlocks(source, cache);
  const layouts = new Map<StreamMode, StreamLayout>();
  let lastQuery: string | null = null;
  let lastMatches: readonly StreamMatch[] = [];
  return {
    source,
    blocks,
    width,
    layout(mode) {
      let l = layouts.get(mode);
      if (!l) {
        l = layoutStream(blocks, mode, width);
        layouts.set(mode, l);
      }
      return l;
    },
    matches(query) {
      if (query === null || query === '') return [];
      if (query !== lastQuery) {
        lastMatches = findMatches(blocks, query);
        lastQuery = query;
      }
      return lastMatches;
    },
  };
}
