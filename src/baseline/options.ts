// Its own file so `wiretop report` can build its option table without loading the detectors.
/** yargs definitions for those options, for the lead to spread into a command. */
export const BASELINE_YARGS_OPTIONS = {
  baseline: { type: 'string', describe: 'learned baseline JSON (from `wiretop baseline learn`)' },
  learn: { type: 'string', describe: 'learn a baseline for this long first (e.g. 10m), then alert' },
  alerts: { type: 'string', describe: 'append alerts to this file as NDJSON as they happen' },
  'home-net': { type: 'string', describe: 'internal networks, CIDR,... (default RFC 1918, ULA, link-local)' },
} as const;
