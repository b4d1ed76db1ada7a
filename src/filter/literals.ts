import { FilterError } from './errors.js';
import type { Lit } from './field-test.js';
import type { FieldSpec, FieldType } from './registry.js';
import { ipv4Key, mask4, parseByteString, parseFloatLit, parseInteger, parseIp4, parseIp6, parseMac } from './values.js';

/** Field values written in a filter, checked against the field's type (errors say what was expected). */

export const TYPE_TEXT: Record<FieldType, string> = {
  uint: 'an unsigned integer',
  int: 'an integer',
  bool: 'a boolean (0 or 1)',
  float: 'a number',
  ipv4: 'an IPv4 address (a.b.c.d or a.b.c.d/len)',
  ipv6: 'an IPv6 address (x:x::x or x:x::/len)',
  ether: 'a MAC address (aa:bb:cc:dd:ee:ff)',
  string: 'a string',
  bytes: 'a byte string (aa:bb:cc) or a quoted string',
};

function bad(def: FieldSpec, v: Lit, why?: string): FilterError {
  const shown = v.kind === 'str' ? `"${v.text}"` : v.text;
  return new FilterError(`${def.name} expects ${TYPE_TEXT[def.type]}${why ? `: ${why}` : `, not ${shown}`}`, v.pos, v.end - v.pos);
}

/** A numeric literal as an inclusive range (a CIDR is a range too). */
export function numRange(def: FieldSpec, v: Lit): [number, number] {
  if (v.kind === 'str' && def.type !== 'float') {
    throw bad(def, v, `${def.type === 'ipv4' ? 'an IPv4 address' : 'a value of this type'} cannot be written as a quoted string`);
  }
  const t = v.text;
  switch (def.type) {
    case 'uint':
    case 'int':
    case 'bool': {
      let n = parseInteger(t);
      if (def.type === 'bool' && n === null) {
        const l = t.toLowerCase();
        if (l === 'true') n = 1;
        else if (l === 'false') n = 0;
      }
      if (n === null) throw bad(def, v);
      if (def.type !== 'int' && n < 0) throw bad(def, v, `${t} is negative`);
      const max = def.type === 'bool' ? 1 : def.max;
      if (max !== undefined && n > max) throw new FilterError(`${t} is too big for ${def.name}, maximum ${max}`, v.pos, v.end - v.pos);
      return [n, n];
    }
    case 'float': {
      const n = parseFloatLit(t);
      if (n === null) throw bad(def, v);
      return [n, n];
    }
    case 'ether': {
      const n = parseMac(t);
      if (n === null) throw bad(def, v);
      return [n, n];
    }
    case 'ipv4': {
      const slash = t.indexOf('/');
      const addr = parseIp4(slash < 0 ? t : t.slice(0, slash));
      if (addr === null) {
        if (/^[0-9.]+(\/.*)?$/.test(t)) throw bad(def, v, `${slash < 0 ? t : t.slice(0, slash)} is not a valid IPv4 address`);
        throw bad(def, v, `${t} is not an address (host names are not resolved)`);
      }
      if (slash < 0) return [ipv4Key(addr), ipv4Key(addr)];
      const bitsText = t.slice(slash + 1);
      const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
      if (!(bits >= 0 && bits <= 32)) {
        throw new FilterError(`bad CIDR ${t}: the prefix length must be 0..32`, v.pos + slash + 1, Math.max(1, bitsText.length));
      }
      const m = mask4(bits);
      const lo = (addr & m) >>> 0;
      return [ipv4Key(lo), ipv4Key((lo | ~m) >>> 0)];
    }
    default:
      throw bad(def, v);
  }
}

export function ip6Range(def: FieldSpec, v: Lit): [Uint32Array, Uint32Array] {
  if (v.kind === 'str') throw bad(def, v, 'an IPv6 address cannot be written as a quoted string');
  const t = v.text;
  const slash = t.indexOf('/');
  const addr = parseIp6(slash < 0 ? t : t.slice(0, slash));
  if (addr === null) throw bad(def, v, `${slash < 0 ? t : t.slice(0, slash)} is not a valid IPv6 address`);
  if (slash < 0) return [addr, addr];
  const bitsText = t.slice(slash + 1);
  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= 128)) {
    throw new FilterError(`bad CIDR ${t}: the prefix length must be 0..128`, v.pos + slash + 1, Math.max(1, bitsText.length));
  }
  const lo = new Uint32Array(4);
  const hi = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const b = Math.min(32, Math.max(0, bits - 32 * i));
    const m = mask4(b);
    lo[i] = (addr[i]! & m) >>> 0;
    hi[i] = (lo[i]! | ~m) >>> 0;
  }
  return [lo, hi];
}

export function bytesValue(def: FieldSpec, v: Lit): Uint8Array {
  if (v.kind === 'str') return new TextEncoder().encode(v.text);
  const b = parseByteString(v.text);
  if (b === null) throw bad(def, v);
  return b;
}

/** Wireshark 4's `matches` is case-insensitive unless the pattern starts with (?-i). */
export function compileRegex(v: Lit): RegExp {
  if (v.kind !== 'str') throw new FilterError('matches needs a quoted regular expression, e.g. matches "^www\\."', v.pos, v.end - v.pos);
  let src = v.text;
  let flags = 'i';
  if (src.startsWith('(?i)')) src = src.slice(4);
  else if (src.startsWith('(?-i)')) {
    src = src.slice(5);
    flags = '';
  }
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new FilterError(`bad regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, v.pos, v.end - v.pos);
  }
}
