import { describe, expect, test } from 'vitest';
import { createUiReducer, inputMode } from '../../src/ui/state/ui-reducer.js';
import type { UiAction } from '../../src/ui/state/ui-reducer.js';
import { initialUiState } from '../../src/ui/state/ui-state.js';
import type { UiState } from '../../src/ui/state/ui-state.js';
import { combineFilter } from '../../src/ui/state/filter-exprs.js';
import { pushHistory } from '../../src/ui/state/filter-line-state.js';
import { busySnapshot } from './helpers/snapshots.js';
import { fakeValidate, testEnv } from './helpers/env.js';

const env = testEnv();
const reduce = createUiReducer({ validate: fakeValidate, complete: env.completeFilter });
const snapshot = busySnapshot();
const context = { snapshot, pageSize: 5 };

function keys(state: UiState, ...names: string[]): UiState {
  return names.reduce((s, k) => {
    const input = k.length === 1 ? k : k === 'space' ? ' ' : '';
    const action: UiAction = { type: 'key-pressed', key: k, input, context };
    return reduce(s, action);
  }, state);
}

function type(state: UiState, text: string): UiState {
  return [...text].reduce((s, ch) => keys(s, ch === ' ' ? 'space' : ch), state);
}

describe('ui reducer', () => {
  test('an unbound key returns the same state object', () => {
    const s = initialUiState();
    expect(keys(s, 'Z')).toBe(s);
  });

  test('cursor moves follow the row key and clamp at the ends', () => {
    let s = keys(initialUiState(), 'down', 'j');
    expect(s.cursors['hosts']).toEqual({ key: '10.0.0.3', index: 2 });
    s = keys(s, 'pagedown');
    expect(s.cursors['hosts']?.index).toBe(7);
    s = keys(s, 'G');
    expect(s.cursors['hosts']).toEqual({ key: '10.0.0.30', index: 29 });
    expect(keys(s, 'down')).toBe(s);
    s = keys(s, 'g', 'up');
    expect(s.cursors['hosts']?.index).toBe(0);
  });

  test('view, sort, unit, pause and names toggles', () => {
    const s = keys(initialUiState(), 't', '3', 'b', 'space', 'n');
    expect([s.view, s.sort, s.unit, s.isPaused, s.isNamesOn]).toEqual(['conversations', 'r40', 'bytes', true, true]);
    expect(keys(s, 't', 't').view).toBe('hosts');
    expect(keys(s, 'c').sort).toBe('total');
  });

  test('drill into a host, then a conversation, and back', () => {
    let s = keys(initialUiState(), 'down', 'enter');
    expect(s.nav).toEqual([{ kind: 'host', addr: '10.0.0.2' }]);
    s = keys(s, 'enter');
    expect(s.nav[1]).toEqual({ kind: 'conversation', id: 'c2' });
    s = keys(s, 'escape');
    expect(s.nav).toHaveLength(1);
    s = keys(s, 'backspace');
    expect(s.nav).toEqual([]);
  });

  test('Tab moves focus to protocols; Enter there charts the protocol; p cycles', () => {
    let s = keys(initialUiState(), 'tab', 'down', 'down', 'enter');
    expect(s.focus).toBe('protocols');
    expect(s.chartPath).toBe('eth:ipv4:tcp');
    s = keys(s, 'shift+tab');
    expect(s.focus).toBe('talkers');
    const cycled = keys(initialUiState(), 'p', 'p');
    expect(cycled.chartPath).toBe('eth:ipv4');
  });

  test('help mode swallows list keys; Esc or ? closes it', () => {
    let s = keys(initialUiState(), '?');
    expect(inputMode(s)).toBe('help');
    s = keys(s, 'down', 't');
    expect(s.view).toBe('hosts');
    expect(keys(s, 'escape').isHelpOpen).toBe(false);
    expect(keys(s, '?').isHelpOpen).toBe(false);
  });

  test('help pages: up goes back from the page drawn after the terminal grew (fewer pages)', () => {
    const press = (st: UiState, key: string, helpPages: number): UiState =>
      reduce(st, { type: 'key-pressed', key, input: '', context: { ...context, helpPages } });
    let s = keys(initialUiState(), '?');
    for (let i = 0; i < 3; i++) s = press(s, 'down', 4);
    expect(s.helpPage).toBe(3);
    // Now two pages fit where four did: page 1 is drawn; one up shows page 0.
    expect(press(s, 'up', 2).helpPage).toBe(0);
    expect(press(s, 'up', 4).helpPage).toBe(2);
    expect(press(press(s, 'up', 1), 'up', 1).helpPage).toBe(0);
  });

  test('q and Ctrl-C quit, but q is text on the filter line', () => {
    expect(keys(initialUiState(), 'q').isQuitting).toBe(true);
    expect(keys(initialUiState(), '/', 'q').filterLine?.text).toBe('q');
    expect(keys(initialUiState(), '/', 'ctrl+c').isQuitting).toBe(true);
  });
});

