import { parseIp4, parseIp6 } from '../../decode/addr.js';
import type { DriverView } from '../store/drivers.js';

/**
 * Display-filter text for the drivers of a deviation meter. Driver labels are the baseline
 * module's text: a host (`10.0.0.1`), a pair (`10.0.0.1 -> 1.2.3.4`, beacons add `every 5.0 s`),
 * a client and a domain (`10.0.0.1 example.com`), a port (`tcp/443` or `443`) or a name (a DNS
 * domain). Hosts become one `in` set, ports one per transport, names `contains` tests; the terms
 * are ORed. Labels that say nothing filterable (`ipv6-host`: an address no longer remembered)
 * are left out.
 */

function isIp(s: string): boolean {
  return parseIp4(s) !== null || parseIp6(s) !== null;
}

function addrField(addr: string, dir: 'addr' | 'src' | 'dst'): string {
  return `${parseIp4(addr) !== null ? 'ip' : 'ipv6'}.${dir}`;
}

/** A string literal of the filter language: quotes, backslashes and control characters escaped. */
export function quoteFilterString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function inSet(field: string, values: readonly string[]): string {
  return values.length === 1 ? `${field} == ${values[0]}` : `${field} in {${values.join(', ')}}`;
}

export function driversExpr(drivers: readonly DriverView[]): string | null {
  const v4: string[] = [];
  const v6: string[] = [];
  const ports = new Map<string, string[]>();
  const names: string[] = [];
  const terms: string[] = [];
  const addUnique = (list: string[], v: string): void => {
    if (!list.includes(v)) list.push(v);
  };
  for (const { label } of drivers) {
    const text = label.trim();
    const pair = /^(\S+) -> (\S+)(?: every .*)?$/.exec(text);
    const port = /^(?:(tcp|udp|sctp)\/)?(\d{1,5})$/.exec(text);
    const words = text.split(' ');
    if (isIp(text)) addUnique(parseIp4(text) !== null ? v4 : v6, text);
    else if (pair && isIp(pair[1]!) && isIp(pair[2]!)) {
      addUnique(terms, `(${addrField(pair[1]!, 'src')} == ${pair[1]} && ${addrField(pair[2]!, 'dst')} == ${pair[2]})`);
    } else if (port && Number(port[2]) <= 65535) {
      for (const t of port[1] ? [port[1]] : ['tcp', 'udp']) {
        const list = ports.get(t) ?? [];
        addUnique(list, String(Number(port[2])));
        ports.set(t, list);
      }
    } else if (words.length === 2 && isIp(words[0]!)) {
      addUnique(terms, `(${addrField(words[0]!, 'addr')} == ${words[0]} && dns.qry.name contains ${quoteFilterString(words[1]!)})`);
    } else if (text !== '' && text !== 'ipv6-host' && !text.includes(' ')) addUnique(names, text);
  }
  const out: string[] = [];
  if (v4.length > 0) out.push(inSet('ip.addr', v4));
  if (v6.length > 0) out.push(inSet('ipv6.addr', v6));
  for (const [t, list] of ports) out.push(inSet(`${t}.port`, list));
  for (const n of names) out.push(`dns.qry.name contains ${quoteFilterString(n)}`);
  out.push(...terms);
  return out.length === 0 ? null : out.join(' || ');
}
