import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BaselineMonitor } from '../../src/baseline/monitor.js';
import type { MonitorOptions } from '../../src/baseline/monitor-options.js';
import { monitorThreadAvailable, ThreadedMonitor } from '../../src/baseline/thread/threaded-monitor.js';
import { PacketRecord } from '../../src/capture/record.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { generateAnomalyFrames, writeAnomalyPcap } from '../../src/fixtures-gen/anomalies/generate.js';
import { INJECTION_KINDS } from '../../src/fixtures-gen/anomalies/injections.js';
import { arp, ETH, ethernet, ipv6, tcp } from '../../src/fixtures-gen/packet-builder.js';
import type { GenFrame } from '../../src/fixtures-gen/anomalies/frames.js';
import { createCaptureParser } from '../../src/capture/capture-parser.js';
import { gcsDuring } from '../helpers/gc-count.js';

// The compiled worker (npm test builds dist/ first): vitest runs the TypeScript sources, which have none.
const WORKER = new URL('../../dist/baseline/thread/monitor-worker.js', import.meta.url);

type Frame = GenFrame & { linkType?: number };

/** A capture file's packets as frames (copies of their bytes). */
function fileFrames(path: string): Frame[] {
  const parser = createCaptureParser();
  const rec = new PacketRecord();
  const out: Frame[] = [];
  parser.feed(readFileSync(path));
  parser.end();
  while (parser.next(rec)) {
    out.push({ t: rec.tsSec + rec.tsNsec / 1e9, data: rec.buf.slice(rec.off, rec.off + rec.capLen), origLen: rec.origLen, linkType: rec.linkType });
  }
  return out;
}

type Monitor = Pick<BaselineMonitor, 'onPacket' | 'onTick' | 'finish' | 'reportAlerts' | 'status' | 'toBaseline'>;

/** Decode frames into the monitor as the engine does: a tick when the second changes. */
function feedTicking(frames: readonly Frame[], m: Monitor): void {
  const dec = new Decoder();
  const rec = new PacketRecord();
  const p = new DecodedPacket();
  let sec = -1;
  for (const f of frames) {
    rec.buf = f.data;
    rec.off = 0;
    rec.capLen = f.data.length;
    rec.origLen = f.origLen;
    rec.linkType = f.linkType ?? 1;
    rec.tsSec = Math.floor(f.t);
    rec.tsNsec = Math.min(999_999_999, Math.round((f.t - rec.tsSec) * 1e9));
    if (rec.tsSec !== sec) {
      if (sec >= 0) m.onTick(rec.tsSec);
      sec = rec.tsSec;
    }
    dec.decode(rec, p);
    m.onPacket(p, 0);
  }
  m.finish();
}

/** Everything a monitor learned and raised, minus the wall-clock creation time. */
function outcome(m: Monitor): unknown {
  const { createdAt: _, ...baseline } = m.toBaseline('test');
  return { alerts: m.reportAlerts(), status: m.status(), baseline };
}


