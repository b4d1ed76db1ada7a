import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { Dashboard } from '../../src/ui/dashboard.js';
import { INK_VERSION, loadInkOutput, makeOutputGet, type OutputClass } from '../../src/ui/terminal/ink-output.js';
import { FakeStore } from './helpers/fake-store.js';
import { renderSized } from './helpers/render-sized.js';
import { busySnapshot, T0 } from './helpers/snapshots.js';
import { testEnv } from './helpers/env.js';

// Colour on (chalk reads it when first imported), so the dashboard frames carry styles to diff.
vi.hoisted(() => {
  process.env['FORCE_COLOR'] = '3';
});

type Op = ['write', number, number, string, ((s: string, i: number) => string)[]] | ['clip', object] | ['unclip'];
interface OutputLike {
  write(x: number, y: number, text: string, opts: { transformers: ((s: string, i: number) => string)[] }): void;
  clip(c: object): void;
  unclip(): void;
}

let Output: OutputClass;
let inkGet: OutputClass['prototype']['get'];
let fastGet: OutputClass['prototype']['get'];

beforeAll(async () => {
  const ink = await loadInkOutput();
  if (ink === null) throw new Error(`Ink is not ${INK_VERSION}: check makeOutputGet against its Output.get and update INK_VERSION`);
  Output = ink.Output;
  inkGet = ink.Output.prototype.get;
  fastGet = makeOutputGet(ink.deps) as typeof inkGet;
});

afterEach(() => {
  Output.prototype.get = inkGet;
});

function both(width: number, height: number, ops: readonly Op[]): [string, string] {
  const o = new Output({ width, height }) as OutputLike;
  for (const op of ops) {
    if (op[0] === 'write') o.write(op[1], op[2], op[3], { transformers: op[4] });
    else if (op[0] === 'clip') o.clip(op[1]);
    else o.unclip();
  }
  return [inkGet.call(o).output, fastGet.call(o).output];
}

const SGR = ['\x1b[1m', '\x1b[2m', '\x1b[7m', '\x1b[4m', '\x1b[31m', '\x1b[36m', '\x1b[42m', '\x1b[38;5;208m', '\x1b[22m', '\x1b[39m', '\x1b[0m'];
const CHARS = ['a', 'b', ' ', ' ', '1', '.', '│', '─', '漢', '字', '😀', 'é'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

describe("Ink's Output.get replacement", () => {
  test('returns the same text as Ink for styled, wide, clipped and transformed writes', () => {
    const rnd = lcg(11);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    for (let round = 0; round < 300; round++) {
      const width = 5 + Math.floor(rnd() * 60);
      const height = 1 + Math.floor(rnd() * 12);
      const ops: Op[] = [];
      for (let k = 0; k < 12; k++) {
        const r = rnd();
        if (r < 0.1) ops.push(['clip', { x1: Math.floor(rnd() * width), x2: Math.floor(rnd() * width) + 2, y1: Math.floor(rnd() * height), y2: Math.floor(rnd() * height) + 1 }]);
        else if (r < 0.14) ops.push(['clip', { x1: 2, x2: width - 2 }]);
        else if (r < 0.2) ops.push(['unclip']);
        else {
          let text = '';
          const n = Math.floor(rnd() * 30);
          for (let i = 0; i < n; i++) text += rnd() < 0.15 ? pick(SGR) : rnd() < 0.05 ? '\n' : pick(CHARS);
          const tf: ((s: string, i: number) => string)[] = rnd() < 0.2 ? [(s, i) => (i % 2 ? `\x1b[1m${s}\x1b[22m` : s)] : [];
          ops.push(['write', Math.floor(rnd() * (width + 3)) - 1, Math.floor(rnd() * (height + 2)) - 1, text, tf]);
        }
      }
      const [ink, fast] = both(width, height, ops);
      expect(fast, JSON.stringify(ops)).toBe(ink);
    }
  });

  test('returns the same text as Ink on dashboard frames (every get() of a render compared)', async () => {
    let frames = 0;
    let styled = 0;
    const mismatches: string[] = [];
    Output.prototype.get = function (this: unknown) {
      const a = inkGet.call(this);
      const b = fastGet.call(this);
      frames++;
      if (a.output.includes('\x1b[')) styled++;
      if (a.output !== b.output || a.height !== b.height) mismatches.push(a.output);
      return a;
    };
    const store = new FakeStore(busySnapshot({}, 60));
    for (const isColor of [true, false]) {
      const app = renderSized(<Dashboard store={store} env={testEnv({ isColor })} onQuit={() => {}} />, 160, 48);
      await app.waitFor((f) => f.includes('Top talkers'));
      for (let i = 1; i <= 5; i++) {
        store.publish(busySnapshot({ time: T0 + 60 + i, pps: 1000 * i }, 60 + i));
        await app.waitFor((f) => f.length > 0);
        for (const key of ['c', 'p', '\t', 'h']) await app.press(key, { expectChange: false });
      }
      app.unmount();
    }
    expect(frames).toBeGreaterThan(10);
    expect(styled).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  });
});
