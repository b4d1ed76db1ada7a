/**
 * TCP numbers as tshark shows them by default (relative seq/ack, calculated window): TcpNumbers
 * per frame, and what the dashboard shows (packet list Info through the runtime's ring and the
 * packet store, conversation detail lines, the field tree), against tshark 4.0 as the oracle.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/file-source.js';
import { PacketRing } from '../../src/capture/packet-ring.js';
import { Engine } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';
import { PacketStore } from '../../src/ui/store/packet-store.js';
import { tempFiles } from '../capture/temp-files.js';
import { countMatches, haveTool, tsharkCounts, TSHARK_PREFS } from '../filter/oracle.js';
import { pcapOf, SCENARIOS, tcpNumbersOf } from './tcp-scenarios.js';

const tmp = tempFiles('wiretop-tcpnum-');
// The corpus next to the repository (../shared, as test/corpus finds it); its files are used when it is there.
const REAL = resolve(import.meta.dirname, '../../../shared/pcaps/real');
const haveCorpus = existsSync(REAL);
const FILES = [
  'fixtures/http.pcap', 'fixtures/tcp-states.pcap', 'fixtures/tls-sni.pcap', 'fixtures/demo.pcap',
  // starts mid-connection (an older TLS flow), then a handshake with window scaling
  `${REAL}/eth_tls13_sni_ech_cloudflare.pcap`,
  `${REAL}/eth_tls12_sni_google.pcap`, `${REAL}/eth_http_range_ooo_retrans.pcap`, `${REAL}/eth_tcp_retrans_lost_segments.pcap`,
  `${REAL}/portscan_tcp_syn.pcapng`, `${REAL}/dns_tcp.pcap`, `${REAL}/null_loopback_ipv6_http.pcap`, `${REAL}/rawip12_ipv6_http.pcap`,
  `${REAL}/sll_mixed_traffic.pcap`, `${REAL}/eth_mixed_wikipedia_browse.pcap`, `${REAL}/bigendian_pptp_gre.pcap`,
].filter((f) => f.startsWith('fixtures/') || existsSync(f));
const clock: RuntimeClock = { now: () => 0, setInterval: () => 0, clearInterval: () => {} };

function tshark(path: string, fields: string[], extra: string[] = []): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', path, ...TSHARK_PREFS, ...extra, '-T', 'fields', '-E', 'separator=/t', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8', maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** tshark's `frame -> "seq ack window"` for TCP frames. */
function tsharkNumbers(path: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const [no, seq, ack, win] of tshark(path, ['frame.number', 'tcp.seq', 'tcp.ack', 'tcp.window_size'])) {
    if (seq !== undefined && seq !== '') out.set(Number(no), `${seq} ${ack === '' ? 0 : ack} ${win}`);
  }
  return out;
}

/** The numbers part of a transport Info line: `Seq=.. [Ack=..] Win=.. Len=..`. */
const numbersIn = (info: string): string | null => /Seq=\d+( Ack=\d+)? Win=\d+ Len=\d+/.exec(info)?.[0] ?? null;

const scenarioFiles = (): string[] => Object.entries(SCENARIOS).map(([name, f]) => tmp.file(`${name}.pcap`, pcapOf(f)));

async function dashboard(path: string, ringBytes = 64 << 20) {
  const engine = new Engine();
  const ring = new PacketRing({ bytes: ringBytes });
  const runtime = new Runtime({ engine, source: openFileSource({ path }), clock, ring, compileDisplayFilter: () => (p) => p.ipProto === 6 && (p.tcpFlags & 2) === 0 });
  const store = new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame);
  engine.addObserver(store);
  await runtime.start();
  runtime.stop();
  return { engine, runtime, store };
}

