/**
 * The fuzz tests' oracle for text meant for a terminal: C0 controls other than \n (and \t where
 * the caller allows it), DEL, ESC, C1 (U+0080..U+009F), bidi marks, embeddings, overrides and
 * isolates, BOM and lone surrogates. Deliberately written apart from src/util/escape.ts so a
 * gap in the escaping code is not mirrored here.
 */
export function unsafeChar(s: string, allowTab = false): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    const bad =
      (c < 0x20 && c !== 0x0a && !(allowTab && c === 0x09)) ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x200e || c === 0x200f ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0xfeff ||
      (c >= 0xd800 && c <= 0xdfff);
    if (bad) return `U+${c.toString(16).padStart(4, '0')} at ${i} in ${JSON.stringify(s.slice(Math.max(0, i - 30), i + 30))}`;
  }
  return null;
}

/** Collects failures (with the case that made them) instead of stopping at the first. */
export class Failures {
  readonly list: string[] = [];
  text(where: string, s: string, allowTab = false): void {
    const bad = unsafeChar(s, allowTab);
    if (bad !== null) this.add(`${where}: unsafe ${bad}`);
  }
  add(msg: string): void {
    if (this.list.length < 20) this.list.push(msg);
  }
  /** Run `fn`; an exception is a failure. */
  run(where: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.add(`${where}: threw ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' | ') : String(e)}`);
    }
  }
  async runAsync(where: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.add(`${where}: threw ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' | ') : String(e)}`);
    }
  }
}
