import type { Snapshot, SourceInfo } from '../../engine/snapshot.js';

/** What to show before the first tick. */
export function emptySnapshot(source: Partial<SourceInfo> = {}): Snapshot {
  return {
    seq: 0,
    time: 0,
    firstSeen: null,
    source: {
      kind: 'file',
      name: '',
      captureFilter: null,
      displayFilter: null,
      linkTypes: [],
      ended: false,
      dropped: null,
      dropNote: null,
      warnings: [],
      ...source,
    },
    totals: {
      packetsRead: 0,
      bytesRead: 0,
      packets: 0,
      bytes: 0,
      malformed: 0,
      flowsTracked: 0,
      flowsEvicted: 0,
      hostsTracked: 0,
      hostsEvicted: 0,
    },
    pps: 0,
    bps: 0,
    rawPps: 0,
    rawBps: 0,
    hosts: [],
    conversations: [],
    ports: [],
    protocols: [],
    history: new Map(),
    malformedReasons: [],
    focus: null,
  };
}
