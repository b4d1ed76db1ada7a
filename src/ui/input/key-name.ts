import type { Key } from 'ink';

/**
 * Turns Ink's (input, key) pair into the key names used by the command table. Ink reports the
 * Backspace key of most terminals (DEL, 0x7f) as `delete`; the command table binds both.
 */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.escape) return 'escape';
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

function charKey(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\x7f') return 'delete';
  if (ch === '\b') return 'backspace';
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (ch === '\x1b') return 'escape';
  if (ch === ' ') return 'space';
  if (code < 0x20) return `ctrl+${String.fromCharCode(code + 96)}`;
  return ch;
}

/**
 * Ink hands over a run of plain characters that arrived in one read as a single input (it splits
 * only escape sequences). Keys typed or repeated faster than the event loop reads them arrive that
 * way ("jjj", three DELs), so such runs are split into one key per character; text pasted into the
 * filter line is inserted the same either way.
 */
export function keyPresses(input: string, key: Key): { readonly key: string; readonly input: string }[] {
  // Esc and the next key in one read reach Ink as one meta (Alt) key. Nothing here binds Alt, and
  // Esc-then-key typed fast is common (back, then the next view), so they are taken apart again.
  if (key.escape && key.meta && input === '\x1b') return [{ key: 'escape', input: '' }, { key: 'escape', input: '' }];
  const named = keyName(input, key);
  if (key.meta && !key.ctrl && named === input && Array.from(input).length === 1) return [{ key: 'escape', input: '' }, { key: charKey(input), input }];
  const isPlainRun = named === input && Array.from(input).length > 1 && !key.ctrl && !key.meta;
  if (!isPlainRun) return [{ key: named, input }];
  return Array.from(input).map((ch) => ({ key: charKey(ch), input: ch }));
}

/**
 * Keys a full-body view with its own keys (stream, packet view) leaves to the dashboard while no
 * text prompt of its own is open: quit, help, pause, and W (write the conversation's packets to a
 * pcap: the dashboard's prompt). Ctrl-C always reaches the dashboard.
 */
export const VIEW_PASS_KEYS: readonly string[] = ['q', '?', 'space', 'W'];
