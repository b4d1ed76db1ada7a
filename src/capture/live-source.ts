import { CaptureError, oneLine } from './capture-error.js';
import { capLinkType, loadCap, type CapHandle, type CapModule } from './cap-module.js';
import { sysfsCounter, type IfaceCounter } from './iface-counters.js';
import { newSocketMapping, readOwnMaps, snaplenSlots } from './ring-probe.js';
import { linkTypeName, PacketRecord } from './record.js';
import { newStatus, realTimers, type PacketSource, type SourceEnd, type SourceStatus, type SourceTimers } from './source.js';

export interface LiveSourceOptions {
  iface: string;
  /** pcap-filter expression compiled by libpcap (e.g. 'tcp port 443'). */
  bpf?: string;
  /** Bytes kept per packet (default 65535, which is also cap's fixed libpcap snaplen). */
  snaplen?: number;
  /** Kernel capture buffer in MiB (default 16). */
  bufferMb?: number;
  /** Injected for tests: the cap module and the clock. */
  cap?: CapModule;
  timers?: SourceTimers;
  /**
   * Running total of packets the interface carried, to estimate what the
   * capture missed (default: /sys/class/net/IF/statistics; null: no estimate).
   * Only used without a capture filter.
   */
  ifaceCounter?: IfaceCounter | null;
  /** /proc/self/maps reader, to size the kernel ring (see ring-probe.ts); injected for tests. */
  readMaps?: () => string;
}

/**
 * Kernel buffer for live capture. cap opens libpcap with a 65535-byte snaplen
 * in immediate mode, so each packet takes a 64 KiB slot: 16 MiB held only 256
 * packets and lost 20-25% of 1,000-packet bursts, 64 MiB lost none in bursts of
 * 20,000 (src/capture/README.md, "Live capture loss").
 */
export const DEFAULT_BUFFER_MB = 64;

export const DROP_NOTE = 'libpcap drop counts are not exposed by cap';
export const DROP_NOTE_FILTERED = `${DROP_NOTE}; with a capture filter the interface counters cannot tell what was missed`;
export function dropEstimateNote(iface: string): string {
  return `estimate: packets counted on ${iface} minus packets captured (libpcap's own count is not exposed by cap; offloads such as GRO can make it high)`;
}
/** Below this many packets the kernel ring is called out in the drop note. */
const SMALL_RING = 4096;
export function smallRingNote(slots: number): string {
  return `the kernel buffer holds only about ${slots} packets (libpcap gives each a 64 KiB slot here); a bigger buffer loses fewer`;
}
/** Re-read the interface counters at most this often (ms). */
const ESTIMATE_EVERY_MS = 250;
export const PERMISSION_HINT =
  'run as root or `sudo setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which node))`';
/** cap always asks libpcap for 65535 bytes; a larger buffer would never fill. */
const CAP_SNAPLEN = 65535;

/**
 * Every cap handle ever made, with its buffer, kept for the process lifetime.
 * cap's native destructor must never run: for a handle whose open() failed it
 * stops a never-started poll handle, and for a closed one it emits an async
 * "destroy" from inside V8's GC weak callback, which crashed the process
 * (SIGSEGV in node::AsyncWrap::EmitDestroy from Pcap::~Pcap during a GC, seen
 * in live-bench after ~20 sources had been opened and closed). Live sources
 * are opened a few times per process, so this costs ~64 KiB each.
 */
const retainedHandles: unknown[] = [];

const PERMISSION = /permission|not permitted|EPERM|EACCES/i;
const NO_DEVICE = /no such device|doesn't exist|not found|No such file/i;
/** Errors from pcap_create/activate/setnonblock; anything else with a filter set came from pcap_compile. */
const PRE_FILTER = /unable to set|socket:|not up|SIOC|activate|buffer|nonblock/i;