describe.skipIf(!haveTool('tshark'))('TCP numbers against tshark', () => {
  it('relative seq, ack and calculated window of every TCP frame: fixtures, real captures, edge cases', async () => {
    let frames = 0;
    for (const path of [...FILES, ...scenarioFiles()]) {
      const want = tsharkNumbers(path);
      const got = await tcpNumbersOf(path);
      expect([...got.keys()], path).toEqual([...want.keys()]);
      for (const [no, w] of want) expect(`${path} #${no}: ${got.get(no)}`).toBe(`${path} #${no}: ${w}`);
      frames += want.size;
    }
    expect(frames).toBeGreaterThan(3000);
  }, 60_000);

  it("the packet list's Info numbers equal tshark's, all packets and one conversation's, also under a filter that hides the handshake", async () => {
    let compared = 0;
    for (const path of [...FILES.slice(0, 8), ...scenarioFiles()]) {
      const info = new Map(tshark(path, ['frame.number', '_ws.col.Info']).map(([no, i]) => [Number(no), numbersIn(i ?? '')]));
      const { engine, runtime, store } = await dashboard(path);
      const check = (list: readonly { no: number; info: string }[]): void => {
        for (const s of list) {
          const ours = numbersIn(s.info);
          const theirs = info.get(s.no);
          if (ours === null || theirs === null || theirs === undefined) continue;
          expect(`${path} #${s.no}: ${ours}`).toBe(`${path} #${s.no}: ${theirs}`);
          compared++;
        }
      };
      check(store.view(null)!.summaries);
      for (const c of engine.snapshot().conversations.slice(0, 3)) check(store.view(c.id)!.summaries);
      // Bases and scales come from the packets before the display filter (tshark -Y): SYNs hidden.
      runtime.setDisplayFilter('no syn');
      check(store.view(null)!.summaries);
    }
    expect(compared).toBeGreaterThan(1000);
  }, 60_000);

  it("plain TCP Info lines equal tshark's whole, options included (MSS, WS, SACK_PERM, TSval/TSecr, SACK edges)", async () => {
    let compared = 0;
    let withOptions = 0;
    for (const path of FILES) {
      const rows = tshark(path, ['frame.number', '_ws.col.Protocol', '_ws.col.Info']);
      const info = new Map(rows.filter(([, proto]) => proto === 'TCP').map(([no, , i]) => [Number(no), i ?? '']));
      const { store } = await dashboard(path);
      for (const s of store.view(null)!.summaries) {
        let theirs = info.get(s.no);
        // tshark's analysis notes ([TCP Retransmission] ..., [TCP segment of a reassembled PDU]) are not shown here.
        if (theirs === undefined || theirs.startsWith('[') || !/^\d+ → \d+ \[/.test(s.info)) continue;
        theirs = theirs.replace(/ \[TCP segment of a reassembled PDU\]$/, '');
        expect(`${path} #${s.no}: ${s.info}`).toBe(`${path} #${s.no}: ${theirs}`);
        compared++;
        if (/MSS=|TSval=|SLE=/.test(theirs)) withOptions++;
      }
    }
    // The fixtures' TCP carries no options: those lines come from the corpus.
    expect(compared).toBeGreaterThan(haveCorpus ? 500 : 100);
    if (haveCorpus) expect(withOptions).toBeGreaterThan(50);
  }, 60_000);

  it('tcp.seq and tcp.ack in filters follow the same rules (ack raw without the ACK flag, SYN-ACK re-base, port reuse)', async () => {
    const filters = ['tcp.seq == 0', 'tcp.seq == 1', 'tcp.ack == 1', 'tcp.ack == 777 || tcp.ack == 999', 'tcp.ack == 12345', 'tcp.seq == 4294962397', 'tcp.ack > 10'];
    for (const path of scenarioFiles()) {
      expect([path, ...(await countMatches(path, filters))]).toEqual([path, ...tsharkCounts(path, filters)]);
    }
  }, 30_000);

  it.skipIf(!haveCorpus)("a conversation's recent packets read as tshark's Info, and the field tree shows relative and raw numbers", async () => {
    const path = `${REAL}/eth_tls12_sni_google.pcap`;
    const rows = tshark(path, ['frame.number', '_ws.col.Info', 'tcp.seq', 'tcp.seq_raw', 'tcp.ack', 'tcp.ack_raw', 'tcp.window_size', 'tcp.window_size_value', 'tcp.window_size_scalefactor']);
    const { engine, runtime, store } = await dashboard(path);
    const conv = engine.snapshot().conversations[0]!;
    runtime.setFocus(conv.id);
    const recent = runtime.getSnapshot().focus!.recentPackets;
    expect(recent.length).toBe(32);
    // The recent lines are transport lines also where tshark's Info is an application's: compare with its fields.
    const want = rows.slice(-32).map(([, , seq, , ack, , win]) => `Seq=${seq} Ack=${ack} Win=${win}`);
    expect(recent.map((r) => numbersIn(r.info)?.replace(/ Len=\d+/, ''))).toEqual(want);
    for (const [no, , seq, seqRaw, ack, ackRaw, win, winRaw, factor] of rows.filter((r) => ['1', '2', '3', '9'].includes(r[0]!))) {
      const tcp = store.view(null)!.detailOf(Number(no))!.tree.find((n) => n.label.startsWith('Transmission Control Protocol'))!;
      const labels = tcp.children!.map((n) => n.label);
      const syn = no === '1' || no === '2';
      expect(labels).toEqual(expect.arrayContaining([
        `Sequence Number: ${seq}    (relative sequence number)`, `Sequence Number (raw): ${seqRaw}`,
        no === '1' ? `Acknowledgment Number: ${ack}` : `Acknowledgment Number: ${ack}    (relative ack number)`, `Acknowledgment number (raw): ${ackRaw}`,
        `Window: ${winRaw}`, `[Calculated window size: ${win}]`,
        ...(syn ? [] : [`[Window size scaling factor: ${factor}]`]),
      ]));
    }
  }, 30_000);
});
