import { ipv4Key } from './values.js';
import type { DecodedPacket } from '../decode/packet.js';
import type { FilterContext } from './context.js';
import { FilterError } from './errors.js';
import { FieldValues, MAX_OCCURRENCES, type FieldGetter, type FieldSpec } from './registry.js';
import { bytesValue, compileRegex, ip6Range, numRange, TYPE_TEXT } from './literals.js';

export type Pred = (p: DecodedPacket) => boolean;

/**
 * Comparison operators, named by meaning. Wireshark 4.0 semantics, checked
 * against tshark 4.0.17: `==`, `<`, `contains`, `matches`, `in` are true when
 * ANY occurrence matches; `!=` is true when the field is present and NO
 * occurrence equals the value (`ip.addr != A` drops packets to or from A, and
 * packets without IPv4 are not matched either); `===` needs ALL occurrences
 * equal; `!==` and `~=` are "any occurrence differs".
 */
export type CmpOp = 'eq' | 'ne' | 'all_eq' | 'any_ne' | 'lt' | 'le' | 'gt' | 'ge' | 'contains' | 'matches' | 'in';

export interface Lit {
  /** 'word' for an unquoted literal, 'str' for a quoted one. */
  readonly kind: 'word' | 'str';
  readonly text: string;
  readonly pos: number;
  readonly end: number;
}

export interface SetElem {
  readonly lo: Lit;
  readonly hi?: Lit;
}

