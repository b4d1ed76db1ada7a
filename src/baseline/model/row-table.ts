import { BoundedTable } from './bounded-table.js';

/** Per-entry state kept in rows indexed like a table's slots. */
export interface Rows {
  reset(slot: number): void;
  move(from: number, to: number): void;
}

/**
 * A table whose entries keep their state in `rows` (typed arrays made once,
 * nothing per entry): a new entry resets its row, a pruned one moved within
 * its bucket moves its row along.
 */
export function rowTable<R extends Rows>(capacity: number, staleSec: number, make: (slots: number) => R): { table: BoundedTable<null>; rows: R } {
  let rows: R | null = null;
  const table = new BoundedTable<null>(capacity, () => null, (_, i) => rows!.reset(i), staleSec);
  const made = make(table.slots);
  rows = made;
  table.onMove = (from, to) => made.move(from, to);
  return { table, rows: made };
}
