import { describe, expect, it } from 'vitest';
import dnsPacket from 'dns-packet';
import { dissectDns, dnsFirstName, dnsInfoLine, looksLikeDns } from '../../src/dissect/dns.js';

// dns-packet's encoder (not in our .d.ts) builds well-formed messages for the tests.
const enc = (dnsPacket as unknown as { encode(p: unknown): Buffer }).encode;

describe('DNS', () => {
  it('query: id, flags, question name and type, info line', () => {
    const b = enc({ type: 'query', id: 0x1234, flags: 0x0100, questions: [{ type: 'A', name: 'example.com' }] });
    expect(looksLikeDns(b, 0, b.length, false)).toBe(true);
    const d = dissectDns(b, 0, b.length)!;
    expect(d).toMatchObject({ id: 0x1234, isResponse: false, rcode: 0, qdcount: 1 });
    expect(d.questions[0]).toMatchObject({ name: 'example.com', type: 'A', typeCode: 1, off: 12 });
    expect(dnsInfoLine(d)).toBe('Standard query 0x1234 A example.com');
  });

  it('response: answers with TTL and data, rcode', () => {
    const b = enc({
      type: 'response', id: 7, flags: 0x8180 | 3,
      questions: [{ type: 'A', name: 'a.example' }],
      answers: [
        { type: 'CNAME', name: 'a.example', ttl: 60, data: 'b.example' },
        { type: 'A', name: 'b.example', ttl: 300, data: '192.0.2.1' },
        { type: 'AAAA', name: 'b.example', ttl: 300, data: '2001:db8::1' },
      ],
    });
    const d = dissectDns(b, 0, b.length)!;
    expect(d.isResponse).toBe(true);
    expect(d.rcode).toBe(3);
    expect(d.answers.map((a) => [a.type, a.data, a.ttl])).toEqual([
      ['CNAME', 'b.example', 60], ['A', '192.0.2.1', 300], ['AAAA', '2001:db8::1', 300],
    ]);
    expect(dnsInfoLine(d)).toBe('Standard query response 0x0007 No such name A a.example CNAME b.example A 192.0.2.1 AAAA 2001:db8::1');
  });

  it('over TCP with the length prefix', () => {
    const m = enc({ type: 'query', id: 1, questions: [{ type: 'MX', name: 'example.org' }] });
    const b = Buffer.concat([Buffer.from([m.length >> 8, m.length & 0xff]), m]);
    const d = dissectDns(b, 0, b.length, true)!;
    expect(d.questions[0]!.name).toBe('example.org');
    expect(d.questions[0]!.off).toBe(14);
  });

  it('compression pointer loop: error, no hang', () => {
    // Question name is a pointer to itself at offset 12.
    const b = Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    const d = dissectDns(b, 0, b.length)!;
    expect(d.error).toBeDefined();
    expect(d.questions).toHaveLength(0);
    // Two pointers pointing at each other.
    const c = Uint8Array.from([0, 1, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0xc0, 18, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1]);
    expect(dissectDns(c, 0, c.length)!.error).toBeDefined();
  });

  it('counts that overflow the message keep what decoded', () => {
    const m = enc({ type: 'query', id: 2, questions: [{ type: 'A', name: 'x.example' }] });
    m.writeUInt16BE(65535, 4);
    m.writeUInt16BE(65535, 6);
    const d = dissectDns(m, 0, m.length)!;
    expect(d.questions[0]!.name).toBe('x.example');
    expect(d.error).toBeDefined();
  });

  it('short or odd input', () => {
    expect(dissectDns(new Uint8Array(5), 0, 5)).toBeNull();
    expect(dissectDns(new Uint8Array(20), 18, 10)).toBeNull();
    const b = new Uint8Array(12);
    expect(dissectDns(b, 0, 12)!.questions).toEqual([]);
  });

  it('root name shows as <Root>', () => {
    const b = enc({ type: 'query', id: 3, questions: [{ type: 'NS', name: '.' }] });
    expect(dissectDns(b, 0, b.length)!.questions[0]!.name).toBe('<Root>');
  });

  it('control bytes in names are escaped in the info line', () => {
    const b = Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 0x1b, 0x5b, 0x32, 0x4a, 0, 0, 1, 0, 1]);
    const d = dissectDns(b, 0, b.length)!;
    expect(d.questions[0]!.name).toBe('\x1b[2J');
    expect(dnsInfoLine(d)).not.toMatch(/\x1b/);
  });
});

describe('DNS over TCP streams', () => {
  it('splits a reassembled direction into messages', async () => {
    const { dnsTcpMessages } = await import('../../src/dissect/dns.js');
    const a = enc({ type: 'query', id: 1, questions: [{ type: 'A', name: 'one.example' }] });
    const b = enc({ type: 'query', id: 2, questions: [{ type: 'A', name: 'two.example' }] });
    const pre = (m: Buffer): Buffer => Buffer.concat([Buffer.from([m.length >> 8, m.length & 0xff]), m]);
    const s = Buffer.concat([pre(a), pre(b), Buffer.from([0, 40, 1])]);
    expect(dnsTcpMessages(s).map((d) => d.questions[0]!.name)).toEqual(['one.example', 'two.example']);
  });

  it('dnsFirstName gives what dissectDns gives as the first question name, also on odd and broken messages', () => {
    const msgs: Uint8Array[] = [
      enc({ type: 'query', id: 1, questions: [{ type: 'A', name: 'example.com' }] }),
      enc({ type: 'query', id: 2, questions: [{ type: 'A', name: '.' }] }),
      enc({ type: 'query', id: 3, questions: [{ type: 'A', name: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}` }] }),
      enc({ type: 'response', id: 4, questions: [{ type: 'A', name: 'x.example' }], answers: [{ type: 'A', name: 'x.example', data: '192.0.2.1' }] }),
      enc({ type: 'query', id: 5, questions: [] }),
      enc({ type: 'query', id: 6, questions: [{ type: 'A', name: 'caf\u00e9.example' }] }),
    ];
    // A compression pointer back into the header, and random mutations of each message.
    msgs.push(Uint8Array.from([0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x02, 0, 1, 0, 1]));
    let seed = 7;
    const rnd = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (const m of msgs.slice()) {
      for (let i = 0; i < 200; i++) {
        const c = Uint8Array.from(m);
        c[12 + rnd(Math.max(1, c.length - 12))] = rnd(256);
        msgs.push(c.subarray(0, c.length - rnd(4)));
      }
    }
    for (const m of msgs) {
      for (const tcp of [false, true]) {
        const b = tcp ? Uint8Array.from([m.length >> 8, m.length & 0xff, ...m]) : m;
        expect(dnsFirstName(b, 0, b.length, tcp)).toBe(dissectDns(b, 0, b.length, tcp)?.questions[0]?.name);
      }
    }
  });
});
