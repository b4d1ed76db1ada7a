import { execFileSync } from 'node:child_process';

/** A tmux server of our own (-L), so tests never touch anyone else's sessions. */
export class Tmux {
  constructor(readonly socket: string) {}

  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** A session running a plain shell with a known prompt. */
  start(name: string, columns: number, rows: number, cwd: string, env: Record<string, string> = {}): void {
    // CI=1 on purpose: the dashboard must draw on a terminal even when the environment says CI.
    // HISTFILE='': bash would write its history into HOME when kill-server hangs it up, racing the cleanup.
    const vars = Object.entries({ PS1: 'PROMPT$ ', CI: '1', TERM: 'xterm-256color', HISTFILE: '', ...env }).map(([k, v]) => `${k}='${v}'`).join(' ');
    this.run('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), '-c', cwd, `env -u VITEST -u NODE_ENV ${vars} bash --norc --noprofile`);
  }

  type(name: string, text: string): void {
    this.run('send-keys', '-t', name, '-l', text);
  }

  keys(name: string, ...keys: string[]): void {
    this.run('send-keys', '-t', name, ...keys);
  }

  screen(name: string): string {
    return this.run('capture-pane', '-p', '-t', name);
  }

  isAltScreen(name: string): boolean {
    return this.run('display-message', '-p', '-t', name, '#{alternate_on}').trim() === '1';
  }

  shellPid(name: string): number {
    return Number(this.run('display-message', '-p', '-t', name, '#{pane_pid}').trim());
  }

  /** Polls the screen until `test` holds; throws with the last screen after `timeoutMs`. */
  async waitFor(name: string, test: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = this.screen(name);
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
  }

  kill(): void {
    try {
      this.run('kill-server');
    } catch {
      // already gone
    }
  }
}

/**
 * The shell is waiting for a command: the last non-blank line is a bare prompt. The line that ran
 * wiretop also starts with the prompt and reappears as soon as the alternate screen is left, which
 * is before the process has exited; keys typed then would go to wiretop, not the shell.
 */
export function isAtPrompt(screen: string): boolean {
  const lines = screen.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
  return lines[lines.length - 1] === 'PROMPT$';
}

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
