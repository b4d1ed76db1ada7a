import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { dissectPacket } from '../../src/dissect/dissect.js';
import { packetInfoLine } from '../../src/dissect/info.js';
import { haveTool } from '../filter/oracle.js';

async function infos(file: string): Promise<string[]> {
  const d = new Decoder();
  const p = new DecodedPacket();
  const out: string[] = [];
  await openFileSource({ path: file }).start((r) => {
    d.decode(r, p);
    out.push(packetInfoLine(p, dissectPacket(p)));
  });
  return out;
}

describe('ARP in the Info column', () => {
  it.skipIf(!haveTool('tshark'))("reads as tshark's: Who has B? Tell A / A is at MAC / Gratuitous ARP for A", async () => {
    const want = execFileSync('tshark', ['-r', 'fixtures/arp.pcap', '-T', 'fields', '-e', '_ws.col.Info'], { encoding: 'utf8' }).trim().split('\n');
    expect(want.length).toBeGreaterThan(1);
    expect(await infos('fixtures/arp.pcap')).toEqual(want);
  });
});