function mapOpenError(iface: string, bpf: string, e: unknown): CaptureError {
  const msg = oneLine(e);
  if (PERMISSION.test(msg)) {
    return new CaptureError(`no permission to capture on ${iface} (${msg}): ${PERMISSION_HINT}`, 2);
  }
  if (NO_DEVICE.test(msg)) return new CaptureError(`no such capture interface: ${iface} (${msg})`, 2);
  if (bpf !== '' && !PRE_FILTER.test(msg)) {
    return new CaptureError(`capture filter is not valid pcap-filter syntax: ${msg} (filter: ${bpf})`, 2);
  }
  return new CaptureError(`cannot capture on ${iface}: ${msg}`, 2);
}

class LiveSource implements PacketSource {
  readonly info: SourceStatus;
  /** The buffer cap writes every packet into. It must live as long as the handle. */
  readonly buffer: Buffer;
  readonly handle: CapHandle;
  readonly linkType: number;
  private readonly rec = new PacketRecord();
  private readonly timers: SourceTimers;
  private readonly snaplen: number;
  private readonly wallSec: number;
  private readonly wallNsec: number;
  private readonly mono0: number;
  private onPacket: ((r: PacketRecord) => void) | null = null;
  private finish: ((end: SourceEnd) => void) | null = null;
  private fail: ((e: unknown) => void) | null = null;
  private closed = false;
  private readonly counter: IfaceCounter | null;
  /** Packets cap handed over since start(), paused or not: what the interface counters are compared with. */
  private received = 0;
  private counterBase: number | null = null;
  private estimate: number | null = 0;
  private estimateAt = -Infinity;

  constructor(opts: LiveSourceOptions) {
    const cap = opts.cap ?? loadCap();
    const bpf = opts.bpf?.trim() ?? '';
    this.timers = opts.timers ?? realTimers;
    this.snaplen = Math.max(1, Math.min(opts.snaplen ?? CAP_SNAPLEN, CAP_SNAPLEN));
    this.info = newStatus('live', opts.iface);
    this.info.dropped = null;
    this.info.dropNote = DROP_NOTE;
    checkInterface(cap, opts.iface);
    const counter = opts.ifaceCounter === undefined ? sysfsCounter(opts.iface) : opts.ifaceCounter;
    this.counter = bpf === '' ? counter : null;
    if (this.counter) {
      this.info.dropNote = dropEstimateNote(opts.iface);
      // A getter, so the estimate is made when someone looks (once per UI tick), never per packet.
      const info = this.info;
      Object.defineProperty(info, 'dropped', {
        enumerable: true,
        configurable: true,
        get: () => this.droppedEstimate(),
        // Whoever assigns a value gets a plain field back (no TypeError from a getter-only property).
        set: (v: number | null) => Object.defineProperty(info, 'dropped', { enumerable: true, configurable: true, writable: true, value: v }),
      });
    } else if (bpf !== '' && counter) {
      this.info.dropNote = DROP_NOTE_FILTERED;
    }
    const bufSize = Math.max(1, Math.round((opts.bufferMb ?? DEFAULT_BUFFER_MB) * 1024 * 1024)) >>> 0;
    this.buffer = Buffer.alloc(CAP_SNAPLEN);
    this.handle = new cap.Cap();
    retainedHandles.push(this.handle, this.buffer);
    let lt: string;
    const readMaps = opts.readMaps ?? readOwnMaps;
    const mapsBefore = readMaps();
    try {
      lt = this.handle.open(opts.iface, bpf, bufSize, this.buffer);
    } catch (e) {
      throw mapOpenError(opts.iface, bpf, e);
    }
    const slots = snaplenSlots(newSocketMapping(mapsBefore, readMaps()), bufSize);
    this.info.kernelRingPackets = slots;
    if (slots !== null && slots < SMALL_RING) this.info.dropNote += `; ${smallRingNote(slots)}`;
    this.linkType = capLinkType(lt);
    this.info.linkTypes.push(linkTypeName(this.linkType));
    // Anchor the monotonic clock to wall time once, so timestamps never step backwards.
    const wallMs = Date.now();
    this.mono0 = this.timers.now();
    this.wallSec = Math.floor(wallMs / 1000);
    this.wallNsec = (wallMs - this.wallSec * 1000) * 1e6;
    this.handle.on('packet', (nbytes: number, trunc: boolean) => this.deliver(nbytes, trunc));
  }

