import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError, registerField, validateFilter } from '../../src/filter/index.js';

registerField({ name: 'ptest.host', type: 'string', proto: 'ptest', app: true, getter: (_p, out) => ((out.strs[0] = 'www.Example.com'), 1) });
import type { DecodedPacket } from '../../src/decode/packet.js';
import { ipPacket } from './packets.js';

const m = (f: string, p: DecodedPacket): boolean => compileFilter(f).match(p);
const udp = ipPacket({ proto: 'udp', dport: 9 });
const tcp80 = ipPacket({ dport: 80 });

describe('grammar', () => {
  it('accepts every spelling of and/or/not', () => {
    for (const f of ['tcp && frame', 'tcp and frame', '!udp && frame', 'not udp and frame', 'udp || tcp.port == 80', 'udp or tcp.port == 80']) {
      expect(m(f, tcp80), f).toBe(true);
    }
  });
  it('the empty filter matches everything', () => {
    const f = compileFilter('   ');
    expect(f.match(udp)).toBe(true);
    expect(f.isPcapCompatible).toBe(true);
    expect(f.toBpf()).toBe('');
  });
  it('Wireshark precedence: and binds tighter than or (tshark 4.0.17)', () => {
    // `ip.ttl == 1 or tcp and udp.port == 9`: Wireshark -> ttl==1 or (tcp and ...) -> false for udp
    const a = ipPacket({ proto: 'udp', ttl: 1, dport: 9 });
    expect(m('ip.ttl == 1 or tcp.port == 1 and udp.port == 5', a)).toBe(true);
    expect(m('(ip.ttl == 1 or tcp.port == 1) and udp.port == 5', a)).toBe(false);
  });
  it('libpcap precedence for pure pcap-filter text: and/or equal, left to right (tcpdump 4.99)', () => {
    // udp or tcp and port 53 == (udp or tcp) and port 53
    expect(m('udp or tcp and port 53', udp)).toBe(false);
    expect(m('udp or (tcp and port 53)', udp)).toBe(true);
    expect(compileFilter('udp or tcp and port 53').toBpf()).toBe('(udp or tcp) and port 53');
    // the same words with one Wireshark field switch to Wireshark precedence
    expect(m('udp or tcp and udp.port == 53', udp)).toBe(true);
  });
  it('not binds tightest in both', () => {
    expect(m('not udp and tcp', tcp80)).toBe(true);
    expect(m('not udp or tcp', udp)).toBe(false);
    expect(m('!udp.port == 9 || tcp', udp)).toBe(false);
    expect(m('not not udp', udp)).toBe(true);
  });
  it('isPcapCompatible and toBpf', () => {
    const cases: [string, string | null][] = [
      ['host 10.0.0.5 and port 53', 'host 10.0.0.5 and port 53'],
      ['tcp port 80 || udp port 53', 'tcp port 80 or udp port 53'],
      ['!(host 1.2.3.4)', 'not host 1.2.3.4'],
      ['net 10.0.0.0 mask 255.0.0.0 and not arp', 'net 10.0.0.0 mask 255.0.0.0 and not arp'],
      ['vlan 10 and ip6', 'vlan 10 and ip6'],
      ['ether src 00:11:22:33:44:55', 'ether src host 00:11:22:33:44:55'],
      ['tcp', 'tcp'],
      ['host 10.0.0.5 && dns', null],
      ['ip.addr == 10.0.0.5', null],
      ['tcp.port == 80 and tcp', null],
    ];
    for (const [text, bpf] of cases) {
      const f = compileFilter(text);
      expect(f.toBpf(), text).toBe(bpf);
      expect(f.isPcapCompatible, text).toBe(bpf !== null);
    }
  });
  it('host 10.0.0.5 && dns is valid and needs application fields', () => {
    const f = compileFilter('host 10.0.0.5 && dns');
    expect(f.usesAppFields).toBe(true);
    expect(f.isPcapCompatible).toBe(false);
    expect(compileFilter('host 10.0.0.5').usesAppFields).toBe(false);
  });
  it('strings, escapes and matches', () => {
    expect(() => compileFilter('frame.len == 1 && "x"')).toThrow(FilterError);
    expect(validateFilter('eth.src == "a\\x41"').ok).toBe(false);
  });
});

function err(text: string): FilterError {
  try {
    compileFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    return e as FilterError;
  }
  throw new Error(`no error for ${text}`);
}

