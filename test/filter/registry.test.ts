import { describe, expect, it } from 'vitest';
import { compileFilter, createFilterContext, fieldNames, lookupField, protocolNames, registerField, registerProtocol, type FieldValues } from '../../src/filter/index.js';
import { ProtoPaths } from '../../src/decode/proto-paths.js';
import { Proto } from '../../src/decode/protocols.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import { ipPacket } from './packets.js';

// A fake application layer: the packet's TTL decides what the "dissector" finds.
let calls = 0;
const names = ['www.example.com', 'mail.example.org', 'WIKI.example.net'];
registerField({
  name: 'xapp.qry.name',
  type: 'string',
  proto: 'xapp',
  app: true,
  getter: (p: DecodedPacket, out: FieldValues) => {
    calls++;
    if (p.ipTtl === 0) return 0;
    out.strs[0] = names[p.ipTtl % 3]!;
    out.strs[1] = 'second.example';
    return 2;
  },
});
registerField({ name: 'xapp.code', type: 'uint', proto: 'xapp', app: true, max: 999, getter: (p, out) => ((out.nums[0] = p.ipTtl * 10), 1) });
registerField({ name: 'xapp.flag', type: 'bool', proto: 'xapp', app: true, getter: (p, out) => ((out.nums[0] = p.ipTtl & 1), 1) });
registerField({ name: 'xapp.client', type: 'ipv4', proto: 'xapp', app: true, getter: (p, out) => ((out.nums[0] = p.ip4Src), 1) });
registerField({
  name: 'xapp.raw',
  type: 'bytes',
  proto: 'xapp',
  app: true,
  getter: (p, out) => {
    out.bytes[0] = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x41]);
    out.offs[0] = 0;
    out.lens[0] = 5;
    return 1;
  },
});

describe('field registry', () => {
  const p1 = ipPacket({ ttl: 1 });
  const p2 = ipPacket({ ttl: 2 });
  it('registered fields join the language and completion', () => {
    expect(fieldNames()).toContain('xapp.qry.name');
    expect(protocolNames()).toContain('xapp');
    expect(lookupField('xapp.code')?.app).toBe(true);
  });
  it('string operators', () => {
    const m = (f: string, p: DecodedPacket): boolean => compileFilter(f).match(p);
    expect(m('xapp.qry.name == "mail.example.org"', p1)).toBe(true);
    expect(m('xapp.qry.name == mail.example.org', p1)).toBe(true);
    expect(m('xapp.qry.name contains "example.org"', p1)).toBe(true);
    expect(m('xapp.qry.name contains "EXAMPLE"', p1)).toBe(false);
    // Wireshark 4.0: matches is case-insensitive unless (?-i)
    expect(m('xapp.qry.name matches "^wiki\\\\."', p2)).toBe(true);
    expect(m('xapp.qry.name matches "(?i)^wiki"', p2)).toBe(true);
    expect(m('xapp.qry.name matches "(?-i)^wiki"', p2)).toBe(false);
    expect(m('xapp.qry.name ~ "second"', p2)).toBe(true);
    expect(m('xapp.qry.name in {"a", "second.example"}', p2)).toBe(true);
    expect(m('xapp.qry.name != "second.example"', p2)).toBe(false);
    expect(m('xapp.qry.name > "m"', p1)).toBe(true);
  });
  it('numbers, booleans, addresses and bytes from app getters', () => {
    const m = (f: string, p: DecodedPacket): boolean => compileFilter(f).match(p);
    expect(m('xapp.code == 10', p1)).toBe(true);
    expect(m('xapp.code in {15..25}', p2)).toBe(true);
    expect(() => compileFilter('xapp.code == 1000')).toThrow(/maximum 999/);
    expect(m('xapp.flag == 1', p1)).toBe(true);
    expect(m('xapp.flag == 0', p2)).toBe(true);
    expect(m('xapp.client == 10.0.0.0/8', p1)).toBe(true);
    expect(m('xapp.raw == de:ad:be:ef:41', p1)).toBe(true);
    expect(m('xapp.raw contains be:ef', p1)).toBe(true);
    expect(m('xapp.raw contains "A"', p1)).toBe(true);
    expect(m('xapp.raw matches "\\\\xef"', p1)).toBe(true);
  });
  it('usesAppFields, and getters run only when the expression reaches them', () => {
    const f = compileFilter('tcp.port == 1 && xapp.qry.name contains "x"');
    expect(f.usesAppFields).toBe(true);
    expect(compileFilter('tcp.port == 1').usesAppFields).toBe(false);
    calls = 0;
    f.match(ipPacket({ dport: 80 }));
    expect(calls).toBe(0);
    compileFilter('tcp.port == 80').match(ipPacket({ dport: 80 }));
    expect(calls).toBe(0);
    f.match(ipPacket({ sport: 1, ttl: 1 }));
    expect(calls).toBe(1);
  });
  it('application protocol names test the decoder path, or a registered hook', () => {
    const paths = new ProtoPaths();
    const ctx = createFilterContext({ paths });
    const f = compileFilter('dns', ctx);
    expect(f.usesAppFields).toBe(true);
    const p = ipPacket({ proto: 'udp', dport: 53 });
    const udpPath = paths.child(paths.child(paths.child(0, Proto.Eth), Proto.IPv4), Proto.Udp);
    p.pathId = udpPath;
    expect(f.match(p)).toBe(false);
    p.pathId = paths.child(udpPath, Proto.Dns);
    expect(f.match(p)).toBe(true);
    expect(compileFilter('dns').match(p)).toBe(false); // no paths in the context
    registerProtocol({ name: 'xhook', app: true, test: (q) => q.dstPort === 53 });
    expect(compileFilter('xhook').match(p)).toBe(true);
    expect(compileFilter('xhook').usesAppFields).toBe(true);
  });
  it('registering again replaces the field', () => {
    registerField({ name: 'xapp.code2', type: 'uint', proto: 'xapp', getter: (_p, out) => ((out.nums[0] = 1), 1) });
    registerField({ name: 'xapp.code2', type: 'uint', proto: 'xapp', getter: (_p, out) => ((out.nums[0] = 2), 1) });
    expect(compileFilter('xapp.code2 == 2').match(ipPacket())).toBe(true);
    expect(() => registerField({ name: 'bad name', type: 'uint', proto: 'x', getter: () => 0 })).toThrow();
  });
});

describe('misbehaving getters', () => {
  it('a throwing app getter or an excessive count cannot break match()', () => {
    registerField({ name: 'xbad.throws', type: 'string', proto: 'xbad', app: true, getter: () => { throw new Error('dissector bug'); } });
    registerField({ name: 'xbad.many', type: 'string', proto: 'xbad', app: true, getter: (_p, out) => { out.strs.fill('x'); return 1e6; } });
    expect(compileFilter('xbad.throws == "a"').match(ipPacket())).toBe(false);
    expect(compileFilter('xbad.many == "x"').match(ipPacket())).toBe(true);
    expect(compileFilter('xbad.many != "y"').match(ipPacket())).toBe(true);
  });
});
