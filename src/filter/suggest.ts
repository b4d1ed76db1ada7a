/** Edit distance (Levenshtein) with an early exit once every cell passes `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Optimal string alignment: Levenshtein plus adjacent transpositions ("hots" -> "host" is 1).
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** Up to `max` names closest to `word`, nearest first; only plausible ones. */
export function nearest(word: string, names: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.ceil(w.length / 3)));
  const scored: [number, string][] = [];
  for (const n of names) {
    const d = editDistance(w, n.toLowerCase(), limit);
    if (d <= limit) scored.push([d, n]);
    else if (w.length >= 3 && n.startsWith(w) && n.length > w.length) scored.push([limit + 0.5, n]);
  }
  scored.sort((x, y) => x[0] - y[0] || x[1].length - y[1].length || (x[1] < y[1] ? -1 : 1));
  return scored.slice(0, max).map((s) => s[1]);
}

export function didYouMean(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `did you mean ${names[0]}?`;
  return `did you mean ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}?`;
}
