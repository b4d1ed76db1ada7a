import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

/** Like ink-testing-library's stdout, but with a size the test chooses and can change. */
class SizedStdout extends EventEmitter {
  isTTY = false;
  frames: string[] = [];
  constructor(public columns: number, public rows: number) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string => this.frames[this.frames.length - 1] ?? '';
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface Rendered {
  lastFrame(): string;
  stdin: FakeStdin;
  resize(columns: number, rows: number): void;
  unmount(): void;
  /** Writes a key and waits for the frame to change (never a fixed sleep). */
  press(key: string, opts?: { expectChange?: boolean }): Promise<string>;
  /** Waits until the frame satisfies `test`. */
  waitFor(test: (frame: string) => boolean, what?: string): Promise<string>;
}

const TICK = (): Promise<void> => new Promise((r) => setImmediate(r));

export function renderSized(tree: ReactElement, columns: number, rows: number): Rendered {
  const stdout = new SizedStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new SizedStdout(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const waitFor = async (test: (f: string) => boolean, what = 'frame'): Promise<string> => {
    // Bounded by iterations of the event loop, not by wall-clock sleeps.
    for (let i = 0; i < 2000; i++) {
      const f = stdout.lastFrame();
      if (test(f)) return f;
      await TICK();
    }
    throw new Error(`timed out waiting for ${what}; last frame:\n${stdout.lastFrame()}`);
  };
  return {
    lastFrame: stdout.lastFrame,
    stdin,
    resize(c, r) {
      stdout.columns = c;
      stdout.rows = r;
      stdout.emit('resize');
    },
    unmount: () => instance.unmount(),
    async press(key, opts = {}) {
      const before = stdout.lastFrame();
      stdin.write(key);
      if (opts.expectChange === false) {
        await TICK();
        await TICK();
        return stdout.lastFrame();
      }
      const f = await waitFor((x) => x !== before, `change after ${JSON.stringify(key)}`);
      await TICK(); // let handlers re-subscribe, as cli-kit's helper does
      return f;
    },
    waitFor,
  };
}
