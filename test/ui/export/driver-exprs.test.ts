import { describe, expect, test } from 'vitest';
import { registerAppFields } from '../../../src/dissect/register-fields.js';
import { validateFilter } from '../../../src/filter/index.js';
import { driversExpr, quoteFilterString } from '../../../src/ui/state/driver-exprs.js';

registerAppFields();

const d = (...labels: string[]) => labels.map((label, i) => ({ label, value: 10 - i }));

describe('filter expressions for a meter\'s drivers', () => {
  const cases: [string, string[], string | null][] = [
    ['one host', ['10.0.0.9'], 'ip.addr == 10.0.0.9'],
    ['hosts, v4 and v6', ['10.0.0.9', '10.0.0.7', 'fe80::1', '10.0.0.9'], 'ip.addr in {10.0.0.9, 10.0.0.7} || ipv6.addr == fe80::1'],
    ['pairs (exfil, beacons)', ['10.0.0.2 -> 8.8.8.8', '10.0.0.3 -> 1.2.3.4 every 5.0 s'],
      '(ip.src == 10.0.0.2 && ip.dst == 8.8.8.8) || (ip.src == 10.0.0.3 && ip.dst == 1.2.3.4)'],
    ['ports', ['tcp/443', 'udp/53', '8080'], 'tcp.port in {443, 8080} || udp.port in {53, 8080}'],
    ['names', ['example.com', 'evil"x\\y'], 'dns.qry.name contains "example.com" || dns.qry.name contains "evil\\"x\\\\y"'],
    ['client and domain', ['10.0.0.3 t.example'], '(ip.addr == 10.0.0.3 && dns.qry.name contains "t.example")'],
    ['forgotten v6 hosts say nothing', ['ipv6-host'], null],
  ];
  test.each(cases)('%s', (_name, labels, want) => {
    const expr = driversExpr(d(...labels));
    expect(expr).toBe(want);
    if (expr !== null) expect(validateFilter(expr)).toEqual({ ok: true });
  });

  test('control characters are escaped inside quotes, and the filter module accepts them', () => {
    expect(quoteFilterString('a\x1b[2Jb')).toBe('"a\\x1b[2Jb"');
    expect(validateFilter(`dns.qry.name contains ${quoteFilterString('a\x1b[2Jb')}`)).toEqual({ ok: true });
  });
});
