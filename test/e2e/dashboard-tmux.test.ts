/**
 * The dashboard in a real terminal (tmux) on fixture captures, run as users run it:
 * `node bin/wiretop.js`, which loads dist/ (`npm test` builds it first in `pretest`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { COMMANDS, keyLabel } from '../../src/ui/commands.js';
import { PACKET_COMMANDS } from '../../src/ui/packets/packet-commands.js';
import { STREAM_COMMANDS } from '../../src/ui/stream/stream-commands.js';
import { hasTmux, isAtPrompt, Tmux } from './tmux.js';

const ROOT = resolve(import.meta.dirname, '../..');
const tmux = new Tmux(`wiretop-e2e-${process.pid}`);
const wiretop = (args: string): string => `node bin/wiretop.js ${args}`;
const command = wiretop('-r fixtures/demo.pcap --speed max');

const LONG_FILTER = 'ip.addr == 192.168.1.22 && tcp.port == 443 && !(ip.addr == 10.0.0.1)';

const talkersLine = (s: string): string => s.split('\n').find((l) => l.includes('Top talkers')) ?? '';

describe.skipIf(!hasTmux())('dashboard in tmux', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
  });

  afterAll(() => {
    tmux.kill();
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  const home = mkdtempSync(join(tmpdir(), 'wiretop-e2e-home-'));
  const env = { XDG_CONFIG_HOME: home, HOME: home };

  test('80x24: talkers, drill-down and back, help read in full, header fields, q restores the shell', async () => {
    const s = 'small';
    // Its own config directory: the filter it applies goes to the history the 160x48 test reads.
    tmux.start(s, 80, 24, ROOT, { XDG_CONFIG_HOME: join(home, 'small'), HOME: join(home, 'small') });
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    tmux.type(s, command);
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => /> \d+\.\d+\.\d+\.\d+/.test(x) && x.includes('end of capture'), 'talkers at end of capture');
    expect(tmux.isAltScreen(s)).toBe(true);
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('Conversations of'), 'host drill-down');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('Conversation detail'), 'conversation detail');
    tmux.keys(s, 'Escape');
    await tmux.waitFor(s, (x) => x.includes('Conversations of'), 'back to host');
    tmux.keys(s, 'BSpace');
    await tmux.waitFor(s, (x) => x.includes('Top talkers: hosts'), 'back to talkers');
    tmux.type(s, 't');
    await tmux.waitFor(s, (x) => x.includes('Top talkers: conversations'), 'conversations view');
    tmux.type(s, '?');
    let help = await tmux.waitFor(s, (x) => x.includes('Help: ? or Esc closes') && x.includes('go back'), 'help');
    // Every page (↓ turns them) fits, cuts nothing off; read column by column, every entry is there whole.
    const pages = Number(/page 1 of (\d+)/.exec(help)?.[1]);
    expect(pages).toBeGreaterThan(1);
    const columns: string[] = [];
    for (let p = 1; p <= pages; p++) {
      expect(help).not.toContain('…');
      const rows = help.split('\n').slice(1, 23);
      columns.push(rows.map((l) => l.slice(0, 39)).join(' '), rows.map((l) => l.slice(39)).join(' '));
      if (p < pages) {
        tmux.keys(s, 'Down');
        help = await tmux.waitFor(s, (x) => x.includes(`page ${p + 1} of ${pages}`), `help page ${p + 1}`);
      }
    }
    const read = columns.join(' ').replace(/\s+/g, ' ');
    for (const c of [...COMMANDS, ...STREAM_COMMANDS, ...PACKET_COMMANDS].filter((x) => x.scope !== 'help')) {
      expect(read).toContain(`${c.keys.map(keyLabel).join(' ')} ${c.help}`);
    }
    tmux.keys(s, 'Escape');
    await tmux.waitFor(s, (x) => x.includes('Top talkers'), 'help closed');
    // The header keeps its fields at 80 columns: paused, at the end of the capture, with a long filter.
    tmux.type(s, ' ');
    await tmux.waitFor(s, (x) => x.includes('PAUSED'), 'paused');
    tmux.type(s, '/');
    await tmux.waitFor(s, (x) => x.includes('filter>'), 'filter line');
    tmux.type(s, LONG_FILTER);
    await tmux.waitFor(s, (x) => x.includes('✓ valid'), 'a valid filter');
    tmux.keys(s, 'Enter');
    const screen = await tmux.waitFor(s, (x) => !x.includes('filter>') && x.includes(`filter: ${LONG_FILTER.slice(0, 20)}`), 'filter in the header');
    const top = screen.split('\n');
    const header = top.slice(0, top.findIndex((l) => l.includes('Top talkers'))).join('\n');
    for (const part of ['wiretop', 'PAUSED', 'end of capture', 'pcap', 'now ', '(all ', 'total ', 'alerts: 0', 'drop', 'malformed: 0', 'evicted', 'hosts']) {
      expect(header).toContain(part);
    }
    for (const l of top) expect([...l].length).toBeLessThanOrEqual(80);
    tmux.type(s, 'q');
    await tmux.waitFor(s, (x) => !x.includes('Top talkers') && isAtPrompt(x), 'shell prompt after q');
    expect(tmux.isAltScreen(s)).toBe(false);
    tmux.type(s, 'echo "rc=$? ok-$((40+2))"');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('rc=0 ok-42'), 'shell works again');
  }, 60_000);

  test('160x48: panels side by side; filter line shows errors', async () => {
    const s = 'large';
    tmux.start(s, 160, 48, ROOT, env);
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    tmux.type(s, command);
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => talkersLine(x).includes('Protocols') && x.includes('tx 2s'), 'side-by-side layout');
    tmux.type(s, '/');
    await tmux.waitFor(s, (x) => x.includes('filter>'), 'filter line');
    tmux.type(s, 'tcp &&');
    const bad = await tmux.waitFor(s, (x) => x.includes('✗ invalid'), 'invalid verdict');
    expect(bad.split('\n').some((l) => l.trim() === '^')).toBe(true);
    tmux.keys(s, 'BSpace', 'BSpace', 'BSpace');
    await tmux.waitFor(s, (x) => x.includes('✓ valid'), 'valid verdict');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('filter: tcp') && !x.includes('filter>'), 'filter applied');
    // The history file is written just after the filter applies: poll for it.
    const historyPath = join(home, 'wiretop', 'history');
    await vi.waitFor(() => expect(readFileSync(historyPath, 'utf8')).toBe('tcp\n'), { timeout: 5000, interval: 50 });
    tmux.type(s, 'x');
    await tmux.waitFor(s, (x) => x.includes('filter: none'), 'filter cleared');
    tmux.type(s, 'q');
    await tmux.waitFor(s, (x) => !x.includes('Top talkers') && isAtPrompt(x), 'shell prompt after q');
  }, 60_000);

  test('views: stream and packets of an HTTP conversation, capture health, deviation meters, alerts', async () => {
    const s = 'views';
    tmux.start(s, 120, 40, ROOT, env);
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    tmux.type(s, wiretop('-r fixtures/http.pcap --speed max'));
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('end of capture') && /> \d+\.\d+\.\d+\.\d+/.test(x), 'talkers at end of capture');
    tmux.type(s, 't');
    await tmux.waitFor(s, (x) => x.includes('Top talkers: conversations') && /^> \S+:\d+ ↔ \S+:80 /m.test(x), 'an HTTP conversation selected');
    tmux.type(s, 's');
    const stream = await tmux.waitFor(s, (x) => x.includes('tcp.stream') && /C> [A-Z]+ \S+ HTTP\/1\.[01]/.test(x), 'stream view with the request');
    expect(stream).toMatch(/S< HTTP\/1\.[01] \d{3}/);
    tmux.keys(s, 'Escape');
    await tmux.waitFor(s, (x) => x.includes('Top talkers: conversations'), 'back from the stream');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('Conversation detail') && x.includes('Recent packets (No.') && x.includes('[SYN]'), 'detail with kept packets');
    tmux.type(s, 'v');
    await tmux.waitFor(s, (x) => /No\.\s+Time\s+Source/.test(x) && x.includes('[SYN]'), 'packet view of the conversation');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('Transmission Control Protocol'), 'field tree');
    // Two Escs sent together (tree to list, then close): read at once, they must still count twice.
    tmux.keys(s, 'Escape', 'Escape');
    await tmux.waitFor(s, (x) => x.includes('Conversation detail'), 'back from the packets');
    tmux.keys(s, 'Escape');
    await tmux.waitFor(s, (x) => x.includes('Top talkers: conversations'), 'back from the detail');
    tmux.type(s, 'h');
    await tmux.waitFor(s, (x) => x.includes('Capture health') && x.includes('Malformed packets'), 'health view');
    tmux.type(s, 'h');
    tmux.type(s, 'd');
    await tmux.waitFor(s, (x) => x.includes('Deviation meters') && x.includes('bits/s'), 'meters in the chart slot');
    tmux.type(s, 'a');
    await tmux.waitFor(s, (x) => x.includes('Alerts:') && x.includes('alerts: 0 new'), 'alerts view');
    tmux.type(s, 'q');
    await tmux.waitFor(s, (x) => isAtPrompt(x) && !x.includes('Top talkers'), 'prompt after q');
  }, 60_000);

  test('SIGTERM restores the terminal', async () => {
    const s = 'term';
    tmux.start(s, 80, 24, ROOT, env);
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    tmux.type(s, wiretop('-r fixtures/demo.pcap'));
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('Top talkers'), 'dashboard');
    const shell = tmux.shellPid(s);
    const child = execFileSync('ps', ['-o', 'pid=', '--ppid', String(shell)], { encoding: 'utf8' }).trim().split(/\s+/)[0];
    expect(child).toMatch(/^\d+$/);
    process.kill(Number(child), 'SIGTERM');
    await tmux.waitFor(s, (x) => !x.includes('Top talkers') && isAtPrompt(x), 'shell prompt after SIGTERM');
    expect(tmux.isAltScreen(s)).toBe(false);
    tmux.type(s, 'echo "rc=$?"');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('rc=143'), 'exit status 143');
  }, 60_000);

  test('hostile strings are drawn escaped', async () => {
    const s = 'hostile';
    tmux.start(s, 120, 40, ROOT, env);
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    tmux.type(s, wiretop('-r fixtures/hostile.pcap --speed max'));
    tmux.keys(s, 'Enter');
    const screen = await tmux.waitFor(s, (x) => x.includes('end of capture'), 'end of capture');
    expect(screen).toContain('file fixtures/hostile.pcap');
    // Had an ESC[2J or OSC reached the terminal, the header would be gone or the title changed.
    expect(screen.split('\n')[0]).toMatch(/^wiretop /);
    expect(tmux.run('display-message', '-p', '-t', s, '#{pane_title}')).not.toContain('pwned');
    tmux.type(s, 'q');
    await tmux.waitFor(s, (x) => isAtPrompt(x) && !x.includes('Top talkers'), 'prompt after q');
  }, 60_000);

  test('--no-color: no colour, but inverse still marks the stream search match (as with NO_COLOR)', async () => {
    const s = 'mono';
    tmux.start(s, 120, 40, ROOT, env);
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    // Without CI in the environment: with it, chalk drops every style whatever the flags.
    tmux.type(s, `env -u CI ${wiretop('-r fixtures/http.pcap --speed max --no-color')}`);
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('end of capture') && /> \d+\.\d+\.\d+\.\d+/.test(x), 'talkers at end of capture');
    tmux.type(s, 't');
    await tmux.waitFor(s, (x) => /^> \S+:\d+ ↔ \S+:80 /m.test(x), 'an HTTP conversation selected');
    tmux.type(s, 's');
    await tmux.waitFor(s, (x) => x.includes('tcp.stream') && x.includes('C> Host: '), 'stream view');
    tmux.type(s, '/Host');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('/Host 1/'), 'a search match');
    const styled = tmux.run('capture-pane', '-p', '-e', '-t', s);
    expect(styled).toMatch(/C> \x1b\[[0-9;]*7m(\x1b\[[0-9;]*m)*Host/);
    expect(styled).not.toMatch(/\x1b\[[0-9;]*(3[0-7]|9[0-7])m/); // no foreground colour
    tmux.type(s, 'q');
    await tmux.waitFor(s, (x) => isAtPrompt(x) && !x.includes('Top talkers'), 'prompt after q');
  }, 60_000);

  test('-r - reads the capture from stdin and the keyboard from the terminal', async () => {
    const s = 'stdin';
    tmux.start(s, 80, 24, ROOT, env);
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    tmux.type(s, `cat fixtures/http.pcap | ${wiretop('-r - --speed max')}`);
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('end of capture') && x.includes('stdin'), 'capture from stdin');
    tmux.type(s, 't');
    await tmux.waitFor(s, (x) => x.includes('Top talkers: conversations'), 'keys work');
    tmux.type(s, 'q');
    await tmux.waitFor(s, (x) => isAtPrompt(x) && !x.includes('Top talkers'), 'prompt after q');
  }, 60_000);

  test('stderr redirected: the cursor is restored on the terminal, nothing is written to the file', async () => {
    const s = 'stderr';
    const err = join(home, 'err.txt');
    tmux.start(s, 80, 24, ROOT, env);
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    tmux.type(s, `${command} 2>${err}`);
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('end of capture'), 'dashboard');
    expect(tmux.run('display-message', '-p', '-t', s, '#{cursor_flag}').trim()).toBe('0');
    tmux.type(s, 'q');
    await tmux.waitFor(s, (x) => isAtPrompt(x) && !x.includes('Top talkers'), 'prompt after q');
    // The shell prompt is back once the process has exited (its exit hooks have run).
    expect(tmux.run('display-message', '-p', '-t', s, '#{cursor_flag}').trim()).toBe('1');
    expect(readFileSync(err, 'utf8')).toBe('');
  }, 60_000);

  test('-r or -i without a value: what it needs, exit code 2', () => {
    const r = spawnSync('node', ['bin/wiretop.js', '-r'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('wiretop: -r needs a file name (or - for stdin)');
    const i = spawnSync('node', ['bin/wiretop.js', '-i'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(i.status).toBe(2);
    expect(i.stderr).toMatch(/^wiretop: -i needs an interface name/);
  });

  test('stdout not a terminal: one line and exit code 2', () => {
    const r = spawnSync('node', ['bin/wiretop.js', '-r', 'fixtures/demo.pcap'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('wiretop: stdout is not a terminal; use `wiretop report` for non-interactive output\n');
  });
});
