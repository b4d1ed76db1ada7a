import { hexRowWidth } from '../stream/hex-row.js';

export interface Rect {
  readonly width: number;
  readonly height: number;
}

export interface PacketLayout {
  readonly arrangement: 'stacked' | 'side';
  readonly list: Rect;
  readonly tree: Rect;
  readonly hex: Rect;
  readonly footer: Rect;
}

/** Hex pane width beside the tree: 16 bytes a row with a 4-digit offset. */
const SIDE_HEX = hexRowWidth(16, 4);
/** The tree beside the hex dump needs this much to be worth it. */
const SIDE_MIN_TREE = 60;

/**
 * List on top, then tree and hex dump: stacked at 80 columns, side by side when the terminal
 * is wide enough for a 16-byte hex row next to a readable tree.
 */
export function packetLayout(width: number, height: number): PacketLayout {
  const avail = Math.max(6, height - 1);
  const listH = Math.max(3, Math.floor(avail * 0.35));
  const rest = avail - listH;
  const footer = { width, height: 1 };
  if (width >= SIDE_HEX + 1 + SIDE_MIN_TREE) {
    return {
      arrangement: 'side',
      list: { width, height: listH },
      tree: { width: width - SIDE_HEX - 1, height: rest },
      hex: { width: SIDE_HEX, height: rest },
      footer,
    };
  }
  const treeH = Math.max(2, Math.floor(rest / 2));
  return { arrangement: 'stacked', list: { width, height: listH }, tree: { width, height: treeH }, hex: { width, height: rest - treeH }, footer };
}
