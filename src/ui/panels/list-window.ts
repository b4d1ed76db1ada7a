/** First row shown so that the selected row stays inside a window of `size` rows. */
export function windowStart(selected: number, count: number, size: number): number {
  if (count <= size || selected < 0) return 0;
  return Math.min(Math.max(0, selected - size + 1), count - size);
}
