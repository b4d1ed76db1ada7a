/**
 * The dashboard's display filter change on a mutated capture: the runtime replays its ring through
 * the engine (with dissection started afresh, as dashboard-session.ts wires it). The counts after
 * the replay must equal a fresh engine's that read the file with that filter from the start. And the
 * ring exported (W) reads back as the same packets.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileSource } from '../../src/capture/file-source.js';
import { PacketRing, ringSelect } from '../../src/capture/packet-ring.js';
import { setupDissection } from '../../src/dissect/setup.js';
import { Engine } from '../../src/engine/engine.js';
import { Runtime, type RuntimeClock } from '../../src/engine/runtime.js';
import { compileFilter, createFilterContext } from '../../src/filter/index.js';
import { PACKET_LIST_LIMIT, PacketStore } from '../../src/ui/store/packet-store.js';
import type { Failures } from './terminal-safe.js';

const clock: RuntimeClock = { now: () => 0, setInterval: () => 0, clearInterval: () => {} };

export const REPLAY_FILTERS = ['tcp', 'dns or http', 'tls.handshake.type == 1 || udp.port == 53', '!ip', 'frame.len > 100 && !tcp.flags.syn'];

function counts(e: Engine): string {
  const r = e.report({ top: 0 });
  const convs = r.conversations.map((c) => `${c.proto} ${c.a}:${c.aPort} ${c.b}:${c.bPort} ${c.packets} ${c.bytes} ${c.service}`).sort();
  return JSON.stringify([r.packets, r.bytes, r.protocols, convs]);
}

function compile(e: Engine, text: string): (p: Parameters<NonNullable<Engine['displayPredicate']>>[0]) => boolean {
  const f = compileFilter(text, createFilterContext({ paths: e.paths }));
  return (p) => f.match(p);
}

/** Read `path` as the dashboard does, change the display filter to `text`, then clear it. */
export async function checkReplay(path: string, text: string, f: Failures, where: string): Promise<void> {
  const engine = new Engine({});
  const ring = new PacketRing({ bytes: 8 << 20 });
  const opts = { store: false, classifierCapacity: 1024 };
  let dissection = setupDissection(engine, opts);
  const runtime = new Runtime({
    engine, source: openFileSource({ path }), clock, ring, compileDisplayFilter: (t) => compile(engine, t),
    onReplay: () => {
      dissection.detach();
      dissection = setupDissection(engine, opts);
    },
  });
  const store = new PacketStore(ring, (slot) => engine.flows.gen[slot]!, () => runtime.frame);
  engine.addObserver(store);
  try {
    await runtime.start();
  } catch {
    return; // not a capture: the readers' fuzz checks the error
  } finally {
    runtime.stop();
  }
  if (ring.evicted() > 0) return; // the replay covers only what the ring holds
  // W (export): the ring written as pcap/pcapng reads back as the same packets.
  await f.runAsync(`${where} export`, async () => {
    const out = join(tmpdir(), `wiretop-fuzz-export-${process.pid}`);
    const x = ring.exportPcap(out, ringSelect.all());
    let n = 0;
    let bytes = 0;
    await openFileSource({ path: out }).start((r) => {
      n++;
      bytes += r.capLen;
    });
    rmSync(out, { force: true });
    if (n !== ring.packets() || x.packets !== n || bytes !== x.bytes) f.add(`${where}: export wrote ${x.packets} packets (${x.bytes} bytes), read back ${n} (${bytes}) of ${ring.packets()}`);
  });
  for (const t of [text, null]) {
    await f.runAsync(`${where} replay ${JSON.stringify(t)}`, async () => {
      runtime.setDisplayFilter(t);
      // The packet view lists what the filter counts (its newest PACKET_LIST_LIMIT).
      const listed = store.view(null)!.summaries.length;
      if (listed !== Math.min(engine.packets, PACKET_LIST_LIMIT)) f.add(`${where}: packet view lists ${listed} of ${engine.packets} packets after ${JSON.stringify(t)}`);
      const ref = new Engine({});
      setupDissection(ref, { store: true, classifierCapacity: 1024 });
      if (t !== null) ref.displayPredicate = compile(ref, t);
      await openFileSource({ path }).start((r) => ref.ingest(r));
      const got = counts(engine);
      const want = counts(ref);
      if (got === want) return;
      let i = 0;
      while (got[i] === want[i]) i++;
      const at = (x: string): string => x.slice(Math.max(0, i - 120), i + 80);
      f.add(`${where}: after the filter ${JSON.stringify(t)} the replayed counts differ from a fresh read's: ...${at(got)} != ...${at(want)}`);
    });
  }
}
