/** The meter whose drivers explain each alert kind (BaselineMonitor.drivers takes either name). */
export const KIND_METER: Readonly<Record<string, string>> = {
  'port-scan': 'distinct ports per source',
  'host-sweep': 'distinct internal hosts per source',
  'syn-flood': 'SYNs per target',
  'dns-tunnel': 'random-looking DNS names per client and domain',
  exfil: 'outbound bytes per host and destination',
  beacon: 'regular connection pairs',
  'volume-spike': 'hosts far above their usual volume',
};
