import type { ConversationRow, HostRow, PortRow, RateTriple, Snapshot } from '../../engine/snapshot.js';

export type TalkerView = 'hosts' | 'conversations' | 'ports';
export type SortKey = 'r2' | 'r10' | 'r40' | 'total';

/** One line of the talkers table, whatever the view; `key` identifies it across snapshots. */
export type TalkerRow =
  | { readonly kind: 'host'; readonly key: string; readonly rate: RateTriple; readonly total: number; readonly host: HostRow }
  | { readonly kind: 'conversation'; readonly key: string; readonly rate: RateTriple; readonly total: number; readonly conv: ConversationRow }
  | { readonly kind: 'port'; readonly key: string; readonly rate: RateTriple; readonly total: number; readonly port: PortRow };

export function sumRates(a: RateTriple, b: RateTriple): RateTriple {
  return { r2: a.r2 + b.r2, r10: a.r10 + b.r10, r40: a.r40 + b.r40 };
}

function hostRow(h: HostRow): TalkerRow {
  return { kind: 'host', key: h.addr, rate: sumRates(h.tx, h.rx), total: h.txBytes + h.rxBytes, host: h };
}

function convRow(c: ConversationRow): TalkerRow {
  return { kind: 'conversation', key: c.id, rate: sumRates(c.aToB, c.bToA), total: c.aToBBytes + c.bToABytes, conv: c };
}

function portRow(p: PortRow): TalkerRow {
  return { kind: 'port', key: p.key, rate: p.rate, total: p.bytes, port: p };
}

export function sortValue(row: TalkerRow, sort: SortKey): number {
  return sort === 'total' ? row.total : row.rate[sort];
}

/** Descending by the sort column; ties broken by key so rows do not shuffle between frames. */
export function sortRows(rows: TalkerRow[], sort: SortKey): TalkerRow[] {
  return rows.sort((x, y) => {
    const d = sortValue(y, sort) - sortValue(x, sort);
    if (d !== 0) return d;
    const t = y.total - x.total;
    if (t !== 0) return t;
    return x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
  });
}

export function talkerRows(snapshot: Snapshot, view: TalkerView, sort: SortKey): TalkerRow[] {
  const rows =
    view === 'hosts'
      ? snapshot.hosts.map(hostRow)
      : view === 'conversations'
        ? snapshot.conversations.map(convRow)
        : snapshot.ports.map(portRow);
  return sortRows(rows, sort);
}

/** The conversations one host takes part in (the host drill-down). */
export function hostConversationRows(snapshot: Snapshot, addr: string, sort: SortKey): TalkerRow[] {
  return sortRows(
    snapshot.conversations.filter((c) => c.a === addr || c.b === addr).map(convRow),
    sort,
  );
}
