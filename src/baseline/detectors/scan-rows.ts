import { WindowedDistinctRows } from '../model/distinct.js';
import { WindowedSumRows } from '../model/window-sum.js';

/** The scan window in buckets. */
export const BUCKETS = 5;

/**
 * Per-source state in rows indexed like the table's slots (no object per
 * source): distinct ports, hosts and internal hosts probed, answers that came
 * back, when the probing began, and a majority vote (Boyer-Moore) over the
 * probed hosts for the main target.
 */
export class SourceRows {
  readonly ports: WindowedDistinctRows;
  readonly hosts: WindowedDistinctRows;
  readonly internalHosts: WindowedDistinctRows;
  readonly unanswered: WindowedSumRows;
  readonly firstProbeSec: Float64Array;
  readonly target: Float64Array;
  readonly targetVotes: Int32Array;
  readonly arp: Uint8Array;

  constructor(n: number, bucketSec: number) {
    this.ports = new WindowedDistinctRows(n, BUCKETS, bucketSec);
    this.hosts = new WindowedDistinctRows(n, BUCKETS, bucketSec);
    this.internalHosts = new WindowedDistinctRows(n, BUCKETS, bucketSec);
    this.unanswered = new WindowedSumRows(n, BUCKETS, bucketSec);
    this.firstProbeSec = new Float64Array(n);
    this.target = new Float64Array(n);
    this.targetVotes = new Int32Array(n);
    this.arp = new Uint8Array(n);
  }

  reset(i: number): void {
    this.firstProbeSec[i] = -1;
    this.ports.clear(i);
    this.hosts.clear(i);
    this.internalHosts.clear(i);
    this.unanswered.clear(i);
    this.target[i] = -1;
    this.targetVotes[i] = 0;
    this.arp[i] = 0;
  }

  move(from: number, to: number): void {
    this.ports.move(from, to);
    this.hosts.move(from, to);
    this.internalHosts.move(from, to);
    this.unanswered.move(from, to);
    this.firstProbeSec[to] = this.firstProbeSec[from]!;
    this.target[to] = this.target[from]!;
    this.targetVotes[to] = this.targetVotes[from]!;
    this.arp[to] = this.arp[from]!;
  }
}
