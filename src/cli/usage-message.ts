// No yargs import: main.ts words its routing parser's errors with this before yargs is needed.

/** A flag as typed: `-r`, `--max-flows`. */
export function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/**
 * yargs' messages reworded into one line that names the flag as typed. The
 * locale is pinned to English (here and in main.ts), so these shapes are stable.
 */
export function rephrase(msg: string, argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    const names = unknown[1]!.split(', ');
    // yargs lists an unknown --some-flag twice: as typed and camel-cased.
    const kebab = new Set(names.filter((n) => n.includes('-')).map((n) => n.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())));
    return names
      .filter((n) => !kebab.has(n))
      .map((n) => (argv.includes(n) ? `unexpected argument: ${n}` : `unknown option: ${dashed(n)}`))
      .join('; ');
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(msg);
  if (missing) return `missing ${missing[1]!.split(', ').map(dashed).join(', ')}`;
  if (msg.startsWith('Invalid values:')) {
    const bad = [...msg.matchAll(/Argument: (.+?), Given: (.+), Choices: (.+)/g)];
    if (bad.length > 0) return bad.map((m) => `${dashed(m[1]!)} must be one of ${m[3]}, got ${m[2]}`).join('; ');
  }
  return msg
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}
