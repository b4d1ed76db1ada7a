import { escapeBytes } from '../../util/escape.js';

/**
 * Reads the first question name of a DNS query in place: label bounds, a hash
 * of the whole name and of its registered domain, the length and character
 * entropy of the part left of the registered domain. Nothing is allocated;
 * the result lives in the reader's fields until the next call.
 */
const MAX_LABELS = 128;
/** Second-level labels under which registrations happen one level deeper (co.uk, com.au, ...), as char codes. */
const SECOND_LEVEL: readonly number[][] = ['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go'].map((w) =>
  [...w].map((c) => c.charCodeAt(0)),
);

export class DnsNameReader {
  readonly starts = new Int32Array(MAX_LABELS);
  readonly lens = new Uint8Array(MAX_LABELS);
  labels = 0;
  buf: Uint8Array = new Uint8Array(0);
  nameHash = 0;
  domainHash = 0;
  /** First label of the registered domain. */
  domainFirst = 0;
  /** Characters left of the registered domain (dots included). */
  subLen = 0;
  longestLabel = 0;
  /** Shannon entropy of the characters left of the registered domain, bits per character. */
  entropy = 0;
  private readonly counts = new Uint16Array(256);

  /** Parse the payload of a UDP datagram to port 53; false when it is not a plain query. */
  read(b: Uint8Array, off: number, len: number): boolean {
    if (len < 17) return false;
    if ((b[off + 2]! & 0x80) !== 0) return false; // a response
    if (((b[off + 2]! >>> 3) & 0x0f) !== 0) return false; // not a standard query
    if ((b[off + 4]! << 8 | b[off + 5]!) === 0) return false;
    const end = off + len;
    let o = off + 12;
    this.buf = b;
    this.labels = 0;
    this.longestLabel = 0;
    for (;;) {
      if (o >= end) return false;
      const l = b[o]!;
      if (l === 0) break;
      if (l > 63 || o + 1 + l > end || this.labels >= MAX_LABELS) return false;
      this.starts[this.labels] = o + 1;
      this.lens[this.labels] = l;
      this.labels++;
      if (l > this.longestLabel) this.longestLabel = l;
      o += 1 + l;
    }
    if (this.labels === 0) return false;
    this.findDomain();
    this.hashes();
    this.measureSub();
    return true;
  }

  private findDomain(): void {
    const n = this.labels;
    let first = Math.max(0, n - 2);
    if (n >= 3 && this.lens[n - 1] === 2 && this.isSecondLevel(n - 2)) first = n - 3;
    this.domainFirst = first;
  }

  private isSecondLevel(i: number): boolean {
    const s = this.starts[i]!;
    const l = this.lens[i]!;
    outer: for (const w of SECOND_LEVEL) {
      if (w.length !== l) continue;
      for (let k = 0; k < l; k++) if (lower(this.buf[s + k]!) !== w[k]) continue outer;
      return true;
    }
    return false;
  }

  private hashes(): void {
    let h = 0x811c9dc5;
    let d = 0x811c9dc5;
    for (let i = 0; i < this.labels; i++) {
      const s = this.starts[i]!;
      const l = this.lens[i]!;
      for (let k = 0; k < l; k++) {
        const c = lower(this.buf[s + k]!);
        h = Math.imul(h ^ c, 0x01000193);
        if (i >= this.domainFirst) d = Math.imul(d ^ c, 0x01000193);
      }
      h = Math.imul(h ^ 0x2e, 0x01000193);
      if (i >= this.domainFirst) d = Math.imul(d ^ 0x2e, 0x01000193);
    }
    this.nameHash = h >>> 0;
    this.domainHash = d >>> 0;
  }

  private measureSub(): void {
    let n = 0;
    let longestSub = 0;
    for (let i = 0; i < this.domainFirst; i++) {
      const s = this.starts[i]!;
      const l = this.lens[i]!;
      if (l > longestSub) longestSub = l;
      for (let k = 0; k < l; k++) this.counts[lower(this.buf[s + k]!)]!++;
      n += l;
    }
    this.subLen = n + Math.max(0, this.domainFirst - 1);
    this.longestLabel = longestSub;
    let ent = 0;
    if (n > 0) {
      for (let i = 0; i < this.domainFirst; i++) {
        const s = this.starts[i]!;
        for (let k = 0; k < this.lens[i]!; k++) {
          const c = lower(this.buf[s + k]!);
          const cnt = this.counts[c]!;
          if (cnt === 0) continue;
          const pr = cnt / n;
          ent -= pr * Math.log2(pr);
          this.counts[c] = 0;
        }
      }
    }
    this.entropy = ent;
  }

  /** Label i as text: UTF-8 decoded, ASCII letters lowered (as the tables compare them), escaped for the terminal. */
  labelText(i: number): string {
    return escapeBytes(this.buf, this.starts[i]!, this.lens[i]!).replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }

  /**
   * The registered domain as text (allocates: call for new table entries only). Escaped for the
   * terminal: it goes into alert messages, which `report --json`, `baseline check --json` and the
   * --alerts file print as they are.
   */
  domainText(): string {
    const parts: string[] = [];
    for (let i = this.domainFirst; i < this.labels; i++) parts.push(this.labelText(i));
    return parts.join('.');
  }

  nameText(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.labels; i++) parts.push(this.labelText(i));
    return parts.join('.');
  }
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
