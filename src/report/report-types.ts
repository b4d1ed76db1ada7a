/** `wiretop report --json`, version 1. Scripts depend on this shape: extend, never change. */
export interface ReportV1 {
  version: 1;
  source: {
    kind: 'file' | 'stdin' | 'interface';
    name: string;
    linkTypes: string[];
    packetsRead: number;
    bytesRead: number;
    truncated: boolean;
    warnings: string[];
  };
  filter: { capture: string | null; display: string | null };
  packets: number;
  bytes: number;
  malformed: number;
  /** Extension: malformed count per reason. */
  malformedReasons: { reason: string; count: number }[];
  firstSeen: string | null;
  lastSeen: string | null;
  durationSeconds: number;
  protocols: { path: string; packets: number; bytes: number }[];
  hosts: {
    addr: string;
    packets: number;
    bytes: number;
    txPackets: number;
    txBytes: number;
    rxPackets: number;
    rxBytes: number;
  }[];
  conversations: {
    proto: string;
    a: string;
    aPort: number | null;
    b: string;
    bPort: number | null;
    service: string;
    packets: number;
    bytes: number;
    aToB: { packets: number; bytes: number };
    bToA: { packets: number; bytes: number };
    firstSeen: string;
    lastSeen: string;
  }[];
  flows: { tracked: number; evicted: number };
  alerts: {
    kind: string;
    subject: string;
    severity: string;
    firstSeen: string;
    lastSeen: string;
    observed: number;
    expected: number;
    message: string;
  }[];
}