function cmp6(a: Uint32Array, off: number, b: Uint32Array): number {
  for (let i = 0; i < 4; i++) {
    const x = a[off + i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}


function bytesEq(a: Uint8Array, off: number, len: number, b: Uint8Array): boolean {
  if (len !== b.length) return false;
  for (let i = 0; i < len; i++) if (a[off + i] !== b[i]) return false;
  return true;
}

function bytesContain(a: Uint8Array, off: number, len: number, b: Uint8Array): boolean {
  const n = b.length;
  if (n === 0) return true;
  const first = b[0];
  for (let i = 0; i + n <= len; i++) {
    if (a[off + i] !== first) continue;
    let j = 1;
    while (j < n && a[off + i + j] === b[j]) j++;
    if (j === n) return true;
  }
  return false;
}

type Elem = (out: FieldValues, i: number) => boolean;

/** Build the per-occurrence test and combine it with the operator's quantifier. */
export function compileFieldTest(def: FieldSpec, op: CmpOp | 'exists', rhs: Lit | SetElem[] | null, opPos: number, ctx: FilterContext): Pred {
  const out = new FieldValues();
  const raw = def.getter;
  // A dissector's getter may throw: that must not escape match(). Counts are clamped
  // to the buffer size in the loops below.
  const g: FieldGetter = def.app
    ? (p, o, c) => {
        try {
          return raw(p, o, c);
        } catch {
          return 0;
        }
      }
    : raw;
  const get = def.single;
  if (op === 'exists') {
    if (get) {
      return (p) => {
        const v = get(p, ctx);
        return v === v;
      };
    }
    return (p) => g(p, out, ctx) > 0;
  }
  const opErr = (what: string): FilterError => new FilterError(`${what} cannot be used with ${def.name} (${TYPE_TEXT[def.type]})`, opPos);
  const numeric = def.type !== 'ipv6' && def.type !== 'string' && def.type !== 'bytes';
  let elem: Elem;
  let scalarTest: ((v: number) => boolean) | null = null;
  let negate = false;
  let quant: 'any' | 'all' | 'none' = 'any';
  if (op === 'ne') {
    quant = 'none';
  } else if (op === 'all_eq') quant = 'all';
  else if (op === 'any_ne') negate = true;

  if (numeric) {
    if (op === 'contains' || op === 'matches') throw opErr(op);
    if (op === 'in') {
      const ranges: number[] = [];
      for (const e of rhs as SetElem[]) {
        const a = numRange(def, e.lo);
        const b = e.hi ? numRange(def, e.hi) : a;
        ranges.push(Math.min(a[0], b[0]), Math.max(a[1], b[1]));
      }
      const r = Float64Array.from(ranges);
      scalarTest = (v) => {
        for (let i = 0; i < r.length; i += 2) if (v >= r[i]! && v <= r[i + 1]!) return true;
        return false;
      };
    } else {
      const [lo, hi] = numRange(def, rhs as Lit);
      switch (op) {
        case 'lt':
          scalarTest = (v) => v < lo;
          break;
        case 'le':
          scalarTest = (v) => v <= hi;
          break;
        case 'gt':
          scalarTest = (v) => v > hi;
          break;
        case 'ge':
          scalarTest = (v) => v >= lo;
          break;
        default:
          scalarTest = lo === hi ? (v) => v === lo : (v) => v >= lo && v <= hi;
      }
    }
    const st = scalarTest;
    const sec = def.second;
    if (get && sec) {
      // Source and destination: the quantifiers over two values, written out.
      if (quant === 'none') return (p) => {
        const v = get(p, ctx);
        return v === v && !st(v) && !st(sec(p, ctx));
      };
      if (quant === 'all') return (p) => {
        const v = get(p, ctx);
        return v === v && st(v) && st(sec(p, ctx));
      };
      if (negate) return (p) => {
        const v = get(p, ctx);
        return v === v && (!st(v) || !st(sec(p, ctx)));
      };
      return (p) => {
        const v = get(p, ctx);
        return v === v && (st(v) || st(sec(p, ctx)));
      };
    }
    if (get) {
      // One occurrence at most: every quantifier reduces to a test on it.
      if (negate || quant === 'none') return (p) => {
        const v = get(p, ctx);
        return v === v && !st(v);
      };
      return (p) => {
        const v = get(p, ctx);
        return v === v && st(v);
      };
    }
    // Multi-valued getters write plain numbers; IPv4 ones are compared as ipv4Key.
    elem = def.type === 'ipv4' ? (o, i) => st(ipv4Key(o.nums[i]!)) : (o, i) => st(o.nums[i]!);
  } else if (def.type === 'ipv6') {
    if (op === 'contains' || op === 'matches') throw opErr(op);
    if (op === 'in') {
      const rs = (rhs as SetElem[]).map((e) => {
        const a = ip6Range(def, e.lo);
        const b = e.hi ? ip6Range(def, e.hi) : a;
        return [a[0], b[1]] as const;
      });
      elem = (o, i) => {
        for (const [lo, hi] of rs) if (cmp6(o.ip6, i * 4, lo) >= 0 && cmp6(o.ip6, i * 4, hi) <= 0) return true;
        return false;
      };
    } else {
      const [lo, hi] = ip6Range(def, rhs as Lit);
      switch (op) {
        case 'lt':
          elem = (o, i) => cmp6(o.ip6, i * 4, lo) < 0;
          break;
        case 'le':
          elem = (o, i) => cmp6(o.ip6, i * 4, hi) <= 0;
          break;
        case 'gt':
          elem = (o, i) => cmp6(o.ip6, i * 4, hi) > 0;
          break;
        case 'ge':
          elem = (o, i) => cmp6(o.ip6, i * 4, lo) >= 0;
          break;
        default:
          elem = (o, i) => cmp6(o.ip6, i * 4, lo) >= 0 && cmp6(o.ip6, i * 4, hi) <= 0;
      }
    }
  } else if (def.type === 'string') {
    if (op === 'matches') {
      const re = compileRegex(rhs as Lit);
      elem = (o, i) => re.test(o.strs[i]!);
    } else if (op === 'in') {
      const set = new Set<string>();
      for (const e of rhs as SetElem[]) {
        if (e.hi) throw new FilterError('ranges (a..b) are not allowed for string fields', e.hi.pos);
        set.add(e.lo.text);
      }
      elem = (o, i) => set.has(o.strs[i]!);
    } else {
      const s = (rhs as Lit).text;
      switch (op) {
        case 'contains':
          elem = (o, i) => o.strs[i]!.includes(s);
          break;
        case 'lt':
          elem = (o, i) => o.strs[i]! < s;
          break;
        case 'le':
          elem = (o, i) => o.strs[i]! <= s;
          break;
        case 'gt':
          elem = (o, i) => o.strs[i]! > s;
          break;
        case 'ge':
          elem = (o, i) => o.strs[i]! >= s;
          break;
        default:
          elem = (o, i) => o.strs[i] === s;
      }
    }
  } else {
    // bytes
    if (op === 'matches') {
      const re = compileRegex(rhs as Lit);
      elem = (o, i) => re.test(Buffer.from(o.bytes[i]!.buffer, o.bytes[i]!.byteOffset + o.offs[i]!, o.lens[i]!).toString('latin1'));
    } else if (op === 'in') {
      const vals = (rhs as SetElem[]).map((e) => {
        if (e.hi) throw new FilterError('ranges (a..b) are not allowed for byte fields', e.hi.pos);
        return bytesValue(def, e.lo);
      });
      elem = (o, i) => {
        for (const b of vals) if (bytesEq(o.bytes[i]!, o.offs[i]!, o.lens[i]!, b)) return true;
        return false;
      };
    } else if (op === 'contains') {
      const b = bytesValue(def, rhs as Lit);
      elem = (o, i) => bytesContain(o.bytes[i]!, o.offs[i]!, o.lens[i]!, b);
    } else if (op === 'eq' || op === 'ne' || op === 'all_eq' || op === 'any_ne') {
      const b = bytesValue(def, rhs as Lit);
      elem = (o, i) => bytesEq(o.bytes[i]!, o.offs[i]!, o.lens[i]!, b);
    } else throw opErr('ordering comparisons');
  }

  const e = elem;
  if (quant === 'none') {
    return (p) => {
      const n = Math.min(g(p, out, ctx), MAX_OCCURRENCES);
      if (n <= 0) return false;
      for (let i = 0; i < n; i++) if (e(out, i)) return false;
      return true;
    };
  }
  if (quant === 'all') {
    return (p) => {
      const n = Math.min(g(p, out, ctx), MAX_OCCURRENCES);
      if (n <= 0) return false;
      for (let i = 0; i < n; i++) if (!e(out, i)) return false;
      return true;
    };
  }
  if (negate) {
    return (p) => {
      const n = Math.min(g(p, out, ctx), MAX_OCCURRENCES);
      for (let i = 0; i < n; i++) if (!e(out, i)) return true;
      return false;
    };
  }
  return (p) => {
    const n = Math.min(g(p, out, ctx), MAX_OCCURRENCES);
    for (let i = 0; i < n; i++) if (e(out, i)) return true;
    return false;
  };
}
