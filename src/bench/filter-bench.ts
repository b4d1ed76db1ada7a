import type { DecodedPacket } from '../decode/packet.js';
import { compileFilter, createFilterContext } from '../filter/index.js';
import type { ProtoPaths } from '../decode/proto-paths.js';

/** The 3-clause header filter the issue names. */
export const HEADER_FILTER_3 = 'ip.src == 10.0.0.0/8 && tcp.port in {80,443} && frame.len > 100';

export interface FilterBenchResult {
  readonly text: string;
  readonly packets: number;
  readonly seconds: number;
  /** Evaluation cost per packet (match() only, the loop itself subtracted). */
  readonly nsPerPacket: number;
  /** Cost of the same loop calling an always-true compiled filter. */
  readonly loopNsPerPacket: number;
  readonly matched: number;
  /** Heap growth per evaluation when run with --expose-gc, else null (should be ~0: match allocates nothing). */
  readonly bytesPerPacket: number | null;
}

export interface FilterBenchOptions {
  readonly text?: string;
  /** Passes over `packets` (default: enough for about 2 million evaluations). */
  readonly iterations?: number;
  /** The decoder's path table, for filters with application protocol names. */
  readonly paths?: ProtoPaths;
}

function timeLoop(match: (p: DecodedPacket) => boolean, packets: readonly DecodedPacket[], iterations: number): { seconds: number; matched: number } {
  let matched = 0;
  for (let i = 0; i < packets.length; i++) if (match(packets[i]!)) matched++;
  matched = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < iterations; k++) for (let i = 0; i < packets.length; i++) if (match(packets[i]!)) matched++;
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, matched };
}

/**
 * Per-packet cost of a compiled filter over already decoded packets (each
 * element its own DecodedPacket). The filter is compiled once; the timed loop
 * is the engine's: one match() call per packet.
 */
export function benchFilter(packets: readonly DecodedPacket[], opts: FilterBenchOptions = {}): FilterBenchResult {
  const text = opts.text ?? HEADER_FILTER_3;
  const n = Math.max(1, packets.length);
  const iterations = opts.iterations ?? Math.max(1, Math.ceil(2_000_000 / n));
  const ctx = createFilterContext(opts.paths ? { paths: opts.paths } : {});
  const f = compileFilter(text, ctx);
  const none = compileFilter('', createFilterContext());
  const gc = (globalThis as { gc?: () => void }).gc;
  timeLoop(none.match, packets, Math.max(1, iterations >> 3));
  const loop = timeLoop(none.match, packets, iterations);
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const run = timeLoop(f.match, packets, iterations);
  const heap1 = process.memoryUsage().heapUsed;
  const evals = packets.length * iterations;
  const per = (s: number): number => (evals > 0 ? (s * 1e9) / evals : 0);
  return {
    text,
    packets: evals,
    seconds: run.seconds,
    nsPerPacket: Math.max(0, per(run.seconds) - per(loop.seconds)),
    loopNsPerPacket: per(loop.seconds),
    matched: run.matched,
    bytesPerPacket: gc && evals > 0 ? Math.max(0, heap1 - heap0) / evals : null,
  };
}
