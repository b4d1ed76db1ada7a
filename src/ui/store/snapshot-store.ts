import type { Snapshot } from '../../engine/snapshot.js';

/**
 * What the dashboard needs from the engine runtime. Injected, never imported: tests pass a
 * scripted store, the CLI adapts `src/engine/runtime.ts`.
 * `getSnapshot` must return the same object until the store notifies (useSyncExternalStore).
 */
export interface SnapshotStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): Snapshot;
  /** Ask for `Snapshot.focus` to describe this conversation (null: none). */
  setFocus(conversationId: string | null): void;
  /** Freeze what is published; counting continues underneath. */
  pause(): void;
  resume(): void;
  /** Apply a display filter (already validated), or clear it with null. */
  setDisplayFilter(text: string | null): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
