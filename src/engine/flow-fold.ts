import type { FlowTable } from '../flows/flow-table.js';
import type { HostTable } from '../flows/host-table.js';
import type { PortTable } from '../flows/port-table.js';

/**
 * Hosts, service ports and the per-second rate rings are counted from flows,
 * not from packets. A packet updates only its flow; once per second of packet
 * time, and before a snapshot or a report reads the tables, every flow counted
 * since the last fold adds what it gained to its two hosts, its port and the
 * rate rings (flow, hosts, port) of that second.
 *
 * Why: with tens of thousands of flows every table a packet touches is a cache
 * miss. Folding turns two host updates, a port update and three ring updates
 * per packet into one set per active flow per second, which for a busy flow is
 * hundreds of times fewer. What it changes: a packet that arrives late (older
 * than the current second) counts in the second it is folded in.
 */
export class FlowFolder {
  /** FlowTable.takeDelta's output: packets a->b, b->a, bytes a->b, b->a, last time, first time. */
  private readonly delta = new Float64Array(6);

  constructor(
    private readonly flows: FlowTable,
    private readonly hosts: HostTable,
    private readonly ports: PortTable,
  ) {}

  /** Fold every flow counted since the last fold, as traffic of second `sec`. */
  foldAll(sec: number): void {
    const flows = this.flows;
    const n = flows.dirtyLen;
    const dirty = flows.dirty;
    for (let i = 0; i < n; i++) {
      const s = dirty[i]!;
      if (s >= 0) this.fold(s, sec);
    }
    flows.dirtyLen = 0;
  }

  /** Fold one flow (it is about to be removed, or foldAll is walking the dirty list). */
  fold(s: number, sec: number): void {
    const flows = this.flows;
    const d = this.delta;
    const ring = flows.takeDelta(s, d, sec);
    if (d[0]! + d[1]! === 0) return;
    if (ring >= 0) flows.rates!.addFrom(ring, sec, d, 2, 3);
    const pk = flows.portKey(s);
    if (pk >= 0) this.ports.addDelta(pk, d, sec);
    this.foldHost(s, 0, d, sec);
    this.foldHost(s, 1, d, sec);
  }

  /** Count side `side` of flow `s` into its host (looked up again when the cached slot was reused). */
  private foldHost(s: number, side: number, d: Float64Array, sec: number): void {
    const flows = this.flows;
    const hosts = this.hosts;
    let h = flows.host(s, side);
    if (h < 0 || hosts.gen(h) !== flows.hostGen(s, side)) {
      const k = flows.key;
      const o = flows.addrOffset(s, side);
      const firstSec = Math.floor(d[5]!);
      h = hosts.lookup(flows.fam(s), k[o]!, k[o + 1]!, k[o + 2]!, k[o + 3]!, firstSec, Math.round((d[5]! - firstSec) * 1e9));
      flows.setHost(s, side, h, hosts.gen(h));
    }
    hosts.addDelta(h, d, side, sec);
  }
}
