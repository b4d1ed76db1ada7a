import type { FollowIo } from '../../src/cli/follow.js';

/** A FollowIo that keeps what follow writes, for tests. */
export class MemIo implements FollowIo {
  parts: Buffer[] = [];
  errors: string[] = [];
  write(b: Uint8Array | string): boolean {
    this.parts.push(typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b));
    return true;
  }
  drain(): Promise<void> {
    return Promise.resolve();
  }
  error(line: string): void {
    this.errors.push(line);
  }
  get out(): Buffer {
    return Buffer.concat(this.parts);
  }
}
