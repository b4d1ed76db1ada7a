import { join } from 'node:path';
import { PcapWriter } from '../../capture/pcap-writer.js';
import { background, type BackgroundOptions } from './background.js';
import { FrameList, type GenFrame } from './frames.js';
import { INJECTION_KINDS, inject, type Injection } from './injections.js';

export interface AnomalyScenario extends Omit<BackgroundOptions, 'startSec'> {
  /** Capture start, epoch seconds (default 2023-11-14T22:13:20Z). */
  startSec?: number;
  injections?: Injection[];
}

export const DEFAULT_START = 1_700_000_000;

/** All frames of a scenario in time order (background plus injections). */
export function generateAnomalyFrames(s: AnomalyScenario): GenFrame[] {
  const start = s.startSec ?? DEFAULT_START;
  const out = new FrameList();
  background({ ...s, startSec: start }, out);
  for (const inj of s.injections ?? []) inject(inj, start, start + s.durationSec, s.seed, out);
  const end = start + s.durationSec;
  return out.sorted().filter((f) => f.t < end);
}

/** Write a scenario to a pcap file (large payloads are already cut short by the generator and counted in origLen). */
export function writeAnomalyPcap(path: string, s: AnomalyScenario): number {
  const w = PcapWriter.toFile(path);
  let n = 0;
  for (const f of generateAnomalyFrames(s)) {
    const sec = Math.floor(f.t);
    w.writePacket(sec, Math.min(999_999_999, Math.round((f.t - sec) * 1e9)), f.data, f.origLen);
    n++;
  }
  w.close();
  return n;
}

/**
 * The baseline fixture set: a clean capture to learn from (seed 1, 15 min),
 * a clean one to check against (seed 2, 15 min) and one per injection kind
 * (seed 3, 450 s, injected at 150 s). Returns the file names written.
 */
export function writeAnomalyFixtures(dir: string): string[] {
  const files: [string, AnomalyScenario][] = [
    ['baseline-clean-learn.pcap', { seed: 1, durationSec: 900 }],
    ['baseline-clean-check.pcap', { seed: 2, durationSec: 900, hosts: 40 }],
    ...INJECTION_KINDS.map((kind): [string, AnomalyScenario] => [
      `baseline-${kind}.pcap`,
      { seed: 3, durationSec: 450, injections: [{ kind, atSec: 150 }] },
    ]),
  ];
  for (const [name, s] of files) writeAnomalyPcap(join(dir, name), s);
  return files.map(([name]) => name);
}
