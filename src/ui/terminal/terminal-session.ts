/**
 * The alternate screen and cursor. `restore` is idempotent and synchronous so that it can run
 * from signal handlers and `exit` hooks as well as on a normal quit.
 */
export const ENTER_ALT_SCREEN = '\x1b[?1049h';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';

export interface TerminalOut {
  write(text: string): unknown;
}

export interface TerminalIn {
  isTTY?: boolean;
  setRawMode?: (on: boolean) => unknown;
}

export interface TerminalSession {
  enter(): void;
  restore(): void;
  readonly isActive: boolean;
}

export function createTerminalSession(out: TerminalOut, input?: TerminalIn): TerminalSession {
  let isActive = false;
  return {
    enter() {
      if (isActive) return;
      isActive = true;
      out.write(ENTER_ALT_SCREEN + HIDE_CURSOR + '\x1b[H\x1b[2J');
    },
    restore() {
      if (!isActive) return;
      isActive = false;
      try {
        if (input?.isTTY && input.setRawMode) input.setRawMode(false);
      } catch {
        // stdin may already be closed (SIGHUP); the screen still has to be restored
      }
      out.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    },
    get isActive() {
      return isActive;
    },
  };
}
