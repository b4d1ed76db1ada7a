/**
 * One fixture file being generated: a pcap or pcapng writer plus the running
 * tallies that become its manifest entry. Generators tag each packet with the
 * protocols it carries and its IP endpoints, so the manifest states what a
 * correct decoder must find, and the fixtures test checks it against tshark.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PcapngWriter, type PcapngInterface } from '../capture/pcapng-writer.js';
import { linkTypeName } from '../capture/record.js';

export interface PairStats {
  src: string;
  dst: string;
  packets: number;
  /** Sum of wire lengths (frame.len). */
  bytes: number;
}

export interface ManifestEntry {
  file: string;
  description: string;
  format: 'pcap' | 'pcapng';
  byteOrder: 'little' | 'big';
  /** Timestamp resolution: 'us' or 'ns' for pcap; per interface for pcapng. */
  tsResolution: string[];
  /** Per interface for pcapng; one entry for pcap. */
  linkTypes: number[];
  linkTypeNames: string[];
  /** Packet records a reader must deliver (tshark's frame count). */
  packets: number;
  /** Sum of original (wire) lengths. */
  bytes: number;
  /** Sum of captured lengths. */
  capturedBytes: number;
  /** Epoch seconds of the first and last timestamped record, rounded to the microsecond. */
  firstTime: number;
  lastTime: number;
  /**
   * Packets containing each protocol, by wiretop's protocol names (eth, vlan, sll, sll2,
   * null, raw, ipv4, ipv6, arp, tcp, udp, icmp, icmpv6, dns, http, tls, ssh, ntp, ...).
   * A later IP fragment counts for ipv4/ipv6 only; its first fragment counts for the transport too.
   */
  protocols: Record<string, number>;
  /** Directional IP address pairs (outer header), sorted by bytes then packets, descending. */
  pairs: PairStats[];
  /** Malformed packets by wiretop reason text (MALFORMED_REASONS) - only in files that have them. */
  malformed?: Record<string, number>;
  /** File-specific expectations (see each generator). */
  expect?: Record<string, unknown>;
  sha256: string;
  size: number;
}

export interface PacketMeta {
  protos: string[];
  src?: string;
  dst?: string;
  /** pcapng interface index. */
  ifIndex?: number;
  /** Store only this many bytes (the rest counts as wire length). */
  capLen?: number;
  malformed?: string;
}

export interface FixtureOptions {
  description: string;
  format?: 'pcap' | 'pcapng';
  /** pcap link type (default 1). */
  linkType?: number;
  nanos?: boolean;
  bigEndian?: boolean;
  snaplen?: number;
  /** pcapng interfaces. */
  interfaces?: PcapngInterface[];
  /** Epoch second that relative times count from. */
  baseSec?: number;
}

export const DEFAULT_BASE_SEC = 1_767_225_600; // 2026-01-01T00:00:00Z

export class Fixture {
  readonly name: string;
  readonly opts: FixtureOptions;
  private readonly pcap?: PcapWriter;
  readonly ng?: PcapngWriter;
  private readonly baseSec: number;
  packets = 0;
  private bytes = 0;
  private capBytes = 0;
  private first = -1;
  private last = -1;
  private readonly protos = new Map<string, number>();
  private readonly pairs = new Map<string, PairStats>();
  private readonly malformed = new Map<string, number>();
  expect: Record<string, unknown> = {};

  constructor(name: string, opts: FixtureOptions) {
    this.name = name;
    this.opts = opts;
    this.baseSec = opts.baseSec ?? DEFAULT_BASE_SEC;
    if (opts.format === 'pcapng') {
      this.ng = new PcapngWriter({ bigEndian: opts.bigEndian, userAppl: 'wiretop fixtures-gen' });
      for (const i of opts.interfaces ?? [{ linkType: opts.linkType ?? 1 }]) this.ng.addInterface(i);
    } else {
      this.pcap = new PcapWriter({
        linkType: opts.linkType ?? 1,
        nanos: opts.nanos,
        bigEndian: opts.bigEndian,
        snaplen: opts.snaplen,
      });
    }
  }

