/** Helpers that run wiretop's filters and the reference tools over one capture file. */
import { execFileSync, spawnSync } from 'node:child_process';
import { openFileSource } from '../../src/capture/file-source.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { Decoder } from '../../src/decode/decoder.js';
import { compileFilter, createFilterContext } from '../../src/filter/index.js';

/** Packets each filter matches, in one pass over the file (each filter has its own context). */
export async function countMatches(path: string, filters: readonly string[]): Promise<number[]> {
  const decoder = new Decoder();
  const compiled = filters.map((f) => compileFilter(f, createFilterContext({ paths: decoder.paths })));
  const counts = filters.map(() => 0);
  const p = new DecodedPacket();
  const src = openFileSource({ path });
  await src.start((r) => {
    decoder.decode(r, p);
    for (let i = 0; i < compiled.length; i++) if (compiled[i]!.match(p)) counts[i]!++;
  });
  return counts;
}

/** No IP reassembly: a first fragment shows its transport header, later ones none (as wiretop). */
export const TSHARK_PREFS = ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-o', 'tcp.desegment_tcp_streams:FALSE'];

export function tsharkCount(path: string, filter: string): number {
  const r = spawnSync('tshark', ['-n', '-r', path, ...TSHARK_PREFS, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.stdout === '') throw new Error(`tshark failed for ${filter}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').length;
}

/**
 * Counts for many display filters with as few tshark runs as possible: one
 * `-z io,stat,0,F1,F2,...` pass for every filter without a comma (io,stat
 * splits its argument at commas), one `-Y` run for each of the others.
 * io,stat counts equal `tshark -Y F | wc -l` except for frames without a
 * timestamp (pcapng Simple Packet Blocks), which it counts for time filters.
 */
export function tsharkCounts(path: string, filters: readonly string[]): number[] {
  const out = filters.map(() => -1);
  const batch = filters.map((f, i) => [f, i] as const).filter(([f]) => !f.includes(','));
  for (let start = 0; start < batch.length; start += 40) {
    const chunk = batch.slice(start, start + 40);
    const r = spawnSync('tshark', ['-n', '-q', '-r', path, ...TSHARK_PREFS, '-z', `io,stat,0,${chunk.map(([f]) => f).join(',')}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    const sums = chunk.map(() => 0);
    let rows = 0;
    for (const line of r.stdout.split('\n')) {
      if (!line.includes('<>')) continue;
      rows++;
      const cells = line.split('|').slice(2, -1).map((c) => c.trim());
      for (let k = 0; k < chunk.length; k++) sums[k]! += Number(cells[2 * k]);
    }
    if (rows === 0) throw new Error(`tshark io,stat gave no rows for ${path}: ${r.stderr}`);
    chunk.forEach(([, i], k) => (out[i] = sums[k]!));
  }
  filters.forEach((f, i) => {
    if (out[i] === -1) out[i] = tsharkCount(path, f);
  });
  return out;
}

export function tcpdumpCount(path: string, filter: string): number {
  const r = spawnSync('tcpdump', ['-nn', '-q', '-r', path, filter], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.stdout === '') throw new Error(`tcpdump failed for ${filter}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').length;
}

export function haveTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
