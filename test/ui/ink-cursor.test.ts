/**
 * Ink hides the cursor through cli-cursor; unpatched, that registers restore-cursor's exit hook,
 * which writes ESC[?25h to process.stderr when the process exits: into a file under `2>file`.
 * Run in a child process (the hook fires at exit), on the build as `bin/wiretop.js` runs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function hideThenExit(install: boolean): { stdout: string; stderr: string } {
  const script = `
    import { createRequire } from 'node:module';
    import { dirname, join } from 'node:path';
    import { pathToFileURL } from 'node:url';
    import { installInkCursor } from './dist/ui/terminal/ink-cursor.js';
    if (${install}) await installInkCursor();
    // cli-cursor as Ink imports it (Ink's own copy).
    const inkDir = dirname(dirname(createRequire(join(process.cwd(), 'x.js')).resolve('ink')));
    const from = createRequire(join(inkDir, 'package.json'));
    const cursor = (await import(pathToFileURL(from.resolve('cli-cursor')).href)).default;
    cursor.hide({ isTTY: true, write: (s) => process.stdout.write(s) });
  `;
  const r = spawnSync('node', ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return { stdout: r.stdout, stderr: r.stderr };
}

describe('the cursor Ink hides', () => {
  test('is hidden on the stream Ink draws on, and nothing is written to stderr at exit', () => {
    if (!existsSync(join(ROOT, 'dist/ui/terminal/ink-cursor.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
    expect(hideThenExit(false).stderr).toBe('\x1b[?25h'); // what the fix is about
    const fixed = hideThenExit(true);
    expect(fixed.stdout).toBe('\x1b[?25l');
    expect(fixed.stderr).toBe('');
  });
});
