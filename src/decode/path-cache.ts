import type { ProtoPaths } from './proto-paths.js';

/**
 * A typed-array memo in front of ProtoPaths.child(). ProtoPaths keys its Map
 * with parent * 2^24 + ..., which leaves the small-integer range once path
 * ids reach 64, and from then on every lookup boxes its key (measured: one
 * heap number per layer per packet). Path ids never change once interned, so
 * remembering (parent, proto, sub) -> id here keeps the hot path allocation
 * free however many paths exist. When the table is 3/4 full new paths are
 * simply looked up in ProtoPaths every time.
 *
 * In front of that, the common case (no sub-key, a parent among the first
 * DIRECT_PARENTS ids, a Proto code below 64) is one load from a direct table:
 * the hash probe over three arrays was a visible share of decode().
 */
const DIRECT_PARENTS = 1024;

export class PathCache {
  /** id + 1 at (parent << 6) | proto; 0 = not known yet. */
  private readonly direct = new Int32Array(DIRECT_PARENTS << 6);
  /** parent + 1; 0 marks an empty slot. */
  private readonly parents: Int32Array;
  private readonly protoSubs: Int32Array;
  private readonly ids: Int32Array;
  private readonly mask: number;
  private count = 0;

  constructor(slots = 8192) {
    let n = 16;
    while (n < slots) n <<= 1;
    this.parents = new Int32Array(n);
    this.protoSubs = new Int32Array(n);
    this.ids = new Int32Array(n);
    this.mask = n - 1;
  }

  child(paths: ProtoPaths, parent: number, proto: number, sub: number): number {
    if (sub === 0 && parent < DIRECT_PARENTS && proto < 64) {
      const d = (parent << 6) | proto;
      const known = this.direct[d]!;
      if (known !== 0) return known - 1;
      return (this.direct[d] = this.probe(paths, parent, proto, 0) + 1) - 1;
    }
    return this.probe(paths, parent, proto, sub);
  }

  private probe(paths: ProtoPaths, parent: number, proto: number, sub: number): number {
    const ps = (proto << 16) | (sub & 0xffff);
    const p1 = parent + 1;
    let h = (Math.imul(p1, 0x9e3779b1) ^ Math.imul(ps, 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 15)) & this.mask;
    for (let probe = 0; probe < 16; probe++) {
      const k = this.parents[h]!;
      if (k === p1 && this.protoSubs[h] === ps) return this.ids[h]!;
      if (k === 0) {
        const id = paths.child(parent, proto, sub);
        if (this.count * 4 < this.parents.length * 3) {
          this.parents[h] = p1;
          this.protoSubs[h] = ps;
          this.ids[h] = id;
          this.count++;
        }
        return id;
      }
      h = (h + 1) & this.mask;
    }
    return paths.child(parent, proto, sub);
  }
}
