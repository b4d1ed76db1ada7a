import { networkInterfaces } from 'node:os';
import { oneLine } from '../capture/capture-error.js';
import { loadCap, type CapModule } from '../capture/cap-module.js';
import { defaultInterface, listInterfaces, type InterfaceInfo } from '../capture/interfaces.js';
import { escapeForTerminal } from '../util/escape.js';

export interface InterfacesCliOptions {
  json?: boolean;
}

interface TextOut {
  write(s: string): unknown;
}

/** What the command reads from the system; tests pass fakes. `cap: null` means "cap did not load". */
export interface InterfacesDeps {
  cap?: CapModule | null;
  os?: ReturnType<typeof networkInterfaces>;
  err?: TextOut;
}

export interface InterfaceJson {
  name: string;
  description: string;
  addresses: { addr: string; netmask: string; prefix: number | null }[];
  flags: string[];
  isDefault: boolean;
}

/** The options as yargs wants them, for the lead's `interfaces` command in main.ts. */
export const INTERFACES_YARGS_OPTIONS = {
  json: { type: 'boolean', default: false, describe: 'print the interfaces as a JSON array' },
} as const;

export const NO_CAP_NOTE = 'live capture needs libpcap-dev (apt-get install libpcap-dev, then npm rebuild cap)';

/**
 * `wiretop interfaces`: the capture interfaces in libpcap's order, like
 * `tcpdump -D`, plus addresses (with prefix length) and up/loopback flags;
 * the one wiretop captures on without `-i` is marked. Exit code 0, or 1
 * when there is no interface at all.
 */
export function runInterfaces(opts: InterfacesCliOptions, out: TextOut = process.stdout, deps: InterfacesDeps = {}): number {
  const err = deps.err ?? process.stderr;
  let cap = deps.cap;
  let capProblem = '';
  if (cap === undefined) {
    try {
      cap = loadCap();
    } catch (e) {
      cap = null;
      capProblem = oneLine(e);
    }
  }
  if (cap === null) {
    err.write(`wiretop: ${NO_CAP_NOTE}; listing interfaces from the OS${capProblem ? ` (${firstClause(capProblem)})` : ''}\n`);
  }
  const list = listInterfaces(cap, deps.os ?? networkInterfaces());
  if (list.length === 0) {
    err.write('wiretop: no capture interfaces found\n');
    return 1;
  }
  const def = defaultInterface(list);
  if (opts.json) {
    out.write(JSON.stringify(list.map((i) => toJson(i, i.name === def)), null, 2) + '\n');
    return 0;
  }
  out.write(formatInterfaces(list, def));
  return 0;
}

/** Text listing: `* 1.eth0 [up] 192.0.2.2/24 fd00::2/64`, `*` marking the default. */
export function formatInterfaces(list: readonly InterfaceInfo[], def: string | null): string {
  const lines = list.map((i, n) => {
    const parts = [`${i.name === def ? '*' : ' '} ${n + 1}.${escapeForTerminal(i.name)}`];
    if (i.description) parts.push(`(${escapeForTerminal(i.description)})`);
    if (i.flags.length > 0) parts.push(`[${i.flags.join(', ')}]`);
    const addrs = i.addresses.map((a) => withPrefix(a.addr, a.netmask));
    if (addrs.length > 0) parts.push(escapeForTerminal(addrs.join(' ')));
    return parts.join(' ');
  });
  if (def !== null) lines.push(`(* = default capture interface: ${escapeForTerminal(def)})`);
  return lines.join('\n') + '\n';
}

function toJson(i: InterfaceInfo, isDefault: boolean): InterfaceJson {
  return {
    name: i.name,
    description: i.description,
    addresses: i.addresses.map((a) => ({ addr: a.addr, netmask: a.netmask, prefix: prefixLength(a.netmask) })),
    flags: i.flags,
    isDefault,
  };
}

function withPrefix(addr: string, netmask: string): string {
  const p = prefixLength(netmask);
  return p === null ? addr : `${addr}/${p}`;
}

/** Prefix length of a contiguous IPv4 or IPv6 netmask, or null (empty or not contiguous). */
export function prefixLength(mask: string): number | null {
  let bits: number[];
  if (mask.includes(':')) {
    const [head = '', tail] = mask.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    if (tail === undefined && h.length !== 8) return null;
    const words = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
    bits = words.map((w) => parseInt(w, 16));
    if (bits.some((w) => !(w >= 0 && w <= 0xffff))) return null;
    return countPrefix(bits, 16);
  }
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(mask);
  if (!m) return null;
  bits = m.slice(1).map(Number);
  if (bits.some((b) => b > 255)) return null;
  return countPrefix(bits, 8);
}

function countPrefix(parts: number[], width: number): number | null {
  let n = 0;
  let ended = false;
  for (const p of parts) {
    for (let b = width - 1; b >= 0; b--) {
      const one = (p >> b) & 1;
      if (one && ended) return null;
      if (one) n++;
      else ended = true;
    }
  }
  return n;
}

/** cap's load error is long (it names the .node path); the first clause is what helps. */
function firstClause(s: string): string {
  const i = s.indexOf(';');
  return i > 0 ? s.slice(0, i) : s;
}
