/** The engine's contracts: options, observers, source info (src/engine/engine.ts implements them). */
import type { PacketRecord } from '../capture/record.js';
import type { DecodedPacket } from '../decode/packet.js';
import type { ProtoPaths } from '../decode/proto-paths.js';

export type PacketPredicate = (p: DecodedPacket) => boolean;

/**
 * Engine.classify: called with the packet, the slot of its flow when the flow table already holds
 * it (else -1: a new flow, or one no displayed packet has created) and its direction on that flow,
 * so per-flow state can be kept by slot (FlowTable.gen tells a reused slot).
 */
export type ClassifyHook = (p: DecodedPacket, flowSlot: number, dir: number) => void;

/** Something that wants every counted packet: dissection, streams, baseline. */
export interface EngineObserver {
  /** Called after the flow update; `flowSlot` is -1 for packets without IP. */
  onPacket(p: DecodedPacket, flowSlot: number): void;
  /** Called once per second of packet clock (or wall clock for idle live captures). */
  onTick?(nowSec: number): void;
  /** A flow slot is about to be freed (evicted, expired or reset); its number will be reused. */
  onFlowRemoved?(flowSlot: number): void;
  /** The filtered aggregates were reset (display filter changed): forget per-flow state. */
  onReset?(): void;
}

export interface DecoderLike {
  readonly paths: ProtoPaths;
  decode(r: PacketRecord, out: DecodedPacket): void;
  /** Forget what carries from packet to packet (first-fragment ports): a replay starts afresh. */
  reset?(): void;
}

/** What the engine knows about its source (for snapshots and reports). */
export interface EngineSourceInfo {
  kind: 'file' | 'stdin' | 'interface' | 'demo';
  name: string;
  linkTypes: string[];
  packetsRead: number;
  bytesRead: number;
  truncated: boolean;
  warnings: string[];
  ended: boolean;
  dropped: number | null;
  dropNote: string | null;
}

export interface EngineOptions {
  decoder?: DecoderLike;
  maxFlows?: number;
  maxHosts?: number;
  /**
   * Closed TCP connections and non-TCP flows idle this long (packet clock) are
   * expired; 0 disables all expiry (report mode). Default 300 s.
   */
  idleTimeoutSec?: number;
  /** Idle timeout of TCP connections not yet closed (FIN both ways or RST). Default 3600 s. */
  openTcpTimeoutSec?: number;
  /** Keep per-second rate buckets (default true; `report` turns them off). */
  rates?: boolean;
  capturePredicate?: PacketPredicate | null;
  captureFilterText?: string | null;
  displayPredicate?: PacketPredicate | null;
  /**
   * Runs on every captured packet before protocols are counted and before the
   * display filter, so application protocols detected from the payload
   * (dissect's packet classifier) reach the hierarchy, the rates and filters.
   */
  classify?: ClassifyHook | null;
  displayFilterText?: string | null;
  /**
   * Summaries of this many most recent packets (all flows) are kept, so a
   * conversation shows its last packets as soon as it is focused. Default 4096;
   * 0 keeps none (`report`, which never focuses).
   */
  recentPackets?: number;
  /**
   * Follow TCP connections before the display filter for the numbers tshark shows (relative
   * seq/ack, calculated window: Engine.tcp). Default: when recent packets are kept.
   */
  tcpNumbers?: boolean;
}
