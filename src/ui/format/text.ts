/**
 * Fitting text into cells. Widths count code points: what reaches here is escaped wire text
 * (ASCII escapes), addresses and DNS names, none of which use wide characters.
 */

function length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function take(s: string, from: number, count: number): string {
  return Array.from(s).slice(from, from + count).join('');
}

/** `verylongname.example.com` -> `verylo…le.com`: the ends say the most about names. */
export function truncateMiddle(s: string, width: number): string {
  if (width <= 0) return '';
  const n = length(s);
  if (n <= width) return s;
  if (width === 1) return '…';
  const keep = width - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return take(s, 0, head) + '…' + (tail > 0 ? take(s, n - tail, tail) : '');
}

/** Cut at the end: for messages and summaries where the start matters. */
export function truncateEnd(s: string, width: number): string {
  if (width <= 0) return '';
  const n = length(s);
  if (n <= width) return s;
  return width === 1 ? '…' : take(s, 0, width - 1) + '…';
}

export function padRight(s: string, width: number): string {
  const t = truncateMiddle(s, width);
  return t + ' '.repeat(Math.max(0, width - length(t)));
}

export function padLeft(s: string, width: number): string {
  const t = truncateMiddle(s, width);
  return ' '.repeat(Math.max(0, width - length(t))) + t;
}

export function textWidth(s: string): number {
  return length(s);
}

/** Word-wrap into lines of at most `width` code points; a word longer than a line is split. */
export function wrapWords(s: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let cur = '';
  for (const word of s.split(' ').filter((x) => x !== '')) {
    if (cur !== '' && length(cur) + 1 + length(word) <= w) {
      cur += ' ' + word;
      continue;
    }
    if (cur !== '') out.push(cur);
    cur = word;
    while (length(cur) > w) {
      out.push(take(cur, 0, w));
      cur = take(cur, w, length(cur) - w);
    }
  }
  if (cur !== '' || out.length === 0) out.push(cur);
  return out;
}
