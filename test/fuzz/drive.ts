/**
 * Drives a capture through what an analyst's terminal shows: the readers (file and stream), the
 * Decoder, the dissectors' one-line summaries and field trees as the packet view draws them,
 * an Engine with setupDissection in index mode (the dashboard with its ring and packet store)
 * and store mode, and the report text and JSON. Every failure is collected in `Failures`.
 */
import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { openFileSource } from '../../src/capture/file-source.js';
import { runBaseline } from '../../src/cli/baseline.js';
import { runReport } from '../../src/cli/report.js';
import { PacketRing } from '../../src/capture/packet-ring.js';
import type { PacketRecord } from '../../src/capture/record.js';
import type { SourceStatus } from '../../src/capture/source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket, Malformed, MALFORMED_REASONS } from '../../src/decode/packet.js';
import { detectApp } from '../../src/dissect/detect.js';
import { dissectAs } from '../../src/dissect/dissect.js';
import { dissectIcmp } from '../../src/dissect/icmp.js';
import { packetInfoLine } from '../../src/dissect/info.js';
import { setupDissection } from '../../src/dissect/setup.js';
import { packetTree, type FieldNode } from '../../src/dissect/tree.js';
import type { AppInfo } from '../../src/dissect/types.js';
import { Engine } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';
import { formatReportText } from '../../src/report/format-text.js';
import { allParentKeys, visibleTreeRows } from '../../src/ui/packets/field-tree.js';
import { fieldTreeLines } from '../../src/ui/packets/field-tree-lines.js';
import { packetHexLines } from '../../src/ui/packets/packet-hex-lines.js';
import { packetListLines } from '../../src/ui/packets/packet-list-lines.js';
import { alertLines } from '../../src/ui/panels/alerts.js';
import { detailLines } from '../../src/ui/panels/conversation-detail.js';
import { headerLines } from '../../src/ui/panels/header.js';
import { PacketStore } from '../../src/ui/store/packet-store.js';
import { StreamIndex } from '../../src/ui/store/stream-index.js';
import { STREAM_MODES } from '../../src/ui/stream/stream-layout.js';
import { streamBodyLines, streamTitleLine } from '../../src/ui/stream/stream-lines.js';
import { createStreamModel } from '../../src/ui/stream/stream-model.js';
import type { ViewLine } from '../../src/ui/stream/view-lines.js';
import type { Failures } from './terminal-safe.js';

const clock: RuntimeClock = { now: () => 0, setInterval: () => 0, clearInterval: () => {} };

const lineText = (lines: readonly ViewLine[]): string => lines.map((l) => l.map((s) => s.text).join('')).join('\n');

/** The application layer as dissectPacket finds it, without its catch-all (a dissector must not throw). */
export function dissectUnguarded(p: DecodedPacket): AppInfo | null {
  if (p.icmpType >= 0 && (p.ipProto === 1 || p.ipProto === 58)) return dissectIcmp(p.icmpType, p.icmpCode, p.ipProto === 58);
  return dissectAs(p, detectApp(p));
}

function treeLines(tree: readonly FieldNode[]): string {
  const open = Object.fromEntries(allParentKeys(tree).map((k) => [k, true as const]));
  const rows = visibleTreeRows(tree, open);
  return lineText(fieldTreeLines({ title: 'Packet', rows, selected: 0, isFocused: true, width: 4000, height: rows.length + 2 }));
}

/** One decoded packet through the dissectors and the packet view's formatters. */
export function checkPacket(p: DecodedPacket, f: Failures, where: string, seen?: Map<string, number>): void {
  if (p.malformed === Malformed.Internal) f.add(`${where}: decoder caught an internal error`);
  if (!(p.malformed >= 0 && p.malformed < MALFORMED_REASONS.length)) f.add(`${where}: malformed code ${p.malformed}`);
  f.run(`${where} dissect`, () => {
    const app = dissectUnguarded(p);
    if (seen && app) seen.set(app.proto, (seen.get(app.proto) ?? 0) + 1);
    f.text(`${where} info`, packetInfoLine(p, app));
    const tree = packetTree(p, app);
    f.text(`${where} tree`, treeLines(tree));
  });
}

export interface ReadResult {
  packets: number;
  bytes: number;
  info: SourceStatus;
  error: string | null;
  /** Packets per application protocol the dissectors found (coverage of the fuzz). */
  apps: Map<string, number>;
}

/**
 * Read a capture (a path; bytes through a stream cut into random chunks; or a path on the reader
 * thread with small ring chunks) and check every packet.
 */
