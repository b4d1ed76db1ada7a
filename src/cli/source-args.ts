/**
 * `-r` or `-i` given without a value reaches a command as '' (yargs reads the
 * flag as an empty string): the message to give instead of "cannot open :",
 * or null. Shared by the dashboard, report and follow.
 */
export function emptySourceFlag(read: unknown, iface: unknown): string | null {
  if (read === '') return '-r needs a file name (or - for stdin)';
  if (iface === '') return '-i needs an interface name (`wiretop interfaces` lists them)';
  return null;
}
