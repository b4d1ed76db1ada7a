/**
 * The open-addressing index shared by FlowTable and HostTable: an Int32Array
 * of slot numbers (-1 empty), linear probing, at most half full. Each table
 * keeps a slot's hash at word 0 of its Int32 key record (`stride` words).
 */

/** Put `slot` (hash `h`) at the first empty position of its probe chain. */
export function indexInsert(index: Int32Array, mask: number, h: number, slot: number): void {
  let i = h & mask;
  while (index[i]! >= 0) i = (i + 1) & mask;
  index[i] = slot;
}

/** Remove `slot` with backward-shift deletion, which keeps probe chains intact without tombstones. */
export function indexDelete(index: Int32Array, mask: number, slot: number, key: Int32Array, stride: number): void {
  let i = key[slot * stride]! & mask;
  while (index[i] !== slot) i = (i + 1) & mask;
  let j = i;
  for (;;) {
    j = (j + 1) & mask;
    const c = index[j]!;
    if (c < 0) break;
    const k = key[c * stride]! & mask;
    const between = i <= j ? i < k && k <= j : i < k || k <= j;
    if (!between) {
      index[i] = c;
      i = j;
    }
  }
  index[i] = -1;
}

/** A new index of `size` (a power of two) holding every live slot below `used`. */
export function indexRebuild(size: number, key: Int32Array, stride: number, used: number, isLive: (s: number) => boolean): Int32Array {
  const index = new Int32Array(size).fill(-1);
  const mask = size - 1;
  for (let s = 0; s < used; s++) if (isLive(s)) indexInsert(index, mask, key[s * stride]!, s);
  return index;
}