describe('the detectors on their own thread', () => {
  it('is available from the compiled build', () => {
    expect(monitorThreadAvailable(WORKER)).toBe(true);
    expect(monitorThreadAvailable(new URL('./no-such-worker.js', import.meta.url))).toBe(false);
  });

  it('raises the same alerts and learns the same models as the in-thread monitor', () => {
    // Every kind of attack (five of them alert on this short capture), then IPv6, ARP and DNS traffic (the fields only those carry).
    const frames: Frame[] = [
      ...generateAnomalyFrames({ seed: 11, durationSec: 400, hosts: 6, injections: INJECTION_KINDS.map((kind, i) => ({ kind, atSec: 150 + 20 * i })) }),
    ];
    const last = frames[frames.length - 1]!.t;
    for (const name of ['ipv6.pcap', 'arp.pcap', 'dns.pcap', 'hostile.pcap']) {
      const extra = fileFrames(`fixtures/${name}`);
      const t0 = extra[0]!.t;
      for (const f of extra) frames.push({ ...f, t: last + 1 + (f.t - t0) });
    }
    // An IPv6 port scan and an ARP sweep: their alerts name addresses only those fields carry.
    const t1 = Math.ceil(frames[frames.length - 1]!.t) + 1;
    for (let i = 0; i < 300; i++) {
      const syn = tcp({ sport: 40000, dport: 1 + i, flags: 0x02 });
      const ip6 = ipv6({ src: '2001:db8:1::66', dst: '2001:db8:2:0:ab::5', nextHeader: 6 }, syn);
      frames.push({ t: t1 + i * 0.01, data: ethernet({ type: ETH.IPv6 }, ip6), origLen: 14 + ip6.length });
    }
    for (let i = 0; i < 300; i++) {
      const who = arp({ op: 1, senderMac: '02:00:00:00:00:99', senderIp: '192.168.7.9', targetIp: `192.168.${8 + (i >> 8)}.${i & 0xff}` });
      frames.push({ t: t1 + 5 + i * 0.01, data: ethernet({ type: ETH.ARP, dst: 'ff:ff:ff:ff:ff:ff' }, who), origLen: 42 });
    }
    const options: MonitorOptions = { learnSec: 120 };
    const inThread = new BaselineMonitor(options);
    const threaded = new ThreadedMonitor(options, null, WORKER);
    try {
      feedTicking(frames, inThread);
      feedTicking(frames, threaded);
      const want = outcome(inThread) as { alerts: { kind: string; subject: string }[] };
      expect(want.alerts.map((a) => a.subject)).toEqual(expect.arrayContaining(['2001:db8:1::66', '192.168.7.9']));
      expect(new Set(want.alerts.map((a) => a.kind))).toEqual(new Set(['port-scan', 'host-sweep', 'syn-flood', 'dns-tunnel', 'exfil']));
      expect(outcome(threaded)).toEqual(want);
    } finally {
      threaded.close();
    }
  });

  it('allocates nothing per packet on the capturing thread', async () => {
    const dec = new Decoder();
    const rec = new PacketRecord();
    const dnsFrame = fileFrames('fixtures/dns.pcap').find((f) => f.data.length > 60)!;
    const packets = [fileFrames('fixtures/basic-us.pcap')[0]!, dnsFrame].map((f) => {
      const p = new DecodedPacket();
      rec.buf = f.data;
      rec.off = 0;
      rec.capLen = rec.origLen = f.data.length;
      rec.linkType = f.linkType ?? 1;
      rec.tsSec = 1_700_000_000;
      dec.decode(rec, p);
      return p;
    });
    expect(packets[1]!.dstPort).toBe(53);
    const m = new ThreadedMonitor({}, null, WORKER);
    try {
      const gcs = await gcsDuring(() => {
        for (let i = 0; i < 1_000_000; i++) m.onPacket(packets[i & 1]!);
      });
      // Measured: 0 (the runner's own work can add up to 2); 6 with a view per DNS query.
      expect(gcs).toBeLessThanOrEqual(2);
      m.finish();
    } finally {
      m.close();
    }
  });

  it('turns a failure in the thread into a one-line error', () => {
    const m = new ThreadedMonitor({ homeNet: 'not-a-network' }, null, WORKER);
    try {
      expect(() => m.finish()).toThrow(/^anomaly detectors: .*not-a-network/);
    } finally {
      m.close();
    }
  });

  it('gives `wiretop report` the same alerts and --alerts file as the in-thread detectors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wiretop-thread-'));
    const pcap = join(dir, 'scan.pcap');
    writeAnomalyPcap(pcap, { seed: 3, durationSec: 300, hosts: 5, injections: [{ kind: 'port-scan', atSec: 20 }, { kind: 'dns-tunnel', atSec: 60 }] });
    const alerts = join(dir, 'alerts.ndjson');
    // From stdin: pipes (like live captures and large files) get the thread; small files do not.
    const out = execFileSync(process.execPath, ['bin/wiretop.js', 'report', '-r', '-', '--json', '--alerts', alerts], { encoding: 'utf8', input: readFileSync(pcap) });
    const got = (JSON.parse(out) as { alerts: unknown[] }).alerts;
    const m = new BaselineMonitor({});
    feedTicking(fileFrames(pcap), m);
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(got).toEqual(m.reportAlerts());
    expect(readFileSync(alerts, 'utf8').trim().split('\n')).toHaveLength(got.length);
  });
});
