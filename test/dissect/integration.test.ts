import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { openFileSource } from '../../src/capture/file-source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { Engine } from '../../src/engine/engine.js';
import { compileFilter } from '../../src/filter/index.js';
import { registerAppFields } from '../../src/dissect/register-fields.js';
import { APP_FIELDS } from '../../src/dissect/fields.js';
import { setupDissection } from '../../src/dissect/setup.js';
import { parseByteSize } from '../../src/streams/options.js';
import { packetTree } from '../../src/dissect/tree.js';
import { dissectPacket } from '../../src/dissect/dissect.js';
import { packetInfoLine } from '../../src/dissect/info.js';

const have = (f: string): boolean => existsSync(`fixtures/${f}`);

async function each(file: string, fn: (p: DecodedPacket) => void): Promise<void> {
  const d = new Decoder();
  const p = new DecodedPacket();
  await openFileSource({ path: `fixtures/${file}` }).start((r) => {
    d.decode(r, p);
    fn(p);
  });
}

async function count(file: string, filter: string): Promise<number> {
  registerAppFields();
  const f = compileFilter(filter);
  let n = 0;
  await each(file, (p) => {
    if (f.match(p)) n++;
  });
  return n;
}

describe.skipIf(!have('dns.pcap'))('application fields in display filters (counts from tshark 4.0 -Y)', () => {
  it('registers every APP_FIELDS name with Wireshark naming', () => {
    registerAppFields();
    const names = APP_FIELDS.map((f) => f.name);
    for (const n of ['dns.qry.name', 'dns.qry.type', 'dns.flags.response', 'dns.flags.rcode', 'dns.a', 'http.request.method',
      'http.request.uri', 'http.host', 'http.user_agent', 'http.response.code', 'tls.handshake.type',
      'tls.handshake.extensions_server_name', 'tls.handshake.ja3', 'tls.handshake.ja4', 'ssh.protocol', 'dhcp.option.hostname', 'ntp.stratum']) {
      expect(names).toContain(n);
    }
    expect(compileFilter('dns.qry.name == "x"').usesAppFields).toBe(true);
  });

  it('dns fields', async () => {
    expect(await count('dns.pcap', 'dns.qry.name == "example.com"')).toBe(2);
    expect(await count('dns.pcap', 'dns.flags.rcode == 3')).toBe(1);
    expect(await count('dns.pcap', 'dns.a == 93.184.216.34')).toBe(1);
    expect(await count('dns.pcap', 'dns.flags.response == 1 && dns.qry.name == "www.example.com"')).toBe(2);
  });

  it.skipIf(!have('http.pcap'))('http fields, including port 8080', async () => {
    expect(await count('http.pcap', 'http.request.method == "GET"')).toBe(2);
    expect(await count('http.pcap', 'http.response.code == 404')).toBe(1);
  });

  it.skipIf(!have('tls-sni.pcap'))('tls SNI and the bare protocol name', async () => {
    expect(await count('tls-sni.pcap', 'tls.handshake.extensions_server_name == "api.github.com"')).toBe(1);
    expect(await count('tls-sni.pcap', 'tls.handshake.type == 1')).toBe(4);
    expect(await count('tls-sni.pcap', 'tls.handshake.ja4 contains "t1"')).toBe(4);
  });
});

describe.skipIf(!have('tls-sni.pcap'))('engine observers', () => {
  it('classifies flows, keeps a detail, reassembles streams', async () => {
    const e = new Engine({ rates: false, idleTimeoutSec: 0 });
    const d = setupDissection(e, { classifyPackets: false });
    await openFileSource({ path: 'fixtures/tls-sni.pcap' }).start((r) => e.ingest(r));
    const slots: number[] = [];
    for (let s = 0; s < 64; s++) if (d.classifier.protoOf(s) === Proto.Tls) slots.push(s);
    expect(slots.length).toBeGreaterThanOrEqual(4);
    expect(slots.map((s) => d.classifier.detailOf(s))).toContain('api.github.com');
    expect(d.streams.tcpCount).toBeGreaterThanOrEqual(4);
    d.detach();
  });

  it.skipIf(!have('http.pcap'))('HTTP on 8080 is found by its bytes', async () => {
    const e = new Engine({ rates: false, idleTimeoutSec: 0 });
    const d = setupDissection(e, { classifyPackets: false });
    await openFileSource({ path: 'fixtures/http.pcap' }).start((r) => e.ingest(r));
    const protos = new Set<number>();
    for (let s = 0; s < 64; s++) protos.add(d.classifier.protoOf(s));
    expect(protos.has(Proto.Http)).toBe(true);
  });
});

describe.skipIf(!have('demo.pcap'))('tree and info on every demo packet', () => {
  it.each([['demo.pcap', 4, 1000], ['hostile.pcap', 1, 10]] as const)('%s: field offsets stay inside the frame; info lines are terminal-safe', async (file, every, min) => {
    if (!have(file)) return;
    let n = 0;
    const bad: string[] = [];
    const unsafe = /[\x00-\x1f\x7f-\x9f]/;
    await each(file, (p) => {
      if (n++ % every !== 0) return;
      const a = dissectPacket(p);
      const walk = (nodes: ReturnType<typeof packetTree>): void => {
        for (const x of nodes) {
          // +2: a DNS-over-TCP length prefix without its message
          if (x.off >= 0 && x.off + x.len > p.capLen + 2) bad.push(`#${n} ${x.label} ${x.off}+${x.len} > ${p.capLen}`);
          if (unsafe.test(x.label)) bad.push(`#${n} label ${JSON.stringify(x.label)}`);
          if (x.children) walk(x.children);
        }
      };
      walk(packetTree(p, a));
      const info = packetInfoLine(p, a);
      if (unsafe.test(info)) bad.push(`#${n} info ${JSON.stringify(info)}`);
    });
    expect(bad.slice(0, 5)).toEqual([]);
    expect(n).toBeGreaterThan(min);
  });
});

describe('parseByteSize', () => {
  it('units', () => {
    expect(parseByteSize('1M')).toBe(1 << 20);
    expect(parseByteSize('512K')).toBe(512 * 1024);
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('0')).toBeNull();
    expect(parseByteSize('lots')).toBeNull();
  });
});
