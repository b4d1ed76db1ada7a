/**
 * Usage errors through the real entry point (`node bin/wiretop.js`, which loads dist/: `npm test`
 * builds it first): one line naming the flag as typed, then the pointer to --help.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const wiretop = (...args: string[]): { code: number | null; err: string } => {
  const r = spawnSync(process.execPath, ['bin/wiretop.js', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'de_DE.UTF-8' } });
  return { code: r.status, err: r.stderr };
};
const HELP = 'run `wiretop --help` for usage\n';

describe('usage errors from the command line', () => {
  it('follow --stream that is not a stream number: one line, no internal error', () => {
    for (const [given, shown] of [['-1', '-1'], ['1.5', '1.5']]) {
      expect(wiretop('follow', '-r', 'fixtures/http.pcap', '--stream', given!)).toEqual({ code: 1, err: `wiretop: --stream must be a stream number (0, 1, ...), got "${shown}"\n` });
    }
  });

  it('a value outside the choices names the flag and the choices (was "Invalid values:" alone)', () => {
    expect(wiretop('follow', '-r', 'fixtures/http.pcap', '--stream', '0', '--format', 'bogus')).toEqual({
      code: 2, err: 'wiretop: --format must be one of "raw", "ascii", "hex", got "bogus"\n' + HELP,
    });
  });

  it('an unknown option is named once, as typed, in English whatever the locale', () => {
    expect(wiretop('report', '-r', 'fixtures/http.pcap', '--bogus-flag')).toEqual({ code: 2, err: 'wiretop: unknown option: --bogus-flag\n' + HELP });
  });

  it('report numbers that are not usable: --top negative or not a number, --duration not above 0 (were taken silently)', () => {
    expect(wiretop('report', '-r', 'fixtures/http.pcap', '--top', '-1')).toEqual({ code: 1, err: 'wiretop report: --top takes a number of rows (0 for all), not -1\n' });
    expect(wiretop('report', '-r', 'fixtures/http.pcap', '--top', 'x')).toEqual({ code: 1, err: 'wiretop report: --top takes a number of rows (0 for all), not NaN\n' });
    expect(wiretop('report', '-i', 'lo', '--duration', '-5')).toEqual({ code: 1, err: 'wiretop report: --duration takes a number of seconds above 0, not -5\n' });
  });

  it('baseline without an action says which there are', () => {
    const r = wiretop('baseline');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe('wiretop baseline: which action? learn, check or show');
  });

  it('dashboard --fps and --ring-mb that are not usable (were replaced silently: 4 fps; no ring, so no export)', () => {
    expect(wiretop('-r', 'fixtures/http.pcap', '--fps', '0')).toEqual({ code: 2, err: 'wiretop: --fps takes screen redraws per second (above 0), not 0\n' + HELP });
    expect(wiretop('-r', 'fixtures/http.pcap', '--ring-mb', '-1')).toEqual({ code: 2, err: 'wiretop: --ring-mb takes MiB of packets kept (0 turns the ring off), not -1\n' + HELP });
  });
});