describe('errors a person can act on', () => {
  it('unknown field with the nearest names', () => {
    const e = err('ip.sorc == 1.2.3.4');
    expect(e.message).toMatch(/unknown field or protocol "ip\.sorc".*did you mean ip\.src/);
    expect(e.column).toBe(1);
    expect(err('tcp && tcp.prot == 80').message).toMatch(/did you mean tcp\.port/);
    expect(err('tcp && tcp.prot == 80').column).toBe(8);
    expect(err('hots 10.0.0.1').message).toMatch(/did you mean host/);
  });
  it('wrong value type', () => {
    expect(err('ip.src == "10.0.0.1"').message).toMatch(/ip\.src expects an IPv4 address/);
    expect(err('ip.src == "10.0.0.1"').column).toBe(11);
    expect(err('ip.src == www.example.com').message).toMatch(/not an address/);
    expect(err('tcp.port == http').message).toMatch(/tcp\.port expects an unsigned integer/);
    expect(err('eth.src == 1.2.3.4').message).toMatch(/MAC address/);
    expect(err('ip.ttl == 300').message).toMatch(/too big for ip\.ttl, maximum 255/);
    expect(err('tcp.port == -1').message).toMatch(/negative/);
    expect(err('ip.src contains 1').message).toMatch(/contains cannot be used with ip\.src/);
    expect(err('tcp.port matches "8."').message).toMatch(/matches cannot be used/);
  });
  it('bad CIDR', () => {
    const e = err('ip.addr == 10.0.0.0/33');
    expect(e.message).toMatch(/bad CIDR 10\.0\.0\.0\/33: the prefix length must be 0\.\.32/);
    expect(e.column).toBe(21); // the prefix length
    expect(err('ipv6.addr == fe80::/129').message).toMatch(/0\.\.128/);
    expect(err('net 10.0.0.1/8').message).toMatch(/non-network bits/);
    expect(err('net 10.0.0.0/40').message).toMatch(/bad CIDR/);
    expect(err('ip.addr == 300.1.1.1').message).toMatch(/not a valid IPv4 address/);
  });
  it('unbalanced parentheses and braces', () => {
    const open = err('(tcp and (udp or arp)');
    expect(open.message).toMatch(/unbalanced parenthesis: the '\(' at column 1 is never closed/);
    const close = err('tcp and udp)');
    expect(close.message).toMatch(/unbalanced parenthesis: this '\)' has no matching '\('/);
    expect(close.column).toBe(12);
    expect(err('tcp.port in {80, 443').message).toMatch(/unbalanced brace/);
    expect(err('()').message).toMatch(/empty parentheses/);
  });
  it('trailing garbage and missing pieces', () => {
    const t = err('tcp.port == 80 80');
    expect(t.message).toMatch(/unexpected "80": expected "and", "or" or the end of the filter/);
    expect(t.column).toBe(16);
    expect(err('tcp and').message).toMatch(/ends after "and"/);
    expect(err('and tcp').message).toMatch(/needs a test before it/);
    expect(err('tcp.port ==').message).toMatch(/expected a value after "=="/);
    expect(err('tcp.port = 80').message).toMatch(/use ==/);
    expect(err('tcp.port in 80').message).toMatch(/needs a set in braces/);
    expect(err('tcp.port in {}').message).toMatch(/empty set/);
    expect(err('tcp.port in {1..}').message).toMatch(/range needs an end/);
    expect(err('10.0.0.5').message).toMatch(/is a value, not a test: write ip\.addr == 10\.0\.0\.5 or host 10\.0\.0\.5/);
    expect(err('frame.len == 1 @').message).toMatch(/unexpected character '@'/);
    expect(err('eth.src[0:3] == 00:11:22').message).toMatch(/slices/);
    expect(err('ptest.host matches "(["').message).toMatch(/bad regular expression/);
    expect(err('ptest.host == "abc').message).toMatch(/unterminated string/);
    expect(err('ptest.host matches www').message).toMatch(/matches needs a quoted regular expression/);
  });
  it('pcap-filter mistakes', () => {
    expect(err('host').message).toMatch(/"host" needs an address/);
    expect(err('port 70000').message).toMatch(/out of range/);
    expect(err('port nosuchservice').message).toMatch(/unknown port/);
    expect(err('tcp host 1.2.3.4').message).toMatch(/"tcp" cannot qualify host/);
    expect(err('host www.example.com').message).toMatch(/host names are not resolved/);
    expect(err('portrange 10').message).toMatch(/bad port range/);
    expect(err('vlan 5000').message).toMatch(/0\.\.4095/);
    expect(err('net 10.0.0.0 mask 255.0.x.0').message).toMatch(/bad netmask/);
    expect(err('ether').message).toMatch(/"ether" must be followed/);
    expect(err('ip6 host 10.0.0.1').message).toMatch(/needs an IPv6 address/);
  });
  it('limits: length and depth', () => {
    expect(err('('.repeat(100) + 'tcp' + ')'.repeat(100)).message).toMatch(/nested too deeply/);
    expect(err('!'.repeat(100) + 'tcp').message).toMatch(/nested too deeply/);
    expect(err('tcp or '.repeat(1000) + 'tcp').message).toMatch(/too long/);
    expect(compileFilter('('.repeat(30) + 'tcp' + ')'.repeat(30)).match(tcp80)).toBe(true);
  });
  it('validateFilter reports the same error without throwing', () => {
    expect(validateFilter('tcp.port == 80')).toEqual({ ok: true });
    expect(validateFilter('ip.sorc == 1.2.3.4')).toMatchObject({ ok: false, column: 1, offset: 0 });
    const v = validateFilter('tcp and udp)');
    expect(v.ok === false && v.column).toBe(12);
  });
});

describe('capture-path helpers', () => {
  it('explainNotPcap says plainly why libpcap cannot take a filter', async () => {
    const { explainNotPcap } = await import('../../src/filter/index.js');
    expect(explainNotPcap(compileFilter('tcp port 80'))).toBeNull();
    expect(explainNotPcap(compileFilter('tcp.port == 80'))).toMatch(/Wireshark display-filter syntax, which libpcap cannot compile/);
  });
  it('resetFilterContext restarts relative time and sequence numbers', async () => {
    const { resetFilterContext } = await import('../../src/filter/index.js');
    const f = compileFilter('frame.time_relative == 0 && tcp.seq == 1');
    expect(f.match(ipPacket({ tsSec: 5, seq: 100, flags: 0x10 }))).toBe(true);
    expect(f.match(ipPacket({ tsSec: 6, seq: 100, flags: 0x10 }))).toBe(false);
    resetFilterContext(f.ctx);
    expect(f.match(ipPacket({ tsSec: 6, seq: 500, flags: 0x10 }))).toBe(true);
  });
});
