import type { Snapshot } from '../../../src/engine/snapshot.js';
import type { SnapshotStore } from '../../../src/ui/store/snapshot-store.js';

/** A scripted store: the test publishes snapshots and reads back what the UI asked for. */
export class FakeStore implements SnapshotStore {
  readonly calls: string[] = [];
  private listeners = new Set<() => void>();
  constructor(private current: Snapshot) {}

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getSnapshot = (): Snapshot => this.current;
  publish(next: Snapshot): void {
    this.current = next;
    for (const l of [...this.listeners]) l();
  }
  setFocus = (id: string | null): void => {
    this.calls.push(`focus ${id}`);
  };
  pause = (): void => {
    this.calls.push('pause');
  };
  resume = (): void => {
    this.calls.push('resume');
  };
  setDisplayFilter = (text: string | null): void => {
    this.calls.push(`filter ${text}`);
  };
}
