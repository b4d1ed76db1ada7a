import { NdjsonAlertSink, type AlertSink } from './alerts.js';
import { BaselineError, readBaseline } from './baseline-file.js';
import { HomeNet } from './home-net.js';
import { BaselineMonitor, type MonitorOptions } from './monitor.js';
import { monitorThreadAvailable, ThreadedMonitor, type MonitorHandle } from './thread/threaded-monitor.js';

/** The baseline-related options of the main commands (`--baseline`, `--learn`, `--alerts`, `--home-net`). */
export interface BaselineCliOptions {
  baseline?: string;
  /** Live learning duration text: '600', '90s', '10m', '1h'. */
  learn?: string;
  alerts?: string;
  homeNet?: string;
}

export { BASELINE_YARGS_OPTIONS } from './options.js';

/** '600' / '90s' / '10m' / '1.5h' / '1d' to seconds; throws BaselineError. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$/i.exec(text);
  if (!m) throw new BaselineError(`not a duration: "${text}" (use e.g. 90s, 10m, 1h)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const mult = unit.startsWith('m') ? 60 : unit === 'h' ? 3600 : unit === 'd' ? 86400 : 1;
  const s = n * mult;
  if (!(s > 0)) throw new BaselineError(`duration must be positive: "${text}"`);
  return s;
}

/** Check a `--home-net` value; throws BaselineError with the bad part. */
export function checkHomeNet(spec: string): string {
  try {
    new HomeNet(spec);
  } catch (e) {
    throw new BaselineError(`--home-net: ${(e as Error).message}`);
  }
  return spec;
}

/** MonitorOptions from the command-line options (no sinks); throws BaselineError. */
function monitorOptions(o: BaselineCliOptions, extra: Partial<MonitorOptions>): MonitorOptions {
  return {
    ...extra,
    homeNet: o.homeNet ? checkHomeNet(o.homeNet) : extra.homeNet,
    baseline: o.baseline ? readBaseline(o.baseline) : extra.baseline,
    learnSec: o.learn ? parseDuration(o.learn) : extra.learnSec,
  };
}

/**
 * Build the monitor the dashboard or report attaches to the engine
 * (`engine.addObserver(monitor)`). Throws BaselineError for a bad file or option.
 */
export function createBaselineMonitor(o: BaselineCliOptions, extra: Partial<MonitorOptions> = {}): BaselineMonitor {
  return inThread(monitorOptions(o, extra), o.alerts);
}

/** A BaselineMonitor in this thread, with an NDJSON sink for `--alerts`. */
function inThread(options: MonitorOptions, alerts: string | undefined): BaselineMonitor {
  const sinks: AlertSink[] = [...(options.sinks ?? [])];
  if (alerts) sinks.push(new NdjsonAlertSink(alerts));
  return new BaselineMonitor({ ...options, sinks });
}

/**
 * The monitor for `report` and the dashboard: with `thread`, on a thread of
 * its own where the compiled worker exists (thread/threaded-monitor.ts), else
 * in this thread. Same results either way; the thread pays off on long inputs
 * (starting it costs ~50 ms). Throws BaselineError for a bad file or option.
 */
export function createMonitor(o: BaselineCliOptions, thread = true): MonitorHandle {
  // Read once (the baseline file is parsed here), whichever thread the monitor runs on.
  const options = monitorOptions(o, {});
  if (thread && monitorThreadAvailable()) {
    try {
      return new ThreadedMonitor(options, o.alerts ?? null);
    } catch {
      // No thread to be had (a thread limit): the same monitor runs here.
    }
  }
  return inThread(options, o.alerts);
}
