/**
 * The filter keys of the dashboard in a real terminal (tmux), on `node bin/wiretop.js -r
 * fixtures/demo.pcap --speed max`, which stays open at "end of capture": the filter line (`/`:
 * verdict, caret, message, Tab, history persisted in $XDG_CONFIG_HOME/wiretop/history) and the
 * row keys `f`, `F`, `x`. Each test has its own tmux session and its own config directory.
 * Waits poll the screen (Tmux.waitFor), never a fixed time.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, isAtPrompt, Tmux } from './tmux.js';

const ROOT = resolve(import.meta.dirname, '../..');
const COMMAND = 'node bin/wiretop.js -r fixtures/demo.pcap --speed max';
const PROMPT = 'filter> ';
/** Talks only TCP (port 443) in demo.pcap: `tshark -Y 'ip.addr==203.0.113.60 && !tcp'` is empty. */
const TCP_ONLY_HOST = '203.0.113.60';

const tmux = new Tmux(`wiretop-filter-e2e-${process.pid}`);
const homes: string[] = [];

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'wiretop-filter-e2e-'));
  homes.push(home);
  return home;
}

const lines = (screen: string): string[] => screen.split('\n');
const header = (screen: string): string => lines(screen)[0] ?? '';
/** The filter line and the two lines under it (caret, message), or null when the line is closed. */
function filterBlock(screen: string): { line: string; caret: string; message: string } | null {
  const all = lines(screen);
  const at = all.findIndex((l) => l.startsWith(PROMPT));
  if (at < 0) return null;
  return { line: all[at]!, caret: all[at + 1] ?? '', message: all[at + 2] ?? '' };
}
/** The text after `filter: ` in the header (what the display filter shows as). */
function headerFilter(screen: string): string {
  const h = header(screen);
  const at = h.indexOf('filter: ');
  return at < 0 ? '' : h.slice(at + 'filter: '.length).trimEnd();
}
const isEndOfCapture = (x: string): boolean => x.includes('end of capture') && /^> \S/m.test(x);
/**
 * Packets counted under the display filter, from the header's second line ("total N pkts … of M
 * pkts …"). The header names a filter as soon as it is applied, from the UI's state; the counts and
 * the talkers follow with the next snapshot, a frame or more later.
 */
function filteredTotal(screen: string): string | null {
  return /total (\S+) pkts \S+ of \S+ pkts/.exec(lines(screen)[1] ?? '')?.[1] ?? null;
}
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Starts a shell in a fresh tmux session and wiretop in it; resolves at end of capture. */
async function startWiretop(name: string, columns: number, rows: number, home: string): Promise<string> {
  tmux.start(name, columns, rows, ROOT, { XDG_CONFIG_HOME: home, HOME: home });
  await tmux.waitFor(name, isAtPrompt, 'prompt');
  return runAgain(name);
}

async function runAgain(name: string): Promise<string> {
  tmux.type(name, COMMAND);
  tmux.keys(name, 'Enter');
  return tmux.waitFor(name, isEndOfCapture, 'talkers at end of capture');
}

async function quit(name: string): Promise<void> {
  tmux.type(name, 'q');
  await tmux.waitFor(name, (x) => isAtPrompt(x) && !x.includes('Top talkers'), 'shell prompt after q');
}

async function openFilterLine(name: string): Promise<string> {
  tmux.type(name, '/');
  return tmux.waitFor(name, (x) => filterBlock(x) !== null, 'filter line');
}

/** Waits until the filter line holds exactly `text` and shows a verdict for it. */
function waitLine(name: string, text: string, verdict: '✓ valid' | '✗ invalid' | 'any' = 'any', timeoutMs?: number): Promise<string> {
  const re = new RegExp(`^${escapeRe(PROMPT + text)}\\s+(✓ valid|✗ invalid)`);
  return tmux.waitFor(
    name,
    (x) => {
      const m = re.exec(filterBlock(x)?.line ?? '');
      return m !== null && (verdict === 'any' || m[1] === verdict);
    },
    `filter line "${text}" (${verdict})`,
    timeoutMs,
  );
}

