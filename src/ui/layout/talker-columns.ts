import { formatAgo } from '../format/time.js';
import { formatBytes, formatCount, formatRate } from '../format/units.js';
import type { RateUnit } from '../format/units.js';
import type { SortKey, TalkerRow, TalkerView } from '../rows/talker-rows.js';
import { escapeForTerminal } from '../../util/escape.js';

export type ColumnId =
  | 'proto' | 'service' | 'state' | 'sent2' | 'recv2' | 'r2' | 'r10' | 'r40'
  | 'sentTotal' | 'recvTotal' | 'total' | 'packets' | 'flows' | 'lastSeen';

export interface ColumnSpec {
  readonly id: ColumnId;
  readonly width: number;
  readonly align: 'left' | 'right';
  readonly sort?: SortKey;
}

const SPECS: Readonly<Record<ColumnId, ColumnSpec>> = {
  proto: { id: 'proto', width: 5, align: 'left' },
  service: { id: 'service', width: 9, align: 'left' },
  state: { id: 'state', width: 11, align: 'left' },
  sent2: { id: 'sent2', width: 7, align: 'right' },
  recv2: { id: 'recv2', width: 7, align: 'right' },
  r2: { id: 'r2', width: 7, align: 'right', sort: 'r2' },
  r10: { id: 'r10', width: 7, align: 'right', sort: 'r10' },
  r40: { id: 'r40', width: 7, align: 'right', sort: 'r40' },
  sentTotal: { id: 'sentTotal', width: 7, align: 'right' },
  recvTotal: { id: 'recvTotal', width: 7, align: 'right' },
  total: { id: 'total', width: 7, align: 'right', sort: 'total' },
  packets: { id: 'packets', width: 6, align: 'right' },
  flows: { id: 'flows', width: 6, align: 'right' },
  lastSeen: { id: 'lastSeen', width: 6, align: 'right' },
};

/** Column sets per view and panel width: the widest set whose minimum the panel meets. */
const COLUMN_SETS: Readonly<Record<TalkerView, readonly { readonly minWidth: number; readonly columns: readonly ColumnId[] }[]>> = {
  hosts: [
    { minWidth: 170, columns: ['sent2', 'recv2', 'r2', 'r10', 'r40', 'sentTotal', 'recvTotal', 'total', 'packets', 'lastSeen'] },
    { minWidth: 110, columns: ['sent2', 'recv2', 'r2', 'r10', 'r40', 'sentTotal', 'recvTotal', 'total'] },
    { minWidth: 90, columns: ['sent2', 'recv2', 'r2', 'r10', 'r40', 'total'] },
    { minWidth: 0, columns: ['r2', 'r10', 'r40', 'total'] },
  ],
  conversations: [
    { minWidth: 170, columns: ['proto', 'service', 'state', 'sent2', 'recv2', 'r2', 'r10', 'r40', 'sentTotal', 'recvTotal', 'total', 'packets'] },
    { minWidth: 110, columns: ['service', 'state', 'sent2', 'recv2', 'r2', 'r10', 'r40', 'total'] },
    { minWidth: 90, columns: ['service', 'r2', 'r10', 'r40', 'total'] },
    // At 80 columns two IPv4 endpoints with ports need 37 to 45 characters: one rate column gives way.
    { minWidth: 0, columns: ['service', 'r2', 'r10', 'total'] },
  ],
  ports: [
    { minWidth: 120, columns: ['service', 'r2', 'r10', 'r40', 'total', 'flows', 'packets'] },
    { minWidth: 0, columns: ['service', 'r2', 'r10', 'r40', 'total'] },
  ],
};

/** The set for the width; a rate column the set leaves out is shown instead of its last one while the rows are sorted by it. */
export function columnsFor(view: TalkerView, width: number, sort?: SortKey): readonly ColumnSpec[] {
  const ids = [...COLUMN_SETS[view].find((s) => width >= s.minWidth)!.columns];
  if (sort !== undefined && !ids.includes(sort)) {
    const last = ids.findLastIndex((id) => SPECS[id].sort !== undefined && id !== 'total');
    if (last >= 0) ids[last] = sort;
  }
  return ids.map((id) => SPECS[id]);
}

export function columnTitle(id: ColumnId, view: TalkerView): string {
  const conv = view === 'conversations';
  const titles: Readonly<Record<ColumnId, string>> = {
    proto: 'proto', service: 'service', state: 'state',
    sent2: conv ? 'a>b 2s' : 'tx 2s', recv2: conv ? 'b>a 2s' : 'rx 2s',
    r2: '2s', r10: '10s', r40: '40s',
    sentTotal: conv ? 'a>b' : 'tx', recvTotal: conv ? 'b>a' : 'rx', total: 'total',
    packets: 'pkts', flows: 'flows', lastSeen: 'idle',
  };
  return titles[id];
}

export function cellText(row: TalkerRow, id: ColumnId, unit: RateUnit, now: number): string {
  const h = row.kind === 'host' ? row.host : null;
  const c = row.kind === 'conversation' ? row.conv : null;
  const p = row.kind === 'port' ? row.port : null;
  switch (id) {
    case 'proto':
      return escapeForTerminal(c?.proto ?? p?.proto ?? '');
    case 'service':
      return escapeForTerminal(c?.service ?? p?.service ?? '');
    case 'state':
      return escapeForTerminal(c?.tcpState ?? '');
    case 'sent2':
      return formatRate(h ? h.tx.r2 : c ? c.aToB.r2 : row.rate.r2, unit);
    case 'recv2':
      return formatRate(h ? h.rx.r2 : c ? c.bToA.r2 : 0, unit);
    case 'r2':
    case 'r10':
    case 'r40':
      return formatRate(row.rate[id], unit);
    case 'sentTotal':
      return formatBytes(h ? h.txBytes : c ? c.aToBBytes : row.total);
    case 'recvTotal':
      return formatBytes(h ? h.rxBytes : c ? c.bToABytes : 0);
    case 'total':
      return formatBytes(row.total);
    case 'packets':
      return formatCount(h ? h.txPackets + h.rxPackets : c ? c.aToBPackets + c.bToAPackets : p ? p.packets : 0);
    case 'flows':
      return formatCount(p?.flows ?? 0);
    case 'lastSeen':
      return formatAgo(h?.lastSeen ?? c?.lastSeen ?? now, now);
  }
}
