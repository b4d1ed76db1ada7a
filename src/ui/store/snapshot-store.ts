import type { ExportOutcome, ExportTarget } from '../export/export-target.js';
import type { StreamViewSource } from '../stream/stream-data.js';
import type { DriverView } from './drivers.js';
import type { PacketsView } from './packet-store.js';
import type { UiSnapshot } from './ui-snapshot.js';

/**
 * What the dashboard needs from the engine runtime. Injected, never imported: tests pass a
 * scripted store, the CLI adapts `src/engine/runtime.ts`.
 * `getSnapshot` must return the same object until the store notifies (useSyncExternalStore).
 */
export interface SnapshotStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): UiSnapshot;
  /** Ask for `Snapshot.focus` to describe this conversation (null: none). */
  setFocus(conversationId: string | null): void;
  /** Freeze what is published; counting continues underneath. */
  pause(): void;
  resume(): void;
  /** Apply a display filter (already validated), or clear it with null. */
  setDisplayFilter(text: string | null): void;
  /**
   * The reassembled stream of a conversation (id from ConversationRow.id), read when the stream
   * view draws; null when there is none. Absent when the session does no reassembly.
   */
  getStream?(conversationId: string): StreamViewSource | null;
  /**
   * Recent packets of a conversation, or of all traffic (null), for the packet view; null when the
   * id is not a conversation. Absent when the session keeps no packets.
   */
  getPackets?(conversationId: string | null): PacketsView | null;
  /**
   * Write a host's or a conversation's packets from the ring of recent raw packets to a pcap file
   * (`W`); refuses an existing file unless `overwrite`. Absent when no ring is kept.
   */
  exportPcap?(target: ExportTarget, path: string, opts: { readonly overwrite: boolean }): ExportOutcome;
  /** How far back that ring reaches, one line for the `W` prompt. */
  ringReach?(): string;
  /** Top contributors to a deviation meter, by meter name. Absent without a baseline monitor. */
  getDrivers?(metric: string): readonly DriverView[];
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
