import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { CapDevice, CapModule } from '../../src/capture/cap-module.js';
import { capAvailable } from '../../src/capture/cap-module.js';
import { formatInterfaces, NO_CAP_NOTE, prefixLength, runInterfaces, type InterfaceJson } from '../../src/cli/interfaces.js';

type OsMap = ReturnType<typeof networkInterfaces>;

function sink() {
  const chunks: string[] = [];
  return { write: (s: string) => chunks.push(s), get text() { return chunks.join(''); } };
}

function capWith(devices: CapDevice[]): CapModule {
  return { Cap: Object.assign(class {}, { deviceList: () => devices }) as unknown as CapModule['Cap'] };
}

const OS: OsMap = {
  lo: [
    { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' },
    { address: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', family: 'IPv6', mac: '00:00:00:00:00:00', internal: true, cidr: '::1/128', scopeid: 0 },
  ],
  eth0: [
    { address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.0.2.2/24' },
    { address: 'fd00::2', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: 'fd00::2/64', scopeid: 0 },
  ],
};

const DEVICES: CapDevice[] = [
  { name: 'eth0', addresses: [{ addr: '192.0.2.2', netmask: '255.255.255.0' }, { addr: 'fd00::2', netmask: 'ffff:ffff:ffff:ffff::' }] },
  { name: 'any', description: 'Pseudo-device that captures on all interfaces', addresses: [] },
  { name: 'lo', addresses: [{ addr: '127.0.0.1', netmask: '255.0.0.0' }, { addr: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' }], flags: 'PCAP_IF_LOOPBACK' },
  { name: 'nflog', description: 'Linux netfilter log (NFLOG) interface', addresses: [] },
];

describe('runInterfaces', () => {
  it('lists libpcap devices in order with addresses, flags and the default marked', () => {
    const out = sink();
    const err = sink();
    expect(runInterfaces({}, out, { cap: capWith(DEVICES), os: OS, err })).toBe(0);
    expect(err.text).toBe('');
    expect(out.text).toBe(
      [
        '* 1.eth0 [up] 192.0.2.2/24 fd00::2/64',
        '  2.any (Pseudo-device that captures on all interfaces)',
        '  3.lo [up, loopback] 127.0.0.1/8 ::1/128',
        '  4.nflog (Linux netfilter log (NFLOG) interface)',
        '(* = default capture interface: eth0)',
        '',
      ].join('\n'),
    );
  });

  it('prints a JSON array with prefix lengths and isDefault', () => {
    const out = sink();
    expect(runInterfaces({ json: true }, out, { cap: capWith(DEVICES), os: OS, err: sink() })).toBe(0);
    const list = JSON.parse(out.text) as InterfaceJson[];
    expect(list.map((i) => i.name)).toEqual(['eth0', 'any', 'lo', 'nflog']);
    expect(list[0]).toEqual({
      name: 'eth0',
      description: '',
      addresses: [
        { addr: '192.0.2.2', netmask: '255.255.255.0', prefix: 24 },
        { addr: 'fd00::2', netmask: 'ffff:ffff:ffff:ffff::', prefix: 64 },
      ],
      flags: ['up'],
      isDefault: true,
    });
    expect(list.filter((i) => i.isDefault)).toHaveLength(1);
    expect(list[2]!.flags).toEqual(['up', 'loopback']);
  });

  it('without cap: lists the OS interfaces and says once on stderr that live capture needs libpcap-dev', () => {
    const out = sink();
    const err = sink();
    expect(runInterfaces({}, out, { cap: null, os: OS, err })).toBe(0);
    expect(err.text.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err.text).toContain(NO_CAP_NOTE);
    expect(out.text).toContain('* 2.eth0 [up] 192.0.2.2/24 fd00::2/64');
    expect(out.text).toContain('  1.lo [up, loopback] 127.0.0.1/8 ::1/128');
    const json = sink();
    runInterfaces({ json: true }, json, { cap: null, os: OS, err: sink() });
    expect((JSON.parse(json.text) as InterfaceJson[]).map((i) => [i.name, i.isDefault])).toEqual([['lo', false], ['eth0', true]]);
  });

  it('falls back to loopback as default and fails with no interfaces', () => {
    const out = sink();
    runInterfaces({}, out, { cap: null, os: { lo: OS.lo }, err: sink() });
    expect(out.text).toBe('* 1.lo [up, loopback] 127.0.0.1/8 ::1/128\n(* = default capture interface: lo)\n');
    const err = sink();
    expect(runInterfaces({}, sink(), { cap: capWith([]), os: {}, err })).toBe(1);
    expect(err.text).toBe('wiretop: no capture interfaces found\n');
  });

  it('escapes control characters in names and descriptions', () => {
    const text = formatInterfaces([{ name: 'ev\u001b[2Jil', description: 'x\u0007', addresses: [], flags: [] }], null);
    expect(text).not.toMatch(/[\u0000-\u0008\u001b]/);
    expect(text).toContain('ev\\x1b[2Jil');
  });

  it('computes prefix lengths of IPv4 and IPv6 masks', () => {
    const grid: [string, number | null][] = [
      ['255.255.255.0', 24],
      ['255.0.0.0', 8],
      ['0.0.0.0', 0],
      ['255.255.255.255', 32],
      ['255.255.254.0', 23],
      ['255.0.255.0', null],
      ['', null],
      ['ffff:ffff:ffff:ffff::', 64],
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 128],
      ['ffff:ff80::', 25],
      ['::', 0],
      ['ffff::ffff', null],
    ];
    expect(grid.map(([m]) => [m, prefixLength(m)])).toEqual(grid);
  });

  it.skipIf(!capAvailable())('lists lo from the real libpcap', () => {
    const out = sink();
    expect(runInterfaces({ json: true }, out, { err: sink() })).toBe(0);
    const lo = (JSON.parse(out.text) as InterfaceJson[]).find((i) => i.name === 'lo');
    expect(lo?.flags).toContain('loopback');
    expect(lo?.addresses.some((a) => a.addr === '127.0.0.1' && a.prefix === 8)).toBe(true);
  });
});
