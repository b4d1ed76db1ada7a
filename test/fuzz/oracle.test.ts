import { describe, expect, it } from 'vitest';
import { unsafeChar } from './terminal-safe.js';

describe('the fuzz oracle itself', () => {
  it('flags what a terminal would act on and passes plain text', () => {
    for (const bad of ['\x1b[2J', 'a\x07', '\x9b', '\u0085', 'x\u202ey', '\u2066', '\ud800', 'a\udc00', '\r', '\x00', '\x7f', '\ufeff']) {
      expect(unsafeChar(bad), JSON.stringify(bad)).not.toBeNull();
    }
    expect(unsafeChar('a\tb')).not.toBeNull();
    expect(unsafeChar('a\tb', true)).toBeNull();
    expect(unsafeChar('line\nnext caf\u00e9 \u{1f600} \\x1b[2J')).toBeNull();
  });
});