/** Switches to the conversations view; returns the selected row's endpoints and the `f` expression. */
async function selectTopConversation(name: string): Promise<{ row: string; expr: string }> {
  tmux.type(name, 't');
  const row = /^> (\d+\.\d+\.\d+\.\d+):(\d+) ↔ (\d+\.\d+\.\d+\.\d+):(\d+) +(\S+)/m;
  const screen = await tmux.waitFor(name, (x) => x.includes('Top talkers: conversations') && row.test(x), 'a conversation selected');
  const [, a, aPort, b, bPort, service] = row.exec(screen)!;
  // The top conversation of demo.pcap is TLS to port 443; the expression names TCP ports.
  expect(service).toMatch(/^(tls|https|http|ssh)$/);
  return {
    row: `${a}:${aPort} ↔ ${b}:${bPort}`,
    expr: `ip.addr == ${a} && ip.addr == ${b} && tcp.port == ${aPort} && tcp.port == ${bPort}`,
  };
}

/**
 * The header shows `expr` as the display filter: whole, or cut with "…" at the terminal's width
 * (the header has one line); then the filter line, which opens on the current filter, shows all of it.
 */
async function expectAppliedExpression(name: string, expr: string): Promise<void> {
  const screen = await tmux.waitFor(name, (x) => filterBlock(x) === null && headerFilter(x).startsWith(expr.slice(0, 20)), `header filter ${expr}`);
  const shown = headerFilter(screen);
  if (shown !== expr) {
    expect(shown.endsWith('…')).toBe(true);
    expect(expr.startsWith(shown.slice(0, -1))).toBe(true);
  }
  await openFilterLine(name);
  await waitLine(name, expr, '✓ valid');
  tmux.keys(name, 'Escape');
  await tmux.waitFor(name, (x) => filterBlock(x) === null, 'filter line closed');
}

