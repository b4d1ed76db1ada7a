/**
 * Counted warnings. A damaged capture can repeat the same problem on every
 * record, so each kind of warning is kept once with a count instead of growing
 * a list per packet. `list` holds one line per kind, in first-seen order.
 */
export class WarningLog {
  readonly list: string[] = [];
  /** Total warnings raised, repeats included. */
  total = 0;
  private readonly index = new Map<string, { slot: number; text: string; count: number }>();
  private readonly maxKinds: number;

  constructor(maxKinds = 32) {
    this.maxKinds = maxKinds;
  }

  /** Record a warning. `kind` groups repeats; `text` is the line shown the first time. */
  add(kind: string, text: string): void {
    this.total++;
    const seen = this.index.get(kind);
    if (seen) {
      seen.count++;
      this.list[seen.slot] = `${seen.text} (${seen.count} times)`;
      return;
    }
    if (this.index.size >= this.maxKinds) return;
    this.index.set(kind, { slot: this.list.length, text, count: 1 });
    this.list.push(text);
  }

  /**
   * Count a repeat of a kind already seen and return true, or return false so
   * the caller builds the text once: `log.repeat(k) || log.add(k, text)`.
   * Keeps damaged-on-every-record files from building a string per packet.
   */
  repeat(kind: string): boolean {
    const seen = this.index.get(kind);
    if (!seen) return false;
    this.add(kind, seen.text);
    return true;
  }

  count(kind: string): number {
    return this.index.get(kind)?.count ?? 0;
  }
}
