import type { DecodedPacket } from '../decode/packet.js';
import type { ProtoPaths } from '../decode/proto-paths.js';
import { detectApp } from './detect.js';
import { Proto } from '../decode/protocols.js';
import { dissectAs } from './dissect.js';
import { dnsFirstName } from './dns.js';

/** `proto` of a flow out of probes: one read per later packet decides (not two). */
const GAVE_UP = 255;

/** What the classifier tells the engine (Engine.setAppProto). */
export interface AppProtoSink {
  setAppProto(slot: number, proto: number): void;
}

/**
 * Engine observer that classifies flows by application protocol from their
 * first packets. Per packet of a flow already classified (or given up on) it
 * does one typed-array read and returns: no dissection, no allocation.
 * Detection itself (detectApp) allocates nothing; only the single packet that
 * classifies a flow is dissected, to keep a one-line detail for the flow
 * (TLS SNI, HTTP host, DNS name, SSH banner).
 */
export class AppClassifier {
  private proto = new Uint8Array(1024);
  private probes = new Uint8Array(1024);
  private readonly details = new Map<number, string>();
  /** Flows classified so far (a slot reused by a new flow counts again). */
  classifiedFlows = 0;

  /** `maxProbes`: payload-carrying packets tested per flow before giving up. */
  constructor(private readonly sink: AppProtoSink | null = null, private readonly maxProbes = 8, private readonly paths: ProtoPaths | null = null) {}

  onPacket(p: DecodedPacket, slot: number): void {
    if (slot < 0) return;
    if (slot >= this.proto.length) this.grow(slot);
    const known = this.proto[slot]!;
    if (known !== 0) {
      if (known !== GAVE_UP && this.paths) p.pathId = this.paths.child(p.pathId, known);
      return;
    }
    if (p.payloadLen <= 0) return;
    if (this.probes[slot]! >= this.maxProbes) {
      this.proto[slot] = GAVE_UP;
      return;
    }
    this.probes[slot]!++;
    const app = detectApp(p);
    if (app === 0) return;
    this.proto[slot] = app;
    this.classifiedFlows++;
    this.sink?.setAppProto(slot, app);
    if (this.paths) p.pathId = this.paths.child(p.pathId, app);
    let text: string | undefined;
    // DNS flows are many and their detail is one name: read it without dissecting the message.
    const dnsLike = app === Proto.Dns || app === Proto.Mdns || app === Proto.Llmnr;
    const d = dnsLike ? null : dissectAs(p, app);
    if (dnsLike) text = dnsFirstName(p.buf, p.payloadOff, p.payloadLen, p.ipProto === 6);
    else if (d?.proto === 'tls') text = d.clientHello?.sni;
    else if (d?.proto === 'http') text = d.host;
    else if (d?.proto === 'ssh') text = d.banner;
    if (text) this.details.set(slot, text);
  }

  onFlowRemoved(slot: number): void {
    if (slot < this.proto.length) {
      this.proto[slot] = 0;
      this.probes[slot] = 0;
    }
    this.details.delete(slot);
  }

  /** Engine hook: the filtered aggregates restarted, so every slot is new. */
  onReset(): void {
    this.proto.fill(0);
    this.probes.fill(0);
    this.details.clear();
  }

  /** Proto code found for a flow slot, or 0. */
  protoOf(slot: number): number {
    const v = slot >= 0 && slot < this.proto.length ? this.proto[slot]! : 0;
    return v === GAVE_UP ? 0 : v;
  }

  /** One-line detail (SNI, host, query name, banner); raw bytes, escape before showing. */
  detailOf(slot: number): string | undefined {
    return this.details.get(slot);
  }

  private grow(slot: number): void {
    let n = this.proto.length;
    while (n <= slot) n *= 2;
    const a = new Uint8Array(n);
    a.set(this.proto);
    this.proto = a;
    const b = new Uint8Array(n);
    b.set(this.probes);
    this.probes = b;
  }
}
