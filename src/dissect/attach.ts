import type { Engine } from '../engine/engine.js';
import { StreamTracker, type StreamTrackerOptions } from '../streams/stream-tracker.js';
import { AppClassifier } from './app-classifier.js';

export interface Dissection {
  readonly classifier: AppClassifier;
  readonly streams: StreamTracker;
  /** Remove both observers from the engine. */
  detach(): void;
}

/**
 * Attach flow classification (Engine.setAppProto) and stream reassembly to an
 * engine as observers. `tagPaths` also extends each packet's protocol path
 * with its flow's application protocol (observers run after the engine's own
 * protocol counting, so this serves later observers and app filters).
 */
export function attachDissection(engine: Engine, opts: StreamTrackerOptions & { maxProbes?: number; tagPaths?: boolean } = {}): Dissection {
  const classifier = new AppClassifier(engine, opts.maxProbes ?? 8, opts.tagPaths ? engine.paths : null);
  const streams = new StreamTracker(opts);
  const a = engine.addObserver(classifier);
  const b = engine.addObserver(streams);
  return {
    classifier, streams, detach: () => {
      a();
      b();
    },
  };
}