describe('filter line', () => {
  test('typing, cursor movement and deletion', () => {
    let s = type(keys(initialUiState(), '/'), 'tcp port 80');
    expect(s.filterLine).toMatchObject({ text: 'tcp port 80', cursor: 11 });
    s = keys(s, 'left', 'left', 'backspace');
    expect(s.filterLine).toMatchObject({ text: 'tcp port80', cursor: 8 });
    s = keys(s, 'home', 'delete');
    expect(s.filterLine).toMatchObject({ text: 'tcp port80', cursor: 0 });
    s = keys(s, 'end', 'ctrl+w');
    expect(s.filterLine).toMatchObject({ text: 'tcp ', cursor: 4 });
    s = keys(s, 'ctrl+u');
    expect(s.filterLine).toMatchObject({ text: '', cursor: 0 });
  });

  test('Enter applies a valid filter and records it in history; Esc cancels', () => {
    let s = keys(type(keys(initialUiState(), '/'), 'tcp'), 'enter');
    expect(s.displayFilter).toBe('tcp');
    expect(s.filterLine).toBeNull();
    expect(s.history).toEqual(['tcp']);
    s = keys(type(keys(s, '/'), ' && udp'), 'escape');
    expect(s.displayFilter).toBe('tcp');
  });

  test('Enter on an invalid filter keeps the line open and applies nothing', () => {
    const s = keys(type(keys(initialUiState(), '/'), '(tcp'), 'enter');
    expect(s.filterLine?.text).toBe('(tcp');
    expect(s.displayFilter).toBeNull();
  });

  test('history up/down restores the draft', () => {
    let s = initialUiState({ history: ['a', 'b'] });
    s = type(keys(s, '/'), 'x');
    s = keys(s, 'up');
    expect(s.filterLine?.text).toBe('b');
    s = keys(s, 'up', 'up');
    expect(s.filterLine?.text).toBe('a');
    s = keys(s, 'down', 'down');
    expect(s.filterLine?.text).toBe('x');
  });

  test('the first up after applying a filter shows the one before it (the line opens with the one in force)', () => {
    let s = keys(type(keys(initialUiState(), '/'), 'tcp'), 'enter');
    s = keys(type(keys(s, '/', 'ctrl+u'), 'udp'), 'enter');
    expect([s.displayFilter, s.history]).toEqual(['udp', ['tcp', 'udp']]);
    s = keys(s, '/');
    expect(s.filterLine?.text).toBe('udp');
    s = keys(s, 'up');
    expect(s.filterLine?.text).toBe('tcp');
    s = keys(s, 'down');
    expect(s.filterLine?.text).toBe('udp');
  });

  test('Tab completes through the injected completer', () => {
    const s = keys(type(keys(initialUiState(), '/'), 'tcp.p'), 'tab');
    expect(s.filterLine).toMatchObject({ text: 'tcp.port', cursor: 8 });
  });

  test('f narrows to the selection, F excludes, x clears', () => {
    let s = keys(initialUiState(), 'down', 'f');
    expect(s.displayFilter).toBe('ip.addr == 10.0.0.2');
    s = keys(s, 'F');
    expect(s.displayFilter).toBe('ip.addr == 10.0.0.2 && !(ip.addr == 10.0.0.2)');
    expect(keys(s, 'x').displayFilter).toBeNull();
    const conv = keys(initialUiState(), 't', 'f');
    expect(conv.displayFilter).toBe('ip.addr == 10.0.0.1 && ip.addr == 192.168.1.1 && tcp.port == 40001 && tcp.port == 443');
    const port = keys(initialUiState(), 't', 't', 'F');
    expect(port.displayFilter).toBe('!(tcp.port == 443)');
  });

  test('combineFilter groups alternatives', () => {
    expect(combineFilter('a || b', 'c', false)).toBe('(a || b) && c');
    expect(combineFilter(null, 'a && b', true)).toBe('!(a && b)');
    expect(combineFilter('  ', 'c', false)).toBe('c');
  });

  test('history is deduplicated and bounded', () => {
    expect(pushHistory(['a', 'b', 'c'], 'a', 3)).toEqual(['b', 'c', 'a']);
    expect(pushHistory(['a', 'b', 'c'], 'd', 3)).toEqual(['b', 'c', 'd']);
    const h = ['x'];
    expect(pushHistory(h, 'x', 3)).toBe(h);
  });
});