  start(onPacket: (r: PacketRecord) => void): Promise<SourceEnd> {
    if (this.closed) return Promise.resolve({ reason: 'stopped' });
    if (this.onPacket) return Promise.reject(new CaptureError('capture source already started', 2));
    this.onPacket = onPacket;
    this.counterBase = this.counter?.() ?? null;
    return new Promise((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
  }

  pause(): void {
    this.info.paused = true;
  }

  resume(): void {
    this.info.paused = false;
  }

  stop(): void {
    if (this.closed) return;
    if (this.counter) {
      const final = this.droppedEstimate(true);
      Object.defineProperty(this.info, 'dropped', { enumerable: true, configurable: true, writable: true, value: final });
    }
    this.closed = true;
    this.info.ended = true;
    try {
      this.handle.close();
    } catch {
      // already closed by libpcap; nothing to release
    }
    this.finish?.({ reason: 'stopped' });
    this.finish = null;
    this.fail = null;
  }

  private deliver(nbytes: number, trunc: boolean): void {
    const cb = this.onPacket;
    if (cb === null || this.closed) return;
    this.received++;
    if (this.info.paused) return; // paused: packets are read and discarded
    if (trunc) this.info.truncated = true;
    const rec = this.rec;
    const elapsedNs = Math.round((this.timers.now() - this.mono0) * 1e6);
    const ns = this.wallNsec + elapsedNs;
    const carry = Math.floor(ns / 1e9);
    rec.buf = this.buffer;
    rec.off = 0;
    rec.capLen = nbytes < this.snaplen ? nbytes : this.snaplen;
    // cap reports only the captured length; the wire length is not available.
    rec.origLen = nbytes;
    rec.linkType = this.linkType;
    rec.ifIndex = 0;
    rec.tsSec = this.wallSec + carry;
    rec.tsNsec = ns - carry * 1e9;
    this.info.packetsRead++;
    this.info.bytesRead += nbytes;
    try {
      cb(rec);
    } catch (e) {
      // An exception here would unwind into cap's native callback and kill the process: end start() with it instead.
      const fail = this.fail;
      this.fail = null;
      this.finish = null;
      this.stop();
      fail?.(e);
    }
  }

  /**
   * Packets the interface carried since start() that cap never delivered.
   * Timers and UI ticks run only after cap's dispatch loop has emptied the
   * kernel buffer, so what is still in flight at that moment is a few packets.
   */
  private droppedEstimate(force = false): number | null {
    const counter = this.counter;
    if (counter === null) return null;
    if (this.onPacket === null) return 0; // not started: nothing could have been missed yet
    if (this.counterBase === null) return null;
    const now = this.timers.now();
    if (!force && now - this.estimateAt < ESTIMATE_EVERY_MS) return this.estimate;
    this.estimateAt = now;
    const total = counter();
    this.estimate = total === null ? null : Math.max(0, total - this.counterBase - this.received);
    return this.estimate;
  }
}

function checkInterface(cap: CapModule, iface: string): void {
  let names: string[];
  try {
    names = cap.Cap.deviceList().map((d) => d.name);
  } catch {
    return; // let open() report the problem
  }
  // Only pre-check when the listing worked; it also keeps libpcap from printing a lookupnet warning.
  if (names.length > 0 && !names.includes(iface)) {
    throw new CaptureError(`no such capture interface: ${iface} (available: ${names.join(', ')})`, 2);
  }
}

/**
 * Open a live capture through `cap`. The handle opens now (so the CLI can
 * report errors and then drop privileges); packets flow once `start` is called.
 * Throws CaptureError (exit code 2) for a missing interface, missing
 * permission, an invalid filter, or when cap is not installed.
 */
export function openLiveSource(opts: LiveSourceOptions): PacketSource & { readonly buffer: Buffer; readonly linkType: number } {
  return new LiveSource(opts);
}
