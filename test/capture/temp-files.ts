import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary folder removed after the test file; `file(name, bytes)` writes into it and returns the path. */
export function tempFiles(prefix: string): { dir: string; file(name: string, bytes: Buffer): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name: string, bytes: Buffer): string {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    },
  };
}
