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
  private readonly delta = new Float64Array(4);

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
    const packets = d[0]! + d[1]!;
    if (packets === 0) return;
    const bytes = d[2]! + d[3]!;
    if (ring >= 0) {
      flows.rates!.addBoth(ring, sec, d[2]!, d[3]!);
    }
    const pk = flows.portKey(s);
    if (pk >= 0) this.ports.add(pk, packets, bytes, sec);
    const last = flows.last(s);
    const lastSec = Math.floor(last);
    const lastNsec = Math.round((last - lastSec) * 1e9);
    this.foldHost(s, 0, d, lastSec, lastNsec, sec);
    this.foldHost(s, 1, d, lastSec, lastNsec, sec);
  }

  /** Count side `side` of flow `s` into its host (looked up again when the cached slot was reused). */
  private foldHost(s: number, side: number, d: Float64Array, lastSec: number, lastNsec: number, sec: number): void {
    const flows = this.flows;
    const hosts = this.hosts;
    let h = flows.host(s, side);
    if (h < 0 || hosts.gen(h) !== flows.hostGen(s, side)) {
      const k = flows.key;
      const o = flows.addrOffset(s, side);
      const first = flows.first(s);
      const firstSec = Math.floor(first);
      h = hosts.lookup(flows.fam(s), k[o]!, k[o + 1]!, k[o + 2]!, k[o + 3]!, firstSec, Math.round((first - firstSec) * 1e9));
      flows.setHost(s, side, h, hosts.gen(h));
    }
    hosts.addDelta(h, d, side, lastSec, lastNsec, sec);
  }
}
