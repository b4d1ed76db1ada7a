import type { DecodedPacket } from '../decode/packet.js';
import type { FilterContext } from './context.js';
import { combine, Cursor, LOGIC, lit, tokText, wrap, type Node } from './cursor.js';
import { FilterError } from './errors.js';
import { compileFieldTest, type CmpOp, type Pred } from './field-test.js';
import { T, type Token } from './lexer.js';
import { buildQualified, DUAL, looksLikeValue, parsePrimitive, pcapProtoWord, PCAP_KEYWORDS, startsPrimitive, type PcapState } from './pcap-parse.js';
import { fieldNames, lookupField, lookupProtocol, protocolNames, type ProtocolSpec } from './registry.js';
import { parseSet } from './set-literal.js';
import { didYouMean, nearest } from './suggest.js';
import { parseIp4 } from './values.js';

export type { Node } from './cursor.js';
export { PCAP_KEYWORDS } from './pcap-parse.js';

/**
 * Precedence. Wireshark 4.0 binds `and` tighter than `or` (tshark 4.0.17:
 * `udp or tcp and dns` == `udp or (tcp and dns)`); libpcap gives `and` and
 * `or` equal precedence, left to right (tcpdump 4.99: `udp or tcp and port 53`
 * == `(udp or tcp) and port 53`). Both put `not` above them. A filter made only
 * of pcap-filter primitives is parsed the libpcap way (so a tcpdump expression
 * means what it means to tcpdump); any other filter the Wireshark way.
 */
export type Mode = 'wireshark' | 'pcap';

export const MAX_DEPTH = 64;

const CMP_WORDS: Record<string, CmpOp> = {
  eq: 'eq',
  '==': 'eq',
  ne: 'ne',
  '!=': 'ne',
  all_eq: 'all_eq',
  '===': 'all_eq',
  any_ne: 'any_ne',
  '!==': 'any_ne',
  '~=': 'any_ne',
  lt: 'lt',
  '<': 'lt',
  le: 'le',
  '<=': 'le',
  gt: 'gt',
  '>': 'gt',
  ge: 'ge',
  '>=': 'ge',
  contains: 'contains',
  matches: 'matches',
  '~': 'matches',
  in: 'in',
};

