/**
 * Column sets of the packet list by terminal width, as data (narrowest first; the widest that
 * fits wins). Info takes what is left.
 */
export type PacketColumnId = 'no' | 'time' | 'src' | 'dst' | 'proto' | 'len';

export interface PacketColumn {
  readonly id: PacketColumnId;
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
}

const col = (id: PacketColumnId, title: string, width: number, align: 'left' | 'right' = 'left'): PacketColumn => ({ id, title, width, align });

export const PACKET_COLUMN_SETS: readonly { readonly minWidth: number; readonly columns: readonly PacketColumn[] }[] = [
  { minWidth: 0, columns: [col('no', 'No.', 5, 'right'), col('time', 'Time', 10, 'right'), col('src', 'Source', 15), col('dst', 'Destination', 15), col('proto', 'Proto', 5), col('len', 'Len', 5, 'right')] },
  { minWidth: 120, columns: [col('no', 'No.', 7, 'right'), col('time', 'Time', 12, 'right'), col('src', 'Source', 26), col('dst', 'Destination', 26), col('proto', 'Protocol', 8), col('len', 'Length', 6, 'right')] },
  { minWidth: 200, columns: [col('no', 'No.', 7, 'right'), col('time', 'Time', 12, 'right'), col('src', 'Source', 39), col('dst', 'Destination', 39), col('proto', 'Protocol', 8), col('len', 'Length', 6, 'right')] },
];

export function packetColumns(width: number): readonly PacketColumn[] {
  let pick = PACKET_COLUMN_SETS[0]!.columns;
  for (const s of PACKET_COLUMN_SETS) if (width >= s.minWidth) pick = s.columns;
  return pick;
}
