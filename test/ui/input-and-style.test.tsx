import type { Key } from 'ink';
import { renderToString } from 'ink';
import { describe, expect, test } from 'vitest';
import { COMMANDS, resolveCommand } from '../../src/ui/commands.js';
import { keyName, keyPresses } from '../../src/ui/input/key-name.js';
import { computeLayout } from '../../src/ui/layout/layout.js';
import { FOOTER_OPEN } from '../../src/ui/panels/footer.js';
import { styleOf } from '../../src/ui/panels/lines.js';
import type { Tone } from '../../src/ui/panels/lines.js';
import { Screen } from '../../src/ui/screen.js';
import { openLine } from '../../src/ui/state/filter-line-state.js';
import { initialUiState } from '../../src/ui/state/ui-state.js';
import { busySnapshot } from './helpers/snapshots.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

describe('keys', () => {
  test('names', () => {
    expect(keyName('', { ...NO_KEY, tab: true, shift: true })).toBe('shift+tab');
    expect(keyName('u', { ...NO_KEY, ctrl: true })).toBe('ctrl+u');
    expect(keyName(' ', NO_KEY)).toBe('space');
    expect(keyName('', { ...NO_KEY, delete: true })).toBe('delete');
    expect(keyName('G', { ...NO_KEY, shift: true })).toBe('G');
  });

  test('runs of characters read together become separate keys', () => {
    expect(keyPresses('jjk', NO_KEY).map((k) => k.key)).toEqual(['j', 'j', 'k']);
    expect(keyPresses('\x7f\x7f', NO_KEY).map((k) => k.key)).toEqual(['delete', 'delete']);
    expect(keyPresses('a b\r', NO_KEY).map((k) => k.key)).toEqual(['a', 'space', 'b', 'enter']);
    expect(keyPresses('q', NO_KEY)).toEqual([{ key: 'q', input: 'q' }]);
    expect(keyPresses('\x1b', { ...NO_KEY, escape: true, meta: true }).map((k) => k.key)).toEqual(['escape', 'escape']);
    expect(keyPresses('d', { ...NO_KEY, meta: true })).toEqual([{ key: 'escape', input: '' }, { key: 'd', input: 'd' }]);
  });

  test('every command has keys and help, and no key is bound twice in one scope', () => {
    for (const c of COMMANDS) {
      expect(c.keys.length).toBeGreaterThan(0);
      expect(c.help.length).toBeGreaterThan(3);
    }
    const seen = new Set<string>();
    for (const c of COMMANDS) {
      for (const k of c.keys) {
        const id = `${c.scope === 'global' ? 'list' : c.scope}:${k}`;
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
    expect(resolveCommand('help', 'q')).toBe('quit');
    expect(resolveCommand('filter-line', 'q')).toBeNull();
    expect(resolveCommand('filter-line', 'ctrl+c')).toBe('quit');
  });
});

describe('monochrome', () => {
  const tones: Tone[] = ['plain', 'title', 'title-focused', 'header', 'selected', 'cursor-row', 'dim', 'ok', 'error', 'warn', 'caret'];
  test('without colour no tone sets a colour; selection and warnings stay visible by inverse', () => {
    for (const t of tones) {
      const st = styleOf(t, false);
      expect(st.color, t).toBeUndefined();
      expect(st.dimColor, t).toBeUndefined();
    }
    expect(styleOf('selected', false).inverse).toBe(true);
    expect(styleOf('warn', false).inverse).toBe(true);
    expect(styleOf('error', true).color).toBe('red');
  });
});

describe('80x24 with the filter line open', () => {
  test('everything still fits', () => {
    const layout = computeLayout(80, 24, FOOTER_OPEN);
    const state = { ...initialUiState(), filterLine: openLine('tcp ??') };
    const out = renderToString(
      <Screen snapshot={busySnapshot()} state={state} layout={layout} check={{ ok: false, column: 5, message: 'bad' }} nameOf={() => undefined} isColor={false} />,
      { columns: 80 },
    );
    const lines = out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(out).toContain('Top talkers');
    expect(out).toContain('Protocols');
    expect(out).toContain('filter> tcp ??');
    expect(out).toContain('column 5: bad');
  });

  test('conversation detail takes the body', () => {
    const layout = computeLayout(80, 24, 1);
    const state = { ...initialUiState(), nav: [{ kind: 'conversation' as const, id: 'c1' }] };
    const out = renderToString(<Screen snapshot={busySnapshot()} state={state} layout={layout} check={null} nameOf={() => undefined} isColor={false} />, { columns: 80 });
    expect(out).toContain('Conversation detail');
    expect(out).toContain('TCP state established');
    expect(out.split('\n').length).toBeLessThanOrEqual(23);
  });
});
