/**
 * Alerts in the dashboard from the detectors' own thread (dist/baseline/thread): run as users
 * run it, `node bin/wiretop.js` in tmux on a capture with a port scan.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, test } from 'vitest';
import { writeAnomalyPcap } from '../../src/fixtures-gen/anomalies/generate.js';
import { INJECTION_SUBJECT } from '../../src/fixtures-gen/anomalies/injections.js';
import { hasTmux, isAtPrompt, Tmux } from './tmux.js';

const ROOT = resolve(import.meta.dirname, '../..');
const tmux = new Tmux(`wiretop-e2e-alerts-${process.pid}`);

describe.skipIf(!hasTmux())('dashboard alerts in tmux', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wiretop-e2e-alerts-'));
  afterAll(() => {
    tmux.kill();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  test('a port scan in the file shows as an alert naming the scanner', async () => {
    const pcap = join(dir, 'scan.pcap');
    writeAnomalyPcap(pcap, { seed: 3, durationSec: 300, hosts: 5, injections: [{ kind: 'port-scan', atSec: 20 }] });
    const s = 'alerts';
    tmux.start(s, 120, 40, ROOT, { XDG_CONFIG_HOME: dir, HOME: dir });
    await tmux.waitFor(s, isAtPrompt, 'prompt');
    tmux.type(s, `node bin/wiretop.js -r ${pcap} --speed max`);
    tmux.keys(s, 'Enter');
    await tmux.waitFor(s, (x) => x.includes('end of capture'), 'end of capture');
    tmux.type(s, 'a');
    const scanner = INJECTION_SUBJECT['port-scan'];
    await tmux.waitFor(s, (x) => x.includes('Alerts:') && x.includes('port-scan') && x.includes(scanner), 'the port-scan alert');
    tmux.type(s, 'q');
    await tmux.waitFor(s, (x) => isAtPrompt(x) && !x.includes('Alerts:'), 'prompt after q');
  }, 60_000);
});
