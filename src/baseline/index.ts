/** Baselines and deviation meters: the public surface for the engine, CLI and UI. */
export { BaselineMonitor, type MonitorOptions, type MonitorStatus, type MonitorView } from './monitor.js';
export type { MeterRow, Driver, Thresholds, Limits } from './context.js';
export { DEFAULT_THRESHOLDS, DEFAULT_LIMITS } from './context.js';
export {
  ALERT_KINDS,
  AlertManager,
  MemoryAlertSink,
  NdjsonAlertSink,
  toReportAlert,
  DEFAULT_TIMING,
  type AlertKind,
  type AlertRecord,
  type AlertSink,
  type AlertTiming,
  type ReportAlert,
} from './alerts.js';
export { BaselineError, parseBaseline, readBaseline, writeBaseline, type BaselineFileV1 } from './baseline-file.js';
export type { MonitorHandle } from './thread/threaded-monitor.js';
export { BASELINE_YARGS_OPTIONS, createBaselineMonitor, createMonitor, parseDuration, checkHomeNet, type BaselineCliOptions } from './setup.js';
export { DEFAULT_HOME_NET, HomeNet } from './home-net.js';
export { LEVELS, levelRank, type Level } from './model/levels.js';