// Concurrent: every test has its own tmux session and config directory, and most of a test's time
// is wiretop starting and reading the capture; one after another they took 45 s.
describe.skipIf(!hasTmux()).concurrent('filter keys in tmux', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
  });

  afterAll(() => {
    tmux.kill();
    for (const home of homes) rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  });

  it.each([
    { size: '120x40', columns: 120, rows: 40, text: 'ip.sr == 1.2.3.4', column: 1 },
    { size: '80x24', columns: 80, rows: 24, text: 'tcp && ip.sr == 1.2.3.4', column: 8 },
  ])('$size: an invalid filter shows ✗, a caret under the error column and the suggestion; Enter does not apply it', async ({ size, columns, rows, text, column }) => {
    const s = `invalid-${size}`;
    const home = newHome();
    await startWiretop(s, columns, rows, home);
    await openFilterLine(s);
    tmux.type(s, text);
    const screen = await waitLine(s, text, '✗ invalid');
    const block = filterBlock(screen)!;
    // The caret is alone on its line, under the first character of the unknown name.
    expect(block.caret.trim()).toBe('^');
    expect(block.caret.indexOf('^')).toBe(PROMPT.length + column - 1);
    expect(block.caret.indexOf('^')).toBe(block.line.indexOf('ip.sr'));
    expect(block.message).toContain(`column ${column}: unknown field or protocol "ip.sr": did you mean ip.src`);
    expect(header(screen)).toContain('filter: none');
    // Enter on an invalid filter keeps the line open; Esc then closes it, nothing applied or saved.
    tmux.keys(s, 'Enter');
    tmux.keys(s, 'Escape');
    const after = await tmux.waitFor(s, (x) => filterBlock(x) === null, 'filter line closed');
    expect(headerFilter(after)).toBe('none');
    await quit(s);
    expect(existsSync(join(home, 'wiretop', 'history'))).toBe(false);
  }, 60_000);

  it('80x24: Tab completes a partial field name (ip.sr -> ip.src)', async () => {
    const s = 'tab';
    await startWiretop(s, 80, 24, newHome());
    await openFilterLine(s);
    tmux.type(s, 'ip.sr');
    await waitLine(s, 'ip.sr', '✗ invalid');
    tmux.keys(s, 'Tab');
    // A single candidate completes with a space after it; `ip.src` alone is a valid existence test.
    await waitLine(s, 'ip.src', '✓ valid');
    tmux.type(s, '== 10.0.0.1');
    await waitLine(s, 'ip.src == 10.0.0.1', '✓ valid');
    tmux.keys(s, 'Escape');
    await tmux.waitFor(s, (x) => filterBlock(x) === null, 'filter line closed');
    await quit(s);
  }, 60_000);

  // Application fields come from the dissection module (setupDissection registers them).
  it('120x40: application fields (dns.qry.name) are known to the filter line', async () => {
    const s = 'app-fields';
    await startWiretop(s, 120, 40, newHome());
    await openFilterLine(s);
    const text = 'dns.qry.name == "example.com"';
    tmux.type(s, text);
    // The verdict is computed on each key: once the whole text shows with a verdict, it is final.
    const screen = await waitLine(s, text);
    expect(filterBlock(screen)!.line).toContain('✓ valid');
  }, 60_000);

  it('120x40: a valid filter (udp) applies on Enter to what was captured: the header shows it, a TCP-only host leaves the talkers, udp conversations stay', async () => {
    const s = 'udp';
    const home = newHome();
    await startWiretop(s, 120, 40, home);
    // Sorted by total the host is among the first rows (by the 2 s column, at the end of capture,
    // it depends on who sent in the last two seconds).
    tmux.type(s, 'c');
    const before = await tmux.waitFor(s, (x) => x.includes('sort total'), 'sorted by total');
    expect(before).toContain(TCP_ONLY_HOST);
    expect(headerFilter(before)).toBe('none');
    await openFilterLine(s);
    tmux.type(s, 'udp');
    await waitLine(s, 'udp', '✓ valid');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => filterBlock(x) === null && headerFilter(x) === 'udp', 'header filter: udp');
    // The talkers follow with the next snapshot: the filter is applied to the packets already read
    // (the runtime replays its ring), so at end of capture the UDP traffic (DNS, mDNS, NTP) is listed.
    const hosts = await tmux.waitFor(
      s,
      (x) => !x.includes(TCP_ONLY_HOST) && /^\d/.test(filteredTotal(x) ?? '') && filteredTotal(x) !== '0' && filteredTotal(x) !== '20.4k',
      `${TCP_ONLY_HOST} gone from the talkers, udp counted`,
    );
    expect(hosts).toContain('Top talkers: hosts');
    expect(headerFilter(hosts)).toBe('udp');
    expect(hosts).not.toContain('(nothing matches)');
    // The header's totals read "N pkts … of M pkts …": what passes the filter, of everything read.
    expect(lines(hosts)[1]).toMatch(/total \S+ pkts \S+ of 20\.4k pkts/);
    // The ring held the whole capture: no "filter applied to the last …" note.
    expect(hosts).not.toContain('filter applied to the last');
    tmux.type(s, 't');
    const udpRow = /^[> ] \S+ ↔ \S+:(53|123|5353) /m;
    const convs = await tmux.waitFor(s, (x) => x.includes('Top talkers: conversations') && udpRow.test(x), 'conversations view with udp rows (DNS, NTP, mDNS)');
    expect(lines(convs).filter((l) => /^[> ] \S+ ↔ \S+/.test(l)).length).toBeGreaterThan(0);
    expect(convs).not.toMatch(/:443 /);
    expect(convs).not.toContain(TCP_ONLY_HOST);
    expect(readFileSync(join(home, 'wiretop', 'history'), 'utf8')).toBe('udp\n');
    await quit(s);
  }, 60_000);

  it('120x40: history persists across runs: / then Up recalls the last filter applied', async () => {
    const s = 'history';
    const home = newHome();
    await startWiretop(s, 120, 40, home);
    await openFilterLine(s);
    tmux.type(s, 'udp');
    await waitLine(s, 'udp', '✓ valid');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => filterBlock(x) === null && headerFilter(x) === 'udp', 'header filter: udp');
    // `/` opens on the current filter; Ctrl-U deletes it.
    await openFilterLine(s);
    await waitLine(s, 'udp', '✓ valid');
    tmux.keys(s, 'C-u');
    tmux.type(s, 'tcp.port == 443');
    await waitLine(s, 'tcp.port == 443', '✓ valid');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => filterBlock(x) === null && headerFilter(x) === 'tcp.port == 443', 'header filter: tcp.port == 443');
    await quit(s);
    expect(readFileSync(join(home, 'wiretop', 'history'), 'utf8')).toBe('udp\ntcp.port == 443\n');

    const again = await runAgain(s);
    expect(headerFilter(again)).toBe('none');
    // No filter applied in this run: the line opens empty.
    const opened = await openFilterLine(s);
    expect(filterBlock(opened)!.line).not.toMatch(/udp|tcp/);
    tmux.keys(s, 'Up');
    await waitLine(s, 'tcp.port == 443', '✓ valid');
    tmux.keys(s, 'Up');
    await waitLine(s, 'udp', '✓ valid');
    tmux.keys(s, 'Down');
    await waitLine(s, 'tcp.port == 443', '✓ valid');
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => filterBlock(x) === null && headerFilter(x) === 'tcp.port == 443', 'recalled filter applied');
    await quit(s);
    expect(readFileSync(join(home, 'wiretop', 'history'), 'utf8')).toBe('udp\ntcp.port == 443\n');
  }, 60_000);

  it('120x40: f on a conversation narrows the filter to it and shows the expression; x clears', async () => {
    const s = 'narrow';
    await startWiretop(s, 120, 40, newHome());
    const { expr } = await selectTopConversation(s);
    tmux.type(s, 'f');
    await expectAppliedExpression(s, expr);
    tmux.type(s, 'x');
    await tmux.waitFor(s, (x) => headerFilter(x) === 'none', 'header filter: none after x');
    await quit(s);
  }, 60_000);

  it('120x40: F on a conversation excludes it: the expression is !(…); x clears', async () => {
    const s = 'exclude';
    await startWiretop(s, 120, 40, newHome());
    const { expr, row } = await selectTopConversation(s);
    tmux.type(s, 'F');
    await expectAppliedExpression(s, `!(${expr})`);
    await tmux.waitFor(s, (x) => !x.includes(row), `conversation ${row} excluded`);
    tmux.type(s, 'x');
    await tmux.waitFor(s, (x) => headerFilter(x) === 'none', 'header filter: none after x');
    await quit(s);
  }, 60_000);

  // Was a BUG: at end of capture any change of display filter emptied the talkers for good (the
  // engine restarted the filtered aggregates from zero and a file read to its end brings no more
  // packets: "filter: none" over "0 rows (nothing matches)" after `x`). The runtime now keeps the raw
  // packets in a ring and replays them when the filter changes, so a filter applies to what was captured.
  it('120x40: after f the narrowed conversation is still listed, and x brings the talkers back', async () => {
    const s = 'narrow-rows';
    await startWiretop(s, 120, 40, newHome());
    const { row } = await selectTopConversation(s);
    tmux.type(s, 'f');
    // Until the filtered snapshot arrives the old one, with this row selected, is still drawn: wait
    // for the filtered count (one conversation's packets, far fewer than the 20.4k read).
    await tmux.waitFor(s, (x) => headerFilter(x).startsWith('ip.addr == ') && /^\d/.test(filteredTotal(x) ?? '') && filteredTotal(x) !== '20.4k', 'narrowed snapshot');
    await tmux.waitFor(s, (x) => new RegExp(`^> ${escapeRe(row)} `, 'm').test(x), `row ${row} listed after f`, 5_000);
    tmux.type(s, 'x');
    const rowCount = (x: string): number => Number(/conversations \(t\)\s+(\d+) rows/.exec(x)?.[1] ?? 0);
    await tmux.waitFor(s, (x) => headerFilter(x) === 'none' && lines(x)[1]!.includes('total 20.4k pkts') && rowCount(x) > 1, 'talkers back after x', 5_000);
    await quit(s);
  }, 60_000);
});
