import type { EngineObserver } from './engine-types.js';

/** Put `o` on each list (the engine walks them per packet and per tick); the result takes it off them again. */
export function attach(o: EngineObserver, ...lists: EngineObserver[][]): () => void {
  for (const l of lists) l.push(o);
  return () => {
    for (const l of lists) {
      const i = l.indexOf(o);
      if (i >= 0) l.splice(i, 1);
    }
  };
}
