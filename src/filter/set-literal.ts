import { Cursor, lit, tokText } from './cursor.js';
import { FilterError } from './errors.js';
import type { Lit, SetElem } from './field-test.js';
import { T, type Token } from './lexer.js';

/** `{a, b, c..d}`; commas are optional (Wireshark 3 wrote sets with spaces). */
export function parseSet(cur: Cursor, inTok: Token): SetElem[] {
  const open = cur.peek();
  if (open.t !== T.LBrace) throw new FilterError('"in" needs a set in braces, e.g. tcp.port in {80, 443, 8000..8100}', open.pos, Math.max(1, open.end - open.pos));
  cur.next();
  // Split words at ".." so 20..25, 20 .. 25 and 20.. 25 all read the same.
  type Piece = { lit: Lit | null; pos: number };
  const pieces: Piece[] = [];
  for (;;) {
    const t = cur.peek();
    if (t.t === T.RBrace) {
      cur.next();
      break;
    }
    if (t.t === T.Eof) throw new FilterError(`unbalanced brace: the '{' at column ${open.pos + 1} is never closed`, open.pos);
    if (t.t === T.Comma) {
      cur.next();
      pieces.push({ lit: null, pos: -1 });
      continue;
    }
    if (t.t === T.Str) {
      pieces.push({ lit: lit(t), pos: t.pos });
      cur.next();
      continue;
    }
    if (t.t !== T.Word) throw new FilterError(`unexpected ${tokText(t)} inside a set`, t.pos, t.end - t.pos);
    const parts = t.text.split('..');
    let off = t.pos;
    parts.forEach((part, k) => {
      if (k > 0) {
        pieces.push({ lit: { kind: 'word', text: '..', pos: off, end: off + 2 }, pos: off });
        off += 2;
      }
      if (part !== '') pieces.push({ lit: { kind: 'word', text: part, pos: off, end: off + part.length }, pos: off });
      off += part.length;
    });
    cur.next();
  }
  const elems: SetElem[] = [];
  let k = 0;
  while (k < pieces.length) {
    const p = pieces[k]!;
    if (p.lit === null) {
      k++;
      continue;
    }
    if (p.lit.text === '..' && p.lit.kind === 'word') throw new FilterError('a range needs a start: write a..b', p.pos, 2);
    const r = pieces[k + 1];
    if (r && r.lit && r.lit.kind === 'word' && r.lit.text === '..') {
      const hi = pieces[k + 2];
      if (!hi || !hi.lit || hi.lit.text === '..') throw new FilterError('a range needs an end: write a..b', r.pos, 2);
      elems.push({ lo: p.lit, hi: hi.lit });
      k += 3;
    } else {
      elems.push({ lo: p.lit });
      k++;
    }
  }
  if (elems.length === 0) throw new FilterError('empty set: put at least one value in the braces', inTok.pos);
  return elems;
}
