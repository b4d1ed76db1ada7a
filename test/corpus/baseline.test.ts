import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { BaselineMonitor } from '../../src/baseline/monitor.js';
import { runBaseline } from '../../src/cli/baseline.js';

const PCAPS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'pcaps');
const have = existsSync(PCAPS);

async function monitorFile(path: string): Promise<BaselineMonitor> {
  const m = new BaselineMonitor({});
  const dec = new Decoder();
  const p = new DecodedPacket();
  await openFileSource({ path }).start((r) => {
    dec.decode(r, p);
    m.onPacket(p, -1);
  });
  m.finish();
  return m;
}

describe.skipIf(!have)('baseline detectors on real captures', () => {
  it('names the scanner of a SYN scan of ~1000 ports', async () => {
    const m = await monitorFile(join(PCAPS, 'real', 'portscan_tcp_syn.pcapng'));
    const scans = m.alerts().filter((a) => a.kind === 'port-scan');
    expect(scans.map((a) => a.subject)).toEqual(['172.16.0.8']);
    expect(scans[0]!.observed).toBeGreaterThan(500);
    expect(scans[0]!.message).toMatch(/^172\.16\.0\.8 tried about [\d,]+ distinct ports on 64\.13\.134\.52 in \d+ s; the built-in limit is 64$/);
    expect(m.alerts().filter((a) => a.kind === 'syn-flood')).toEqual([]);
  });

  it('names the host behind an ARP sweep', async () => {
    const m = await monitorFile(join(PCAPS, 'real', 'arp_sweep_nmap.pcap'));
    const sweep = m.alerts().find((a) => a.kind === 'host-sweep');
    expect(sweep?.subject).toBe('192.168.1.71');
    expect(sweep!.message).toMatch(/with ARP requests/);
  });

  it('raises nothing on ordinary browsing', async () => {
    const m = await monitorFile(join(PCAPS, 'real', 'eth_mixed_wikipedia_browse.pcap'));
    expect(m.reportAlerts()).toEqual([]);
  });

  it('`wiretop baseline check` prints the scan as one line', async () => {
    let out = '';
    let err = '';
    const code = await runBaseline(['check', '-r', join(PCAPS, 'real', 'portscan_tcp_syn.pcapng')], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^(high|critical) +port-scan +172\.16\.0\.8 tried/);
  });
});
