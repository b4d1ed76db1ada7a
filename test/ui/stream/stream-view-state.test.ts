import { describe, expect, test } from 'vitest';
import { COMMANDS } from '../../../src/ui/commands.js';
import { STREAM_COMMANDS, resolveStreamKey } from '../../../src/ui/stream/stream-commands.js';
import { createStreamModel } from '../../../src/ui/stream/stream-model.js';
import { initialStreamViewState, shownTop, streamViewReducer } from '../../../src/ui/stream/stream-view-state.js';
import type { StreamKeyContext, StreamViewState } from '../../../src/ui/stream/stream-view-state.js';
import { data, httpChunks, source } from './stream-fixtures.js';

function ctx(chunks = httpChunks(), pageSize = 5): StreamKeyContext {
  return { model: createStreamModel(source(chunks), 80), pageSize };
}

function keys(state: StreamViewState, context: StreamKeyContext, ...list: string[]): StreamViewState {
  return list.reduce((s, k) => streamViewReducer(s, { type: 'key-pressed', key: k, input: k.length === 1 ? k : '', context }), state);
}

describe('stream view reducer', () => {
  test('a key that changes nothing returns the same state object', () => {
    const s = initialStreamViewState();
    const c = ctx();
    expect(keys(s, c, 'k')).toBe(s);
    expect(keys(s, c, 'z')).toBe(s);
    const searching = keys(s, c, '/');
    expect(keys(searching, c, 'left')).toBe(searching);
  });

  test('changing mode keeps the block at the top in view', () => {
    const c = ctx();
    const s = keys(initialStreamViewState(), c, ']', ']'); // third block: the second request
    const top = s.top;
    expect(c.model.layout('ascii').blockStart[2]).toBe(top);
    const hex = keys(s, c, 'm');
    expect(hex.mode).toBe('hex');
    expect(hex.top).toBe(c.model.layout('hex').blockStart[2]);
  });

  test('follow: pinned to the end, left by moving up, kept by moving down', () => {
    const c = ctx(httpChunks(), 5);
    const rows = c.model.layout('ascii').rows.length;
    let s = keys(initialStreamViewState(), c, 'f');
    expect(s.isFollowing).toBe(true);
    expect(shownTop(s, rows, 5)).toBe(rows - 5);
    expect(shownTop(s, rows + 10, 5)).toBe(rows + 5); // more rows arrived: still at the end
    expect(keys(s, c, 'j').isFollowing).toBe(true);
    s = keys(s, c, 'k');
    expect(s.isFollowing).toBe(false);
    expect(s.top).toBe(rows - 6);
    s = keys(s, c, 'f', 'f');
    expect(s.isFollowing).toBe(false);
    expect(s.top).toBe(rows - 5); // toggling off keeps what was shown
  });

  test('search keys only edit the line while it is open', () => {
    const c = ctx();
    let s = keys(initialStreamViewState(), c, '/', 'n', 'f', 'm');
    expect(s.searchLine?.text).toBe('nfm');
    expect(s.mode).toBe('ascii');
    s = keys(s, c, 'escape');
    expect(s.searchLine).toBeNull();
    expect(s.query).toBeNull();
  });

  test('n with no search explains itself', () => {
    expect(keys(initialStreamViewState(), ctx(), 'n').notice).toBe('no search yet: / searches');
  });

  test('the write prompt takes text and Tab; Enter marks it for writing', () => {
    const c = ctx([data(0, 'x')]);
    let s = keys(initialStreamViewState(), c, 'w');
    expect(s.write?.edit.text).toBe('tcp-stream-3.bin');
    s = keys(s, c, 'tab', 'tab', 'ctrl+u', 'a', '.', 'b');
    expect(s.write?.edit.text).toBe('a.b');
    expect(s.write?.direction).toBe('server');
    s = keys(s, c, 'enter');
    expect(s.write?.phase).toBe('writing');
    expect(keys(s, c, 'escape')).toBe(s); // a write in progress is not cancelled
    s = streamViewReducer(s, { type: 'write-finished', message: 'wrote 1 bytes' });
    expect(s.write).toBeNull();
    expect(s.notice).toBe('wrote 1 bytes');
  });
});

describe('stream commands', () => {
  test('no key is bound twice within the stream view', () => {
    const seen = new Map<string, string>();
    for (const c of STREAM_COMMANDS) {
      for (const k of c.keys) {
        const id = `${c.scope}:${k}`;
        expect(seen.get(id), id).toBeUndefined();
        seen.set(id, c.name);
      }
    }
  });

  test('keys shadowing the main table are the documented ones', () => {
    const main = new Set(COMMANDS.filter((c) => c.scope === 'list' || c.scope === 'global').flatMap((c) => c.keys));
    const shadowed = STREAM_COMMANDS.filter((c) => c.scope === 'stream').flatMap((c) => c.keys).filter((k) => main.has(k)).sort();
    expect(shadowed).toEqual(['/', 'f', 'n']);
  });

  test('movement and line editing reuse the main table', () => {
    expect(resolveStreamKey('stream', 'j')).toBe('cursor.down');
    expect(resolveStreamKey('stream', 'pagedown')).toBe('cursor.page-down');
    expect(resolveStreamKey('stream', 'escape')).toBe('drill.out');
    expect(resolveStreamKey('stream', 'q')).toBeNull(); // global keys stay with the dashboard
    expect(resolveStreamKey('search-line', 'enter')).toBe('line.apply');
    expect(resolveStreamKey('search-line', 'n')).toBeNull();
    expect(resolveStreamKey('write-prompt', 'tab')).toBe('stream-write.direction-next');
  });
});
