import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openFileSource } from '../../../src/capture/file-source.js';
import { PacketRing, RingKey } from '../../../src/capture/packet-ring.js';
import { Engine } from '../../../src/engine/engine.js';
import type { Snapshot } from '../../../src/engine/snapshot.js';
import { conversationTarget, defaultExportPath } from '../../../src/ui/export/export-target.js';
import { exportTargetPcap, ringReach } from '../../../src/ui/store/export-pcap.js';

const DEMO = resolve(__dirname, '../../../fixtures/demo.pcap');
const hasTshark = (() => {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function tsharkCount(path: string, filter?: string): number {
  const args = ['-n', '-r', path, ...(filter ? ['-Y', filter] : [])];
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

/** The demo capture through an Engine, keeping every packet in a ring keyed as Runtime does. */
async function load(): Promise<{ ring: PacketRing; snap: Snapshot }> {
  const engine = new Engine();
  const ring = new PacketRing({ bytes: 64 << 20 });
  const k = new RingKey();
  let frame = 0;
  await openFileSource({ path: DEMO }).start((r) => {
    engine.ingest(r);
    const p = engine.packet;
    k.clear();
    if (p.l3 === 4) k.setIp4(p.ip4Src, p.ip4Dst);
    else if (p.l3 === 6) k.setIp6(p.ip6Src, p.ip6Dst);
    k.proto = p.ipProto > 0 ? p.ipProto : 0;
    k.srcPort = p.srcPort > 0 ? p.srcPort : 0;
    k.dstPort = p.dstPort > 0 ? p.dstPort : 0;
    k.tag = ++frame;
    ring.append(r, k);
  });
  return { ring, snap: engine.snapshot() };
}

describe('W: exporting a selection from the ring', () => {
  let dir: string;
  let ring: PacketRing;
  let snap: Snapshot;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wiretop-export-'));
    ({ ring, snap } = await load());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.skipIf(!hasTshark)('a host: tshark reads back exactly the packets written, the same as its own ip.addr filter', () => {
    const host = snap.hosts[0]!;
    const path = join(dir, defaultExportPath({ kind: 'host', addr: host.addr }, snap.time));
    const r = exportTargetPcap(ring, { kind: 'host', addr: host.addr }, path);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.packets).toBeGreaterThan(0);
    expect(tsharkCount(path)).toBe(r.packets);
    const field = host.addr.includes(':') ? 'ipv6.addr' : 'ip.addr';
    expect(tsharkCount(DEMO, `${field} == ${host.addr}`)).toBe(r.packets);
  });

  test.skipIf(!hasTshark)('a conversation: its 5-tuple, both directions', () => {
    const c = snap.conversations.find((x) => x.proto === 'tcp' && x.aPort !== null)!;
    const path = join(dir, 'conv.pcap');
    const r = exportTargetPcap(ring, conversationTarget(c), path);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.packets).toBe(c.aToBPackets + c.bToAPackets);
    expect(tsharkCount(path)).toBe(r.packets);
    expect(tsharkCount(DEMO, `ip.addr == ${c.a} && ip.addr == ${c.b} && tcp.port == ${c.aPort} && tcp.port == ${c.bPort}`)).toBe(r.packets);
  });

  test('an existing file is refused unless overwriting is confirmed', () => {
    const path = join(dir, 'taken.pcap');
    writeFileSync(path, 'keep me');
    const target = { kind: 'host', addr: snap.hosts[0]!.addr } as const;
    const r = exportTargetPcap(ring, target, path);
    expect(r).toEqual({ ok: false, exists: true, message: `${path} exists` });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    const again = exportTargetPcap(ring, target, path, { overwrite: true });
    expect(again.ok).toBe(true);
    expect(readFileSync(path).length).toBeGreaterThan(24);
  });

  test('errors come back as one line; the reach of the ring is described', () => {
    const r = exportTargetPcap(ring, { kind: 'host', addr: '10.0.0.1' }, join(dir, 'no/such/dir/x.pcap'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/ENOENT/);
    expect(existsSync(join(dir, 'no'))).toBe(false);
    expect(ringReach(ring)).toMatch(/^ring holds the last \S+, [\d,]+ packets: everything since the start$/);
    const small = new PacketRing({ bytes: 4096 });
    ring.scan((m, data) => {
      const rec = { buf: data, off: 0, capLen: m.capLen, origLen: m.origLen, linkType: m.linkType, ifIndex: 0, tsSec: m.tsSec, tsNsec: m.tsNsec };
      small.append(rec as never);
    });
    expect(ringReach(small)).toMatch(/; older packets are not in it$/);
  });

  test('default names carry the address and the capture time (UTC)', () => {
    expect(defaultExportPath({ kind: 'host', addr: '10.0.0.1' }, 1_764_198_192)).toBe('wiretop-10.0.0.1-20251126T230312Z.pcap');
    expect(defaultExportPath({ kind: 'conversation', proto: 'tcp', a: 'fe80::1', aPort: 443, b: '10.0.0.2', bPort: 5000 }, 0))
      .toBe('wiretop-tcp-fe80__1-443-10.0.0.2-5000-19700101T000000Z.pcap');
  });
});
