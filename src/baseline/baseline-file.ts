import { readFileSync, writeFileSync } from 'node:fs';
import type { EwmaState } from './model/ewma.js';
import type { RateModelState } from './model/rate-model.js';

/** The learned baseline as written by `wiretop baseline learn` (see docs/baseline-format.md). */
export interface BaselineFileV1 {
  version: 1;
  tool: 'wiretop';
  createdAt: string;
  /** What it was learned from (file path or interface name). */
  source: string;
  firstPacket: string | null;
  lastPacket: string | null;
  spanSeconds: number;
  packets: number;
  /** The home network the model was learned with (CIDR list). */
  homeNet: string;
  /** True when the learning capture spanned enough hours for per-hour-of-day profiles. */
  hourly: boolean;
  /** Network-wide rate meters: EWMA mean/variance of 10 s averages, global and per UTC hour. */
  rates: Record<string, RateModelState>;
  /** Per-subject metrics: distribution of the largest value among subjects per 60 s window. */
  scan: { ports?: EwmaState; hosts?: EwmaState; internalHosts?: EwmaState };
  synFlood: { synsPerTarget?: EwmaState };
  dns: {
    suspiciousPerClientDomain?: EwmaState;
    queriesPerClient?: EwmaState;
    namesPerClient?: EwmaState;
    namesPerDomain?: EwmaState;
  };
  exfil: { outboundPerPair?: EwmaState };
  beacon: { knownPairs?: string[] };
  volume: { bytesPer10sPerHost?: Record<string, EwmaState> };
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

export function parseBaseline(text: string, where = 'baseline'): BaselineFileV1 {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the start of the file: a capture's bytes say nothing useful.
    throw new BaselineError(`${where}: not a baseline file (not JSON)`);
  }
  if (!o || typeof o !== 'object') throw new BaselineError(`${where}: not a baseline object`);
  const v = (o as { version?: unknown }).version;
  if (v !== 1) throw new BaselineError(`${where}: unsupported baseline version ${JSON.stringify(v)} (this wiretop reads version 1)`);
  const b = o as Partial<BaselineFileV1>;
  return {
    version: 1,
    tool: 'wiretop',
    createdAt: str(b.createdAt),
    source: str(b.source),
    firstPacket: b.firstPacket ?? null,
    lastPacket: b.lastPacket ?? null,
    spanSeconds: typeof b.spanSeconds === 'number' ? b.spanSeconds : 0,
    packets: typeof b.packets === 'number' ? b.packets : 0,
    homeNet: str(b.homeNet),
    hourly: b.hourly === true,
    rates: obj(b.rates),
    scan: obj(b.scan),
    synFlood: obj(b.synFlood),
    dns: obj(b.dns),
    exfil: obj(b.exfil),
    beacon: obj(b.beacon),
    volume: obj(b.volume),
  };
}

export function readBaseline(path: string): BaselineFileV1 {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BaselineError(`cannot read baseline ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseBaseline(text, path);
}

export function writeBaseline(path: string, b: BaselineFileV1): void {
  writeFileSync(path, `${JSON.stringify(b, null, 2)}\n`);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function obj<T>(v: unknown): T {
  return (v && typeof v === 'object' ? v : {}) as T;
}
