import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { HISTORY_LIMIT } from './state/ui-state.js';

/** `$XDG_CONFIG_HOME/wiretop/history`, falling back to `~/.config/wiretop/history`. */
export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'] !== '' ? env['XDG_CONFIG_HOME'] : join(homedir(), '.config');
  return join(base, 'wiretop', 'history');
}

/** One filter per line, newest last; a missing or unreadable file is an empty history. */
export function loadHistory(path: string, limit = HISTORY_LIMIT): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-limit);
  } catch {
    return [];
  }
}

/** Writes atomically (temp file and rename); failures are ignored: history is a convenience. */
export function saveHistory(path: string, entries: readonly string[], limit = HISTORY_LIMIT): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    const lines = entries.filter((e) => e !== '' && !e.includes('\n')).slice(-limit);
    writeFileSync(tmp, lines.length === 0 ? '' : lines.join('\n') + '\n', { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // read-only home, full disk: keep running without history
  }
}
