import { BASELINE_YARGS_OPTIONS } from '../baseline/options.js';

// Its own file so main.ts can read a report command line before the report itself has loaded.
/** The options as yargs wants them, for the lead's `report` command in main.ts. */
export const REPORT_YARGS_OPTIONS = {
  r: { alias: 'read', type: 'string', describe: 'capture file (pcap or pcapng; - for stdin)' },
  i: { alias: 'interface', type: 'string', describe: 'capture live on this interface (with --duration)' },
  duration: { type: 'number', default: 10, describe: 'seconds to capture live' },
  top: { type: 'number', default: 10, describe: 'rows of hosts and conversations (0 = all)' },
  json: { type: 'boolean', default: false, describe: 'print the report as JSON (version 1)' },
  'max-flows': { type: 'number', default: 1_000_000, describe: 'most flows tracked at once' },
  f: { alias: 'capture-filter', type: 'string', describe: 'capture filter (pcap-filter syntax)' },
  Y: { alias: 'display-filter', type: 'string', describe: 'display filter (the anomaly detectors still see all traffic)' },
  w: { alias: 'write', type: 'string', describe: 'write the packets counted (after -f and -Y) to this pcap file, as tshark -w' },
  ...BASELINE_YARGS_OPTIONS,
  detect: { type: 'boolean', default: true, describe: 'run the anomaly detectors and list their alerts (--no-detect to skip)' },
} as const;
