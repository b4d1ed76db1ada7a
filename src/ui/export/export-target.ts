import type { ConversationRow } from '../../engine/snapshot.js';

/**
 * What `W` writes: one host's packets, or one conversation's. A conversation is kept as its
 * 5-tuple, not its flow id: the ring does not keep flow slots (they belong to the filtered
 * aggregates and change with the display filter), and the tuple still means the same packets after
 * the conversation left the table.
 */
export type ExportTarget =
  | { readonly kind: 'host'; readonly addr: string }
  | {
    readonly kind: 'conversation';
    readonly proto: string;
    readonly a: string;
    readonly aPort: number | null;
    readonly b: string;
    readonly bPort: number | null;
  };

/** What a write did: packets written, or why nothing was (`exists`: the path is taken, ask first). */
export type ExportOutcome =
  | { readonly ok: true; readonly packets: number; readonly path: string; readonly format: 'pcap' | 'pcapng' }
  | { readonly ok: false; readonly exists: boolean; readonly message: string };

export function conversationTarget(c: ConversationRow): ExportTarget {
  return { kind: 'conversation', proto: c.proto, a: c.a, aPort: c.aPort, b: c.b, bPort: c.bPort };
}

function endpoint(addr: string, port: number | null): string {
  if (port === null) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** How the target is named in the prompt: `host 10.0.0.1`, `tcp 10.0.0.1:443 <-> 10.0.0.2:5123`. */
export function targetText(t: ExportTarget): string {
  if (t.kind === 'host') return `host ${t.addr}`;
  return `${t.proto} ${endpoint(t.a, t.aPort)} <-> ${endpoint(t.b, t.bPort)}`;
}

function stamp(time: number): string {
  const d = new Date(Math.floor(Number.isFinite(time) ? time : 0) * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
}

// ':' in IPv6 addresses is legal in a file name but awkward to type back in a shell.
function safe(s: string): string {
  return s.replace(/[^0-9A-Za-z.-]/g, '_');
}

/**
 * `wiretop-<addr>-<time>.pcap` in the working directory. The time is the snapshot's capture time
 * (UTC), not the wall clock: it names the moment the packets are from, and tests stay fixed.
 */
export function defaultExportPath(t: ExportTarget, time: number): string {
  const who = t.kind === 'host'
    ? safe(t.addr)
    : `${safe(t.proto)}-${safe(t.a)}${t.aPort === null ? '' : `-${t.aPort}`}-${safe(t.b)}${t.bPort === null ? '' : `-${t.bPort}`}`;
  return `wiretop-${who}-${stamp(time)}.pcap`;
}
