import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFollowArgs } from '../../src/cli/follow.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('-r without a value', () => {
  it('wiretop follow says what -r needs, exit code 2', () => {
    const r = spawnSync('node', ['bin/wiretop.js', 'follow', '-r', '--stream', '0'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('wiretop: -r needs a file name (or - for stdin)');
  });

  it('runFollow argument parsing rejects an empty -r the same way', () => {
    expect(() => parseFollowArgs(['-r', '', '--stream', '0'])).toThrow('-r needs a file name (or - for stdin)');
  });
});
