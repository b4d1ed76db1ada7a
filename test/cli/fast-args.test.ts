import { describe, expect, it } from 'vitest';
import { parseFastArgs } from '../../src/cli/fast-args.js';
import { parseCommandArgs } from '../../src/cli/parse-args.js';
import { REPORT_YARGS_OPTIONS } from '../../src/cli/report.js';

const table = REPORT_YARGS_OPTIONS;

/** What yargs makes of `args`, on the keys the fast parser sets (or the error it gives). */
function viaYargs(args: string[]): Record<string, unknown> | string {
  try {
    const a = parseCommandArgs(args, { command: 'report', options: table });
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(a)) if (k !== '$0') out[k] = a[k];
    return out;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('parseFastArgs', () => {
  it('reads plain command lines exactly as yargs does', () => {
    const lines = [
      ['-r', 'a.pcap', '--json', '--no-detect'],
      ['--read', 'a.pcap'],
      ['--read=a.pcap', '--top', '0'],
      ['-r', '-', '--top=25', '--max-flows', '5000'],
      ['-r', 'x', '-Y', 'ip.addr==10.0.0.1 && tcp', '-f', 'tcp port 80'],
      ['--display-filter=ip.src==1.2.3.4', '-r', 'x'],
      ['-i', 'eth0', '--duration', '2.5', '--json'],
      ['-r', 'x', '--baseline', 'b.json', '--learn', '10m', '--alerts', 'a.ndjson', '--home-net', '10.0.0.0/8'],
      ['-r', 'x', '--detect', '--no-json'],
      ['-r', '123'],
      [],
    ];
    for (const l of lines) {
      const fast = parseFastArgs(l, table);
      expect(fast, l.join(' ')).not.toBeNull();
      expect(fast, l.join(' ')).toEqual(viaYargs(['report', ...l]));
    }
  });

  it('leaves everything else to yargs', () => {
    const lines = [
      ['-r', 'a', '-r', 'b'], // repeated
      ['-r', 'a', 'extra'], // positional
      ['-r', 'a', '--', 'x'],
      ['--bogus'],
      ['-rx'], // grouped short flags
      ['-r=a'],
      ['--json=true', '-r', 'a'],
      ['-r', 'a', '--json', 'false'], // yargs reads false as the value
      ['--top', '-5', '-r', 'a'],
      ['--top', '0x10', '-r', 'a'],
      ['--top', '1e3', '-r', 'a'],
      ['--top', '', '-r', 'a'],
      ['-r'], // missing value
      ['--no-read', 'a'],
      ['--maxFlows', '10', '-r', 'a'], // camel-case spelling: yargs' business
      ['--r', 'a'],
      ['-json'],
    ];
    for (const l of lines) expect(parseFastArgs(l, table), l.join(' ')).toBeNull();
  });
});
