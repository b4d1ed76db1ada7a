/**
 * One row of a classic hex dump: `00000010  45 00 00 3c 1c 46 40 00  40 06 b1 e6 ac 10 0a 63  E..<.F@.@......c`.
 * The ASCII column shows printable ASCII only and `.` for everything else, so it is safe as is.
 * Shared by the stream view and the packet view.
 */

const HEX = '0123456789abcdef';

export function hexByte(b: number): string {
  return HEX[b >> 4]! + HEX[b & 15]!;
}

/** Widest of 16/8/4 bytes per row whose row fits `width` cells. */
export function bytesPerRow(width: number, offsetDigits = 8): number {
  for (const n of [16, 8, 4]) if (hexRowWidth(n, offsetDigits) <= width) return n;
  return 4;
}

export function hexRowWidth(perRow: number, offsetDigits = 8): number {
  return offsetDigits + 2 + perRow * 3 + (perRow > 8 ? 1 : 0) + 1 + perRow;
}

/** Column of byte k's first hex digit within a row. */
export function hexColumn(k: number, perRow: number, offsetDigits = 8): number {
  return offsetDigits + 2 + k * 3 + (perRow > 8 && k >= 8 ? 1 : 0);
}

/** Column of byte k's character in the ASCII part of a row. */
export function asciiColumn(k: number, perRow: number, offsetDigits = 8): number {
  return offsetDigits + 2 + perRow * 3 + (perRow > 8 ? 1 : 0) + 1 + k;
}

export interface HexCell {
  readonly text: string;
  /** Byte index (into the dumped bytes) this text shows, or -1 for spacing and the offset. */
  readonly byte: number;
}

/**
 * A row as cells, so a caller can tone the cells of chosen bytes. Cells: offset, then per byte
 * its two hex digits (and separators as byte -1), then per byte its ASCII character.
 */
export function hexRowCells(bytes: Uint8Array, start: number, count: number, offset: number, perRow: number, offsetDigits = 8): HexCell[] {
  const cells: HexCell[] = [{ text: offset.toString(16).padStart(offsetDigits, '0').slice(-offsetDigits) + ' ', byte: -1 }];
  for (let k = 0; k < perRow; k++) {
    const sep = k === 8 && perRow > 8 ? '  ' : ' ';
    cells.push({ text: sep, byte: -1 });
    cells.push(k < count ? { text: hexByte(bytes[start + k]!), byte: start + k } : { text: '  ', byte: -1 });
  }
  cells.push({ text: '  ', byte: -1 });
  for (let k = 0; k < count; k++) {
    const b = bytes[start + k]!;
    cells.push({ text: b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.', byte: start + k });
  }
  return cells;
}

export function hexRowText(bytes: Uint8Array, start: number, count: number, offset: number, perRow: number, offsetDigits = 8): string {
  return hexRowCells(bytes, start, count, offset, perRow, offsetDigits).map((c) => c.text).join('');
}
