import type { ReverseLookup } from './names/name-cache.js';
import type { Completer } from './state/filter-line-state.js';
import type { FilterValidator } from './state/ui-reducer.js';
import type { Clock } from './store/snapshot-store.js';

/** Everything outside the UI that the UI uses, injected in one object (tests pass fakes). */
export interface UiEnv {
  readonly clock: Clock;
  readonly reverseLookup: ReverseLookup;
  readonly validateFilter: FilterValidator;
  readonly completeFilter: Completer;
  /** Filter history storage; `save` is called after each applied filter. */
  readonly history: { load(): readonly string[]; save(entries: readonly string[]): void };
  readonly isColor: boolean;
}
