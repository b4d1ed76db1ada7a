import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { importFrom } from './ink-output.js';
import { HIDE_CURSOR } from './terminal-session.js';

interface CliCursor {
  hide: (stream?: NodeJS.WritableStream & { isTTY?: boolean }) => void;
}

/**
 * Ink hides the cursor through cli-cursor, whose `hide` also registers restore-cursor's exit hook,
 * and that hook writes ESC[?25h to process.stderr: into the file under `2>err`. The terminal
 * session shows the cursor again on the terminal it took over (on quit, on signals and on exit),
 * so Ink's copy of cli-cursor is given a `hide` that only hides, on the stream Ink draws on.
 * False (nothing changed) when that copy cannot be found.
 */
export async function installInkCursor(): Promise<boolean> {
  try {
    const inkDir = dirname(dirname(createRequire(import.meta.url).resolve('ink')));
    const cursor = (await importFrom(inkDir, 'cli-cursor'))['default'] as CliCursor | undefined;
    if (typeof cursor?.hide !== 'function') return false;
    cursor.hide = (stream) => {
      if (stream?.isTTY) stream.write(HIDE_CURSOR);
    };
    return true;
  } catch {
    return false;
  }
}