export const CMP_TEXTS = ['==', '!=', '===', '!==', '~=', '<', '<=', '>', '>=', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains', 'matches', 'in'];




function isAnd(t: Token): boolean {
  return (t.t === T.Word && t.text === 'and') || (t.t === T.Op && t.text === '&&');
}
function isOr(t: Token): boolean {
  return (t.t === T.Word && t.text === 'or') || (t.t === T.Op && t.text === '||');
}
function isNot(t: Token): boolean {
  return (t.t === T.Word && t.text === 'not') || (t.t === T.Op && t.text === '!');
}




export class Parser {
  private readonly cur: Cursor;
  private depth = 0;
  private readonly pcap: PcapState = { vlanK: 0, lastQual: null };
  usesApp = false;
  usesTcpRel = false;

  constructor(
    toks: Token[],
    private readonly mode: Mode,
    private readonly ctx: FilterContext,
  ) {
    this.cur = new Cursor(toks);
  }

  parse(): Node {
    if (this.cur.peek().t === T.Eof) return { fn: () => true, bpf: '', compound: false };
    const n = this.expr();
    const t = this.cur.peek();
    if (t.t !== T.Eof) {
      if (t.t === T.RParen) throw new FilterError("unbalanced parenthesis: this ')' has no matching '('", t.pos);
      throw new FilterError(`unexpected ${tokText(t)}: expected "and", "or" or the end of the filter`, t.pos, t.end - t.pos);
    }
    return n;
  }

  private expr(): Node {
    return this.mode === 'pcap' ? this.seq() : this.or();
  }

  private or(): Node {
    let left = this.and();
    while (isOr(this.cur.peek())) {
      this.cur.next();
      left = combine('or', left, this.and());
    }
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while (isAnd(this.cur.peek())) {
      this.cur.next();
      left = combine('and', left, this.unary());
    }
    return left;
  }

  private seq(): Node {
    let left = this.unary();
    for (;;) {
      const t = this.cur.peek();
      if (isAnd(t)) {
        this.cur.next();
        left = combine('and', left, this.unary());
      } else if (isOr(t)) {
        this.cur.next();
        left = combine('or', left, this.unary());
      } else return left;
    }
  }

  private unary(): Node {
    const t = this.cur.peek();
    if (++this.depth > MAX_DEPTH) throw new FilterError(`filter is nested too deeply (more than ${MAX_DEPTH} levels)`, t.pos);
    try {
      if (isNot(t)) {
        this.cur.next();
        const a = this.unary();
        const f = a.fn;
        return { fn: (p) => !f(p), bpf: a.bpf === null ? null : `not ${wrap(a)}`, compound: false };
      }
      if (t.t === T.LParen) {
        this.cur.next();
        if (this.cur.peek().t === T.RParen) throw new FilterError('empty parentheses: put a test inside ()', this.cur.peek().pos);
        const n = this.expr();
        const c = this.cur.peek();
        if (c.t !== T.RParen) {
          if (c.t === T.Eof) throw new FilterError(`unbalanced parenthesis: the '(' at column ${t.pos + 1} is never closed`, t.pos);
          throw new FilterError(`unexpected ${tokText(c)}: expected "and", "or" or ')'`, c.pos, c.end - c.pos);
        }
        this.cur.next();
        return n;
      }
      return this.atom();
    } finally {
      this.depth--;
    }
  }

  private atom(): Node {
    const t = this.cur.peek();
    if (t.t === T.Eof) {
      const prev = this.cur.toks[this.cur.i - 1];
      throw new FilterError(prev ? `the filter ends after ${tokText(prev)}: a test is missing` : 'empty filter', t.pos);
    }
    if (t.t === T.RParen) throw new FilterError("unbalanced parenthesis: this ')' has no matching '('", t.pos);
    if (t.t === T.Str) throw new FilterError(`a quoted string must follow a field and an operator, e.g. http.host == ${tokText(t)}`, t.pos, t.end - t.pos);
    if (t.t !== T.Word) throw new FilterError(`unexpected ${tokText(t)}: expected a field, a protocol or a pcap-filter primitive`, t.pos, t.end - t.pos);
    const w = t.text;
    if (LOGIC.has(w)) throw new FilterError(`"${w}" needs a test before it`, t.pos, t.end - t.pos);
    if (CMP_WORDS[w] !== undefined) throw new FilterError(`"${w}" needs a field before it, e.g. tcp.port ${w} 80`, t.pos, t.end - t.pos);
    if (startsPrimitive(this.cur)) {
      return parsePrimitive(this.cur, this.pcap);
    }
    const field = lookupField(w);
    if (field) return this.fieldTest();
    const proto = lookupProtocol(w);
    if (proto) {
      this.cur.next();
      return this.protoTest(proto, DUAL.has(w));
    }
    if (this.pcap.lastQual && looksLikeValue(w)) {
      this.cur.next();
      return buildQualified(this.cur, this.pcap.lastQual, lit(t), t);
    }
    if (looksLikeValue(w)) {
      const ip = parseIp4(w) !== null || w.includes(':');
      throw new FilterError(
        `"${w}" is a value, not a test${ip ? `: write ip.addr == ${w} or host ${w}` : ': put a field and an operator before it'}`,
        t.pos,
        t.end - t.pos,
      );
    }
    const names = [...fieldNames(), ...protocolNames(), ...PCAP_KEYWORDS];
    const hint = didYouMean(nearest(w, names));
    throw new FilterError(`unknown field or protocol "${w}"${hint ? `: ${hint}` : ''}`, t.pos, t.end - t.pos);
  }

  private fieldTest(): Node {
    const ft = this.cur.next();
    const def = lookupField(ft.text)!;
    if (def.app) this.usesApp = true;
    if (def.needsTcpRel) this.usesTcpRel = true;
    const o = this.cur.peek();
    const op = (o.t === T.Op || o.t === T.Word) && Object.hasOwn(CMP_WORDS, o.text) ? CMP_WORDS[o.text]! : null;
    if (op === null) {
      if (o.t === T.Op && o.text === '=') throw new FilterError('use == to compare', o.pos);
      if (o.t === T.Word && !LOGIC.has(o.text) && o.text !== ')') {
        throw new FilterError(`unexpected ${tokText(o)} after ${def.name}: expected an operator (==, !=, <, >, contains, matches, in) or "and"/"or"`, o.pos, o.end - o.pos);
      }
      return { fn: compileFieldTest(def, 'exists', null, ft.pos, this.ctx), bpf: null, compound: false };
    }
    this.cur.next();
    if (op === 'in') {
      const set = parseSet(this.cur, o);
      return { fn: compileFieldTest(def, 'in', set, o.pos, this.ctx), bpf: null, compound: false };
    }
    const v = this.cur.peek();
    if (v.t !== T.Word && v.t !== T.Str) {
      throw new FilterError(`expected a value after "${o.text}" (${def.name} is ${fieldKind(def.type)})`, v.pos, Math.max(1, v.end - v.pos));
    }
    if (v.t === T.Word && (LOGIC.has(v.text) || Object.hasOwn(CMP_WORDS, v.text)) && !(def.type === 'string')) {
      throw new FilterError(`expected a value after "${o.text}", not ${tokText(v)}`, v.pos, v.end - v.pos);
    }
    this.cur.next();
    return { fn: compileFieldTest(def, op, lit(v), o.pos, this.ctx), bpf: null, compound: false };
  }

  private protoTest(spec: ProtocolSpec, dual: boolean): Node {
    if (spec.app) this.usesApp = true;
    const name = spec.name;
    if (this.mode === 'pcap' && dual) return { fn: pcapProtoWord(name), bpf: name, compound: false };
    const bpf = dual ? name : null;
    if (spec.test) return { fn: wrapCtx(spec.test, this.ctx), bpf, compound: false };
    const code = spec.code;
    if (code === undefined) return { fn: () => false, bpf, compound: false };
    const ctx = this.ctx;
    let cache = new Uint8Array(64);
    let cachedFor: unknown = null;
    return {
      fn: (p) => {
        const paths = ctx.paths;
        if (paths === null) return false;
        if (cachedFor !== paths) {
          cache.fill(0);
          cachedFor = paths;
        }
        const id = p.pathId;
        if (id >= cache.length) {
          const bigger = new Uint8Array(Math.max(id + 1, cache.length * 2));
          bigger.set(cache);
          cache = bigger;
        }
        let c = cache[id]!;
        if (c === 0) cache[id] = c = paths.contains(id, code) ? 2 : 1;
        return c === 2;
      },
      bpf,
      compound: false,
    };
  }
}

function fieldKind(t: string): string {
  return t === 'ipv4' ? 'an IPv4 address' : t === 'ipv6' ? 'an IPv6 address' : t === 'ether' ? 'a MAC address' : t === 'string' ? 'a string' : `of type ${t}`;
}

function wrapCtx(test: (p: DecodedPacket, ctx: FilterContext) => boolean, ctx: FilterContext): Pred {
  return (p) => test(p, ctx);
}

