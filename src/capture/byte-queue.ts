/**
 * The parser's view of a byte stream fed in chunks. Unread bytes are
 * buf[pos .. end). When nothing is left over, a new chunk is used in place (no
 * copy); when a record spans chunks, the remainder and the new chunk are copied
 * into one owned, reused buffer. `base` is the stream offset of buf[0], so
 * warnings can name absolute byte offsets.
 */
/** Shared by every queue so a sequence number names one content of one buffer process-wide (a looped file gets a new queue). */
let lastSeq = 0;

export class ByteQueue {
  buf: Buffer = Buffer.alloc(0);
  /** Changes whenever `buf` or its content changes (each push and clear); never 0. */
  seq = ++lastSeq;
  pos = 0;
  end = 0;
  base = 0;
  /** Total bytes fed so far. */
  fed = 0;
  private owned: Buffer = Buffer.alloc(0);

  get avail(): number {
    return this.end - this.pos;
  }

  /** Stream offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.fed += chunk.length;
    this.seq = ++lastSeq;
    const rem = this.end - this.pos;
    if (rem === 0) {
      this.base += this.end;
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      return;
    }
    const need = rem + chunk.length;
    const newBase = this.base + this.pos;
    if (this.buf === this.owned && this.owned.length >= need) {
      this.owned.copyWithin(0, this.pos, this.end);
    } else {
      const target = this.owned.length >= need ? this.owned : Buffer.allocUnsafe(Math.max(need, this.owned.length * 2, 1 << 16));
      this.buf.copy(target, 0, this.pos, this.end);
      this.owned = target;
    }
    chunk.copy(this.owned, rem);
    this.buf = this.owned;
    this.base = newBase;
    this.pos = 0;
    this.end = need;
  }

  skip(n: number): void {
    this.pos += n;
  }

  /** Drop everything unread (after a fatal format error). */
  clear(): void {
    this.base += this.end;
    this.pos = 0;
    this.end = 0;
    this.buf = Buffer.alloc(0);
    this.seq = ++lastSeq;
  }
}
