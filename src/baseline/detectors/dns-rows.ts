import { WindowedDistinctRows } from '../model/distinct.js';
import { WindowedSumRows } from '../model/window-sum.js';

/** 60 s windows in six 10 s buckets. */
export const B = 6;
export const BS = 10;

/** Per client or per domain, in rows indexed like the table's slots: queries and distinct names. */
export class CountRows {
  readonly queries: WindowedSumRows;
  readonly names: WindowedDistinctRows;
  /** Per domain: the registered domain's text ('' until known). */
  readonly text: string[];

  constructor(n: number) {
    this.queries = new WindowedSumRows(n, B, BS);
    this.names = new WindowedDistinctRows(n, B, BS);
    this.text = new Array<string>(n).fill('');
  }

  reset(i: number): void {
    this.queries.clear(i);
    this.names.clear(i);
    this.text[i] = '';
  }

  move(from: number, to: number): void {
    this.queries.move(from, to);
    this.names.move(from, to);
    this.text[to] = this.text[from]!;
  }

  /** One query for the name hashed `nameHash` at `sec` in row i. */
  count(i: number, sec: number, nameHash: number): void {
    this.queries.advanceRow(i, sec);
    this.queries.add(i, 1);
    this.names.advance(i, sec);
    this.names.addHash(i, nameHash);
  }
}

/** Per client and domain: distinct names, and the suspicious ones with their label lengths and entropies. */
export class PairRows {
  readonly client: Float64Array;
  readonly domain: string[];
  readonly names: WindowedDistinctRows;
  readonly suspicious: WindowedSumRows;
  readonly labelSum: WindowedSumRows;
  readonly entropySum: WindowedSumRows;

  constructor(n: number) {
    this.client = new Float64Array(n);
    this.domain = new Array<string>(n).fill('');
    this.names = new WindowedDistinctRows(n, B, BS);
    this.suspicious = new WindowedSumRows(n, B, BS);
    this.labelSum = new WindowedSumRows(n, B, BS);
    this.entropySum = new WindowedSumRows(n, B, BS);
  }

  reset(i: number): void {
    this.client[i] = 0;
    this.domain[i] = '';
    this.names.clear(i);
    this.suspicious.clear(i);
    this.labelSum.clear(i);
    this.entropySum.clear(i);
  }

  move(from: number, to: number): void {
    this.client[to] = this.client[from]!;
    this.domain[to] = this.domain[from]!;
    this.names.move(from, to);
    this.suspicious.move(from, to);
    this.labelSum.move(from, to);
    this.entropySum.move(from, to);
  }
}