export async function readCapture(
  input: string | { bytes: Buffer; cuts: number[] } | { path: string; threadChunk: number },
  f: Failures, where: string, perPacket = true,
): Promise<ReadResult> {
  const d = new Decoder();
  const p = new DecodedPacket();
  let packets = 0;
  let bytes = 0;
  const src =
    typeof input === 'string'
      ? openFileSource({ path: input })
      : 'threadChunk' in input
        ? openFileSource({ path: input.path, thread: true, chunkSize: input.threadChunk })
        : openFileSource({ path: '-', stdin: Readable.from(chunksOf(input.bytes, input.cuts), { objectMode: false }) });
  let error: string | null = null;
  const apps = new Map<string, number>();
  try {
    await src.start((r: PacketRecord) => {
      packets++;
      bytes += r.capLen;
      if (r.off < 0 || r.capLen < 0 || r.off + r.capLen > r.buf.length) f.add(`${where}: record ${packets} outside its buffer`);
      d.decode(r, p);
      if (perPacket) checkPacket(p, f, `${where} #${packets}`, apps);
    });
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    if (!(e instanceof Error) || e.constructor.name !== 'CaptureError') f.add(`${where}: reader threw ${String(e)}`);
    else if (e.message.includes('\n')) f.add(`${where}: multi-line error ${JSON.stringify(e.message)}`);
  }
  for (const w of src.info.warnings) f.text(`${where} warning`, w);
  if (error !== null) f.text(`${where} error`, error);
  return { packets, bytes, info: src.info, error, apps };
}

function chunksOf(b: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts].sort((x, y) => x - y)) {
    if (c <= at || c >= b.length) continue;
    out.push(b.subarray(at, c));
    at = c;
  }
  out.push(b.subarray(at));
  return out.filter((x) => x.length > 0);
}

/**
 * The dashboard's engine (index mode: ring, packet store) or a store-mode one: read the file,
 * then draw the dashboard's panels, stream views, packet list, every packet's expanded field
 * tree and hex dump, and the report. Returns the report's JSON, the stream numbering of every
 * packet and the stream counts (the modes must agree).
 */
export async function runEngine(path: string, mode: 'index' | 'store', f: Failures, where: string, maxFlows?: number): Promise<string> {
  const engine = new Engine(maxFlows === undefined ? {} : { maxFlows });
  // A ring that holds the whole capture, so the packet view draws every packet.
  const ring = mode === 'index' ? new PacketRing({ bytes: Math.max(1 << 20, 2 * statSync(path).size + (1 << 16)) }) : null;
  const dissection = setupDissection(engine, { store: mode === 'store', classifierCapacity: 1024 });
  const runtime = new Runtime({ engine, source: openFileSource({ path }), clock, ring });
  // As the dashboard session wires it: StreamIndex after the tracker, reassembling from the ring in index mode.
  const streams = new StreamIndex(dissection.streams, (slot) => engine.flows.gen[slot]!, ring ? { ring, frame: () => runtime.frame } : null);
  engine.addObserver(streams);
  // Stream numbering per packet (tshark's tcp.stream / udp.stream): index mode must number as store mode.
  const t = dissection.streams;
  const numbering: number[] = [];
  engine.addObserver({ onPacket: () => void numbering.push(t.lastProto, t.lastStream, t.lastStream < 0 ? -1 : t.lastDir) });
  const store = ring ? new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame) : null;
  if (store) engine.addObserver(store);
  try {
    await runtime.start();
  } catch (e) {
    if (!(e instanceof Error) || e.constructor.name !== 'CaptureError') f.add(`${where}: runtime threw ${String(e)}`);
    return '';
  } finally {
    runtime.stop();
  }
  f.run(`${where} dashboard panels`, () => {
    const snapshot = engine.snapshot();
    const lines = (ls: readonly { readonly text: string }[][]): string => ls.map((l) => l.map((x) => x.text).join('')).join('\n');
    f.text(`${where} header`, lines(headerLines({ snapshot, isPaused: false, displayFilter: null, unit: 'bytes', width: 200 })));
    f.text(`${where} alerts`, lines(alertLines({ snapshot, cursor: undefined, width: 200, height: 50 })));
    // Each stream view reassembles its stream from the ring: the first 150 conversations.
    for (const c of snapshot.conversations.slice(0, 150)) {
      f.text(`${where} detail ${c.id}`, lines(detailLines({ snapshot, conversationId: c.id, unit: 'bits', width: 200, height: 40, nameOf: () => undefined })));
      const src = streams.source(c.id);
      if (src === null) continue;
      f.text(`${where} stream title ${c.id}`, lines([streamTitleLine({ proto: src.proto, index: src.index, client: src.client, server: src.server, width: 120 })]));
      const model = createStreamModel(src, 100);
      for (const m of STREAM_MODES) {
        // A page at the top and one in the middle, as the view draws them (all rows of a long
        // stream with a search hit on every byte take seconds: see the report).
        const layout = model.layout(m);
        for (const top of [0, layout.rows.length >> 1]) {
          const body = streamBodyLines({ blocks: model.blocks, layout, top, height: 50, matches: model.matches('a'), current: null });
          f.text(`${where} stream ${m} ${c.id}`, lines(body));
        }
      }
    }
  });
  if (store) {
    f.run(`${where} packet view`, () => {
      const view = store.view(null)!;
      f.text(`${where} list`, lineText(packetListLines({ summaries: view.summaries, selected: 0, isFocused: true, width: 250, height: view.summaries.length + 2 })));
      // detailOf scans the ring from its start (one selected packet at a time in the view): a sample of 400.
      const step = Math.max(1, Math.ceil(view.summaries.length / 400));
      for (const s of view.summaries.filter((_, i) => i % step === 0)) {
        const det = view.detailOf(s.no);
        if (!det) continue;
        f.text(`${where} #${s.no} tree`, treeLines(det.tree));
        f.text(`${where} #${s.no} hex`, lineText(packetHexLines({ bytes: det.bytes, highlight: null, width: 100, height: 60 })));
      }
    });
  }
  let json = '';
  f.run(`${where} report`, () => {
    const r = engine.report({ top: 0 });
    f.text(`${where} report text`, formatReportText(r));
    json = JSON.stringify(r);
    // Counts agree with what was read: every packet counted once, each layer of the hierarchy
    // within its parent, each conversation the sum of its directions.
    if (r.packets !== engine.packetsRead) f.add(`${where}: report counts ${r.packets} packets of ${engine.packetsRead} read`);
    const roots = r.protocols.filter((x) => !x.path.includes(':')).reduce((n, x) => n + x.packets, 0);
    if (roots > r.packets) f.add(`${where}: protocol roots count ${roots} packets of ${r.packets}`);
    const byPath = new Map(r.protocols.map((x) => [x.path, x.packets]));
    for (const x of r.protocols) {
      const parent = x.path.slice(0, Math.max(0, x.path.lastIndexOf(':')));
      if (parent && x.packets > (byPath.get(parent) ?? 0)) f.add(`${where}: ${x.path} ${x.packets} packets > its parent's ${byPath.get(parent)}`);
    }
    for (const c of r.conversations) {
      if (c.aToB.packets + c.bToA.packets !== c.packets || c.aToB.bytes + c.bToA.bytes !== c.bytes) f.add(`${where}: conversation ${c.a} ${c.b} directions do not add up`);
    }
  });
  return `${json}\n${numbering.join(',')}\n${t.tcpCount} ${t.udpCount}`;
}

