import type { SourceTimers } from '../../src/capture/source.js';

/** Virtual time that jumps forward whenever the source sleeps; records every sleep. */
export class FakeTimers implements SourceTimers {
  t = 0;
  readonly sleeps: number[] = [];
  private readonly cancelled = new Set<object>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const h = {};
    this.sleeps.push(ms);
    queueMicrotask(() => {
      if (this.cancelled.has(h)) return;
      this.t += ms;
      fn();
    });
    return h;
  }

  clearTimeout(h: unknown): void {
    this.cancelled.add(h as object);
  }

  setImmediate(fn: () => void): void {
    setImmediate(fn);
  }
}
