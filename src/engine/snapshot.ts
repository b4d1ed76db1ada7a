/**
 * What the engine publishes once per tick for the UI. A snapshot is immutable
 * and self-contained: panels render from it (plus UI state) and nothing else.
 * Rates are per second; byte counts are wire bytes (frame.len).
 */

export interface RateTriple {
  /** Average over the last 2 s, 10 s and 40 s (iftop's three columns), bytes/s. */
  readonly r2: number;
  readonly r10: number;
  readonly r40: number;
}

export interface HostRow {
  /** Canonical address text (IPv4 dotted, IPv6 compressed). */
  readonly addr: string;
  readonly tx: RateTriple;
  readonly rx: RateTriple;
  readonly txBytes: number;
  readonly rxBytes: number;
  readonly txPackets: number;
  readonly rxPackets: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface ConversationRow {
  /** Stable id of the flow for drill-down (engine flow slot + generation). */
  readonly id: string;
  readonly proto: string;
  /** The side that sent the first packet seen. */
  readonly a: string;
  readonly aPort: number | null;
  readonly b: string;
  readonly bPort: number | null;
  readonly vlan: number | null;
  readonly service: string;
  readonly aToB: RateTriple;
  readonly bToA: RateTriple;
  readonly aToBBytes: number;
  readonly bToABytes: number;
  readonly aToBPackets: number;
  readonly bToAPackets: number;
  /** TCP state text: 'syn', 'established', 'fin', 'reset', 'closed', or '' for non-TCP. */
  readonly tcpState: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface PortRow {
  /** 'tcp/443', 'udp/53', 'icmp', ... */
  readonly key: string;
  readonly proto: string;
  readonly port: number | null;
  readonly service: string;
  /** Rates and totals of the traffic to and from the port, both directions together. */
  readonly rate: RateTriple;
  readonly bytes: number;
  readonly packets: number;
  readonly flows: number;
}

export interface ProtocolRow {
  /** Hierarchy path, e.g. 'eth:ipv4:tcp'. */
  readonly path: string;
  readonly packets: number;
  readonly bytes: number;
  /** Packets/s and bits/s over the last 2 s. */
  readonly pps: number;
  readonly bps: number;
  /** Share of all bytes counted, 0..1. */
  readonly share: number;
}

export interface PacketSummary {
  readonly time: number;
  readonly src: string;
  readonly dst: string;
  readonly len: number;
  /** One line in the spirit of tshark's Info column; already escaped for the terminal. */
  readonly info: string;
}

export interface FocusDetail {
  readonly conversation: ConversationRow;
  readonly recentPackets: readonly PacketSummary[];
}

/** Extension: why the conversation asked for (Runtime/Engine.setFocus) is not in `Snapshot.focus`. */
export interface FocusGone {
  /** The id that was asked for (a ConversationRow.id). */
  readonly id: string;
  /**
   * 'evicted': the flow table was full and it was the longest idle; 'expired': idle past
   * the timeout; 'reset': the display filter changed (conversations are counted afresh,
   * under new ids); 'unknown': gone, cause no longer known (its slot was reused and freed
   * again since); 'invalid': not a conversation id.
   */
  readonly reason: 'evicted' | 'expired' | 'reset' | 'unknown' | 'invalid';
  /** One line to show, e.g. 'conversation no longer tracked (expired: idle past the timeout)'. */
  readonly message: string;
}

export interface SourceInfo {
  readonly kind: 'file' | 'stdin' | 'interface' | 'demo';
  readonly name: string;
  readonly captureFilter: string | null;
  readonly displayFilter: string | null;
  readonly linkTypes: readonly string[];
  /** The file or pipe has been read to its end. */
  readonly ended: boolean;
  /** Packets the source says it dropped, or null when the source cannot tell (cap, files). */
  readonly dropped: number | null;
  /** Why drops are unknown or approximate, shown beside the count. */
  readonly dropNote: string | null;
  readonly warnings: readonly string[];
}

export interface Totals {
  /** Everything read from the source. */
  readonly packetsRead: number;
  readonly bytesRead: number;
  /** What passed the display filter. */
  readonly packets: number;
  readonly bytes: number;
  readonly malformed: number;
  readonly flowsTracked: number;
  readonly flowsEvicted: number;
  readonly hostsTracked: number;
  readonly hostsEvicted: number;
  /** Extension: flows removed after being idle longer than the idle timeout. */
  readonly flowsExpired?: number;
}

/** Deviation level, in order of severity (the baseline module's levels). */
export type DeviationLevel = 'normal' | 'elevated' | 'high' | 'critical';

/** One deviation meter of the baseline monitor (its MeterRow, copied): plain numbers, the UI formats them. */
export interface MeterSnapshotRow {
  /** Stable id, e.g. 'bits/s', 'bits/s tcp', 'distinct ports per source'. */
  readonly name: string;
  readonly unit: string;
  readonly current: number;
  /** Learned normal band (for threshold meters: 0 .. threshold). */
  readonly low: number;
  readonly high: number;
  /** z-score, or a ratio to the threshold on the same scale. */
  readonly deviation: number;
  readonly level: DeviationLevel;
  /** The model for this meter is still learning: its level means nothing yet. */
  readonly learning: boolean;
}

/** One alert of the baseline monitor, copied at snapshot time. */
export interface AlertSnapshotRow {
  /** Capture time the alert was first raised, seconds since the epoch (= firstSeen). */
  readonly time: number;
  /** 'port-scan', 'host-sweep', 'syn-flood', 'dns-tunnel', 'exfil', 'beacon', 'volume-spike', 'deviation'. */
  readonly kind: string;
  /** Who: an address, a pair, a domain. Already escaped for the terminal. */
  readonly subject: string;
  readonly severity: DeviationLevel;
  readonly firstSeen: number;
  /** Capture time the condition last held. */
  readonly lastSeen: number;
  readonly observed: number;
  readonly expected: number;
  /** One sentence. Already escaped for the terminal. */
  readonly message: string;
  /** Times raised (1 + recurrences after it cleared). */
  readonly count: number;
  /** The condition still holds (or held less than the clear time ago). */
  readonly active: boolean;
}

/** The state of the baseline model, for a status line. */
export interface BaselineStatusInfo {
  /** Learning (--learn, or `baseline learn`): models update, nothing alerts. */
  readonly learning: boolean;
  /** Learned models are in use (from a file, or after --learn / the warm-up). */
  readonly learned: boolean;
  readonly learnedFrom: 'file' | 'online' | null;
  /** Capture seconds until learning-based detectors start; 0 when they run; Infinity when learning only. */
  readonly learningLeftSec: number;
  /** One line: learning, warm-up left, or where the baseline came from. */
  readonly note: string;
  /** Alerts raised so far, recurrences included (sum of AlertSnapshotRow.count); a UI keeps how many were seen. */
  readonly alertsRaised: number;
}

export interface Snapshot {
  /** Increases by one per published snapshot. */
  readonly seq: number;
  /** Capture time of the snapshot, seconds since the epoch (packet clock). */
  readonly time: number;
  /** Capture time of the first packet, or null before any. */
  readonly firstSeen: number | null;
  readonly source: SourceInfo;
  readonly totals: Totals;
  /** Filtered traffic now (2 s average). */
  readonly pps: number;
  readonly bps: number;
  /** Unfiltered traffic now, shown beside the filtered rate. */
  readonly rawPps: number;
  readonly rawBps: number;
  readonly hosts: readonly HostRow[];
  readonly conversations: readonly ConversationRow[];
  readonly ports: readonly PortRow[];
  readonly protocols: readonly ProtocolRow[];
  /** Bits/s per second for the last `history` seconds, oldest first; key '' is the total. */
  readonly history: ReadonlyMap<string, readonly number[]>;
  readonly malformedReasons: readonly { readonly reason: string; readonly count: number }[];
  readonly focus: FocusDetail | null;
  /**
   * Extension: non-null (and `focus` null) when a conversation is focused but no longer
   * tracked, whether it went before or after setFocus. Absent or null otherwise.
   */
  readonly focusGone?: FocusGone | null;
  /**
   * Extension: publishing is paused (pauseDisplay); counting goes on and the
   * header should say PAUSED. Absent means false.
   */
  readonly paused?: boolean;
  /**
   * Extension: capture time from which the filtered aggregates count (they
   * restart when the display filter changes); null when counting from the start.
   */
  readonly displaySince?: number | null;
  /**
   * Extension, present only when a baseline monitor is attached (RuntimeOptions.monitor or
   * SnapshotOptions.monitor); computed at snapshot time. Meters most severe first.
   */
  readonly meters?: readonly MeterSnapshotRow[];
  /** Extension (with a monitor): alerts, most severe first, then most recent. */
  readonly alerts?: readonly AlertSnapshotRow[];
  /** Extension (with a monitor): learning / learned note. */
  readonly baselineStatus?: BaselineStatusInfo;
}