/** `wiretop report` in-process: exit 0 or 1, one escaped line on error, text safe, JSON valid. */
export async function checkReport(path: string, f: Failures, where: string, forms: readonly boolean[] = [false, true]): Promise<void> {
  for (const json of forms) {
    let out = '';
    let err = '';
    const code = await runReport(['-r', path, ...(json ? ['--json'] : [])], { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
    const w = `${where} report${json ? ' --json' : ''}`;
    if (code !== 0 && code !== 1) f.add(`${w}: exit ${code}`);
    if (code === 1 && !/^wiretop report: [^\n]+\n$/.test(err)) f.add(`${w}: stderr ${JSON.stringify(err)}`);
    f.text(`${w} stderr`, err);
    if (code !== 0) continue;
    if (json) {
      try {
        JSON.parse(out);
      } catch (e) {
        f.add(`${w}: invalid JSON (${String(e)})`);
      }
    }
    f.text(w, out);
  }
}

/** Both engine modes on one capture (a small flow table: slots evicted and reused), and their results compared. */
export async function runEngines(path: string, f: Failures, where: string, maxFlows?: number): Promise<void> {
  const a = await runEngine(path, 'index', f, `${where} index`, maxFlows);
  const b = await runEngine(path, 'store', f, `${where} store`, maxFlows);
  if (a === b) return;
  const [ja, na, ca] = a.split('\n');
  const [jb, nb, cb] = b.split('\n');
  if (ja !== jb) f.add(`${where}: index and store mode reports differ`);
  if (ca !== cb) f.add(`${where}: stream counts (tcp udp) ${ca} in index mode, ${cb} in store mode`);
  if (na !== nb) {
    const x = na!.split(','), y = nb!.split(',');
    const i = x.findIndex((v, k) => v !== y[k]);
    f.add(`${where}: stream numbering differs from packet ${Math.floor(i / 3) + 1}: index ${x.slice(i - (i % 3), i - (i % 3) + 3)} store ${y.slice(i - (i % 3), i - (i % 3) + 3)}`);
  }
}

/** `wiretop baseline learn`, then `check` (text or --json) against what it learned: exit 0 or 1, one escaped line on error. */
export async function checkBaseline(path: string, learnFrom: string, f: Failures, where: string, json: boolean): Promise<void> {
  const model = `${path}.baseline.json`;
  const runs: string[][] = [['learn', '-r', learnFrom, '-o', model], ['check', '-r', path, '--baseline', model, ...(json ? ['--json'] : [])]];
  for (const args of runs) {
    let out = '';
    let err = '';
    const code = await runBaseline(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
    const w = `${where} baseline ${args[0]}`;
    if (code !== 0 && code !== 1) f.add(`${w}: exit ${code}`);
    if (code === 1 && !/^(wiretop baseline: [^\n]+\n)+$/.test(err)) f.add(`${w}: stderr ${JSON.stringify(err)}`);
    f.text(`${w} stderr`, err);
    f.text(`${w} stdout`, out);
    if (code !== 0) return;
  }
}
