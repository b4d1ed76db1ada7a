import { ipProtoName } from '../decode/protocols.js';
import { portKeyPort } from '../flows/port-table.js';
import { addrText } from '../engine/addr-text.js';
import type { Engine } from '../engine/engine.js';
import { flowService } from '../engine/service-label.js';
import { flowAddr, protocolTotals } from '../engine/snapshot-builder.js';
import { topIds } from '../engine/top-k.js';
import type { ReportV1 } from './report-types.js';

export interface ReportOptions {
  /** Rows of hosts and conversations; 0 = all. */
  top: number;
  alerts?: ReportV1['alerts'];
}

/** The range a Date holds (±8.64e15 ms, years -271821 to 275760). */
const MAX_DATE_MS = 8.64e15;

/**
 * Capture time in seconds as ISO-8601 UTC (millisecond precision). A time past what a Date holds
 * (a damaged 64-bit pcapng timestamp) is shown as the nearest one it holds, so lastSeen never
 * comes out before firstSeen (it used to fall back to 1970).
 */
export function isoTime(t: number): string {
  const ms = Math.round(t * 1000);
  if (Number.isNaN(ms)) return new Date(0).toISOString();
  return new Date(Math.max(-MAX_DATE_MS, Math.min(MAX_DATE_MS, ms))).toISOString();
}

/**
 * Build `wiretop report --json` v1 from the engine. Conversations and hosts
 * are sorted by bytes (then packets) descending; protocols by path, with
 * counts added up the hierarchy as tshark -z io,phs does.
 */
export function buildReport(e: Engine, opts: ReportOptions): ReportV1 {
  const f = e.flows;
  const h = e.hosts;
  const s = e.source;
  const convIds = topIds(f.count, opts.top, (push) => {
    for (let i = 0; i < f.slotLimit; i++) if (f.isLive(i)) push(i, f.totalBytes(i), f.totalPackets(i));
  });
  const hostIds = topIds(h.count, opts.top, (push) => {
    for (let i = 0; i < h.slotLimit; i++) if (h.isLive(i)) push(i, h.totalBytes(i), h.totalPackets(i));
  });
  const words = new Uint32Array(4);
  const first = e.firstSeen;
  const last = e.lastSeen;
  return {
    version: 1,
    source: {
      kind: s.kind === 'demo' ? 'file' : s.kind,
      name: s.name,
      linkTypes: [...s.linkTypes],
      packetsRead: s.packetsRead || e.packetsRead,
      bytesRead: s.bytesRead || e.bytesRead,
      truncated: s.truncated,
      warnings: [...s.warnings],
    },
    filter: { capture: e.captureFilterText, display: e.displayFilterText },
    packets: e.packets,
    bytes: e.bytes,
    malformed: e.malformed,
    malformedReasons: e.malformedReasons(),
    firstSeen: first === null ? null : isoTime(first),
    lastSeen: last === null ? null : isoTime(last),
    durationSeconds: first === null || last === null ? 0 : Math.round(Math.max(0, last - first) * 1e6) / 1e6,
    protocols: protocolTotals(e).map((p) => ({ path: p.path, packets: p.packets, bytes: p.bytes })),
    hosts: hostIds.map((i) => ({
      addr: addrText(h.fam(i), h.addr(i, words), 0),
      packets: h.totalPackets(i),
      bytes: h.totalBytes(i),
      txPackets: h.packets(i, 0),
      txBytes: h.bytes(i, 0),
      rxPackets: h.packets(i, 1),
      rxBytes: h.bytes(i, 1),
    })),
    conversations: convIds.map((i) => {
      const proto = f.proto(i);
      const pk = f.portKey(i);
      const aPort = f.aPort(i);
      const bPort = f.bPort(i);
      return {
        proto: ipProtoName(proto),
        a: flowAddr(e, i, 0),
        aPort: aPort < 0 ? null : aPort,
        b: flowAddr(e, i, 1),
        bPort: bPort < 0 ? null : bPort,
        service: flowService(f.appProto(i), proto, pk >= 0 ? portKeyPort(pk) : -1),
        packets: f.totalPackets(i),
        bytes: f.totalBytes(i),
        aToB: { packets: f.packets(i, 0), bytes: f.bytes(i, 0) },
        bToA: { packets: f.packets(i, 1), bytes: f.bytes(i, 1) },
        firstSeen: isoTime(f.first(i)),
        lastSeen: isoTime(f.last(i)),
      };
    }),
    flows: { tracked: f.created, evicted: f.evicted + f.expired },
    alerts: opts.alerts ?? [],
  };
}
