import yargs, { type Options, type PositionalOptions } from 'yargs';
import { dashed, rephrase } from './usage-message.js';

/** A command's arguments as yargs sees them: the same tables main.ts routes with. */
export interface CommandArgSpec {
  /** The command word; dropped when it leads argv, so `['report', '-r', f]` and `['-r', f]` both parse. */
  readonly command: string;
  readonly options: Readonly<Record<string, Options>>;
  /** Optional positionals in order (`baseline [action] [file]`). */
  readonly positionals?: Readonly<Record<string, PositionalOptions>>;
}

/**
 * Parse a command's arguments (a string array, as tests and the benchmarks
 * pass them) with yargs and the command's own option table, strictly: unknown
 * options, extra positionals and bad numbers throw `toError(oneLineMessage)`.
 * Returns yargs' argv record, the same shape main.ts hands the run functions.
 */
export function parseCommandArgs(argv: readonly string[], spec: CommandArgSpec, toError: (message: string) => Error = (m) => new Error(m)): Record<string, unknown> {
  const args = argv[0] === spec.command ? argv.slice(1) : [...argv];
  const names = Object.keys(spec.positionals ?? {});
  let parsed: Record<string, unknown>;
  try {
    parsed = yargs(args)
      .locale('en')
      .command(
        ['$0', ...names.map((n) => `[${n}]`)].join(' '),
        false,
        (y) => {
          for (const n of names) y.positional(n, spec.positionals![n]!);
          return y.options(spec.options);
        },
      )
      .strict()
      .help(false)
      .version(false)
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new Error(rephrase(msg, args));
      })
      .parseSync() as Record<string, unknown>;
  } catch (e) {
    throw toError(e instanceof Error ? e.message : String(e));
  }
  // Anything after `--` is left in `_`; no command takes free arguments.
  const rest = parsed['_'];
  if (Array.isArray(rest) && rest.length > 0) throw toError(`unexpected argument: ${String(rest[0])}`);
  for (const [key, o] of Object.entries(spec.options)) {
    if (o.type === 'number' && Number.isNaN(parsed[key])) throw toError(`${dashed(key)}: not a valid number`);
  }
  return parsed;
}
