/**
 * A strict argument parser for the common, plain forms of a command line,
 * driven by the same option table yargs gets. It exists for start-up: loading
 * yargs costs ~60 ms, a third of a `wiretop report` on a small file.
 *
 * It gives up (null) on anything it does not understand exactly, so the
 * caller falls back to yargs and every message and edge case stays yargs':
 * unknown or repeated options, positionals, `--`, grouped short flags,
 * `--flag=value` on booleans, a boolean followed by `true`/`false` (yargs
 * reads that as the value), values that start with `-` (other than `-`
 * itself), empty values, and numbers not written as plain decimals.
 */

/** The parts of a yargs option this parser understands. */
interface FastOption {
  readonly alias?: string;
  readonly type?: string;
  readonly default?: unknown;
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Parse `args` (after the command word) against `table`. Returns yargs' argv
 * shape for the options (every name, alias and camel-cased form set, defaults
 * filled in, `_` empty), or null when yargs should parse instead.
 */
export function parseFastArgs(args: readonly string[], table: Readonly<Record<string, FastOption>>): Record<string, unknown> | null {
  const byName = new Map<string, string>();
  for (const [key, o] of Object.entries(table)) {
    byName.set(key, key);
    if (o.alias !== undefined) byName.set(o.alias, key);
  }
  const seen = new Map<string, unknown>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const long = a.startsWith('--');
    if (!long && !(a.length === 2 && a[0] === '-')) return null;
    let name = long ? a.slice(2) : a.slice(1);
    let value: string | undefined;
    const eq = long ? name.indexOf('=') : -1;
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    let negated = false;
    if (long && !byName.has(name) && name.startsWith('no-')) {
      name = name.slice(3);
      negated = true;
    }
    // one-letter names only as -x, longer ones only as --name
    if (long !== name.length > 1) return null;
    const key = byName.get(name);
    if (key === undefined || seen.has(key)) return null;
    const type = table[key]!.type;
    if (type === 'boolean') {
      if (value !== undefined) return null;
      const next = args[i + 1];
      if (next === 'true' || next === 'false') return null;
      seen.set(key, !negated);
      continue;
    }
    if (negated || (type !== 'string' && type !== 'number')) return null;
    if (value === undefined) {
      value = args[++i];
      if (value === undefined || (value.startsWith('-') && value !== '-')) return null;
    }
    if (value === '') return null;
    if (type === 'number') {
      if (!DECIMAL.test(value)) return null;
      seen.set(key, Number(value));
    } else {
      seen.set(key, value);
    }
  }
  const out: Record<string, unknown> = { _: [] };
  for (const [key, o] of Object.entries(table)) {
    const v = seen.has(key) ? seen.get(key) : o.default;
    if (v === undefined) continue;
    for (const n of o.alias === undefined ? [key] : [key, o.alias]) {
      out[n] = v;
      out[camel(n)] = v;
    }
  }
  return out;
}