  /** Add a frame at `relNs` nanoseconds after the base time. */
  add(relNs: number, frame: Uint8Array, m: PacketMeta): void {
    const ns = Math.round(relNs);
    const sec = this.baseSec + Math.floor(ns / 1e9);
    const nsec = ns % 1e9;
    const cap = Math.min(m.capLen ?? frame.length, frame.length, this.opts.snaplen ?? Infinity);
    const data = cap < frame.length ? frame.subarray(0, cap) : frame;
    if (this.ng) this.ng.writePacket(m.ifIndex ?? 0, sec, nsec, data, frame.length);
    else this.pcap!.writePacket(sec, nsec, data, frame.length);
    this.count(sec + nsec / 1e9, frame.length, cap, m);
  }

  /** Tally a record written some other way (e.g. an SPB through `ng`; pass NaN for no timestamp). */
  count(time: number, wireLen: number, capLen: number, m: PacketMeta): void {
    this.packets++;
    this.bytes += wireLen;
    this.capBytes += capLen;
    if (!Number.isNaN(time)) {
      if (this.first < 0) this.first = time;
      this.last = time;
    }
    for (const p of new Set(m.protos)) this.protos.set(p, (this.protos.get(p) ?? 0) + 1);
    if (m.src !== undefined && m.dst !== undefined) {
      const k = `${m.src} ${m.dst}`;
      let s = this.pairs.get(k);
      if (!s) this.pairs.set(k, (s = { src: m.src, dst: m.dst, packets: 0, bytes: 0 }));
      s.packets++;
      s.bytes += wireLen;
    }
    if (m.malformed) this.malformed.set(m.malformed, (this.malformed.get(m.malformed) ?? 0) + 1);
  }

  /** Bytes of the finished file. */
  bytesOut(): Uint8Array {
    return (this.ng ?? this.pcap)!.toBuffer();
  }

  /** Write the file into `dir` (optionally transformed, e.g. cut short) and return its manifest entry. */
  finish(dir: string, transform?: (b: Uint8Array) => Uint8Array): ManifestEntry {
    let b = this.bytesOut();
    if (transform) b = transform(b);
    writeFileSync(join(dir, this.name), b);
    const o = this.opts;
    const ifs = o.interfaces ?? [{ linkType: o.linkType ?? 1, tsresol: o.nanos ? 9 : 6 }];
    const e: ManifestEntry = {
      file: this.name,
      description: o.description,
      format: o.format ?? 'pcap',
      byteOrder: o.bigEndian ? 'big' : 'little',
      tsResolution: ifs.map((i) => resolutionName(i.tsresol ?? 6)),
      linkTypes: ifs.map((i) => i.linkType),
      linkTypeNames: ifs.map((i) => linkTypeName(i.linkType)),
      packets: this.packets,
      bytes: this.bytes,
      capturedBytes: this.capBytes,
      firstTime: roundMicros(this.first),
      lastTime: roundMicros(this.last),
      protocols: Object.fromEntries([...this.protos].sort((a, c) => c[1] - a[1] || cmp(a[0], c[0]))),
      pairs: [...this.pairs.values()].sort((a, c) => c.bytes - a.bytes || c.packets - a.packets || cmp(a.src + a.dst, c.src + c.dst)),
      sha256: createHash('sha256').update(b).digest('hex'),
      size: b.length,
    };
    if (this.malformed.size) e.malformed = Object.fromEntries(this.malformed);
    if (Object.keys(this.expect).length) e.expect = this.expect;
    return e;
  }
}

function resolutionName(r: number): string {
  if (r === 6) return 'us';
  if (r === 9) return 'ns';
  if (r === 3) return 'ms';
  return r & 0x80 ? `2^-${r & 0x7f}` : `10^-${r}`;
}

function roundMicros(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
