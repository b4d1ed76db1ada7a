import type { DecodedPacket } from '../decode/packet.js';
import type { ClassifyHook } from '../engine/engine-types.js';
import { Proto } from '../decode/protocols.js';
import type { ProtoPaths } from '../decode/proto-paths.js';
import { S_H_BODY, S_H_CDATA, S_H_CEXT, S_H_CLOSE, S_H_CSIZE, S_H_CTRAIL, S_H_HEAD, S_H_IDLE, S_NONE, S_REC_BODY, S_REC_HDR, S_SSH, S_STUCK, S_STUCK_HEAD, S_TLS_CONT } from './classifier-states.js';
import { looksLikeHttp } from './http.js';
import { consumeHttp } from './http-stream.js';
import { consumeRecords } from './record-stream.js';
import { looksLikeSsh } from './ssh.js';
import { publishHead } from './stored-http-head.js';
import { TcpDirections } from './tcp-directions.js';
import { looksLikeTls } from './tls.js';
import { classifyUdp } from './udp-classify.js';

export { storedHttpHead } from './stored-http-head.js';

/** ProtoPaths whose packets a PacketClassifier tags: filters on them trust the path alone. */
const tagged = new WeakSet<ProtoPaths>();

/** Does a PacketClassifier tag packets whose paths live in `paths`? (filter protocol tests ask) */
export function pathsAreClassified(paths: ProtoPaths | null): boolean {
  return paths !== null && tagged.has(paths);
}

/**
 * Per-packet application protocol marking, for Engine.classify: extends
 * `p.pathId` with the protocol (`paths.child`) and sets `p.topProto` only when
 * the packet carries that protocol's data the way tshark's `frame.protocols`
 * shows it, so the protocol hierarchy and the `dns`/`http`/`tls` filters
 * count what `tshark -z io,phs` and `tshark -Y` count:
 *
 * - TLS and DNS over TCP: a segment is marked when a record (5-byte TLS header,
 *   2-byte DNS length prefix) ENDS in it, and for TLS also when a record header
 *   starts it; segments in the middle of a record are plain TCP, as tshark's
 *   "TCP segment of a reassembled PDU". TLS data that starts no record is
 *   marked (tshark's "Continuation Data"), also on port 443 mid-connection;
 *   SSH likewise on port 22.
 * - HTTP: marked when a message ends in the segment (head, then Content-Length
 *   or chunked body); other data at a message boundary of an HTTP direction is
 *   marked too (tshark's "Continuation"). A body without length runs to the end
 *   of the connection and is not marked (tshark marks the FIN that ends it).
 * - DNS over UDP: port 53 (tshark's port), or a strict one-question query shape
 *   on any port. UDP 5353 and 5355 are marked `mdns` and `llmnr`, as tshark
 *   names them (DNS's format, other protocols).
 *   The first fragment of a fragmented DNS datagram is not marked; the last is
 *   (tshark dissects the reassembled datagram there).
 * - DHCP (magic cookie), NTP (port 123 + shape), QUIC long headers, SSH (every
 *   payload segment of a direction that sent an `SSH-` banner).
 *
 * Detection is by payload bytes first, so TLS on 8443 and HTTP on 8080 are
 * found (tshark would need "Decode As" there). Streams are followed per TCP
 * direction in a fixed set-associative table of typed arrays: nothing is
 * allocated per packet. Data is taken in order: an overlapping segment adds
 * its new bytes, a pure retransmission is not marked, and after a gap marking
 * holds until the end of the record or body that lost bytes (in an HTTP head,
 * until a new message starts), then resumes at a recognisable header.
 */export class PacketClassifier {
  private readonly t: TcpDirections;
  /** Child path ids by parent * 16 + (app - Proto.Dns); 0 not looked up yet. */
  private kids = new Int32Array(1024);

  /** The hook to install as Engine.classify. */
  readonly classify: ClassifyHook;

  /**
   * `capacity`: TCP directions followed at once by 4-tuple (rounded up to a power of two); `flows`:
   * the engine's flow table, whose slots (passed to onPacket) key the directions of held flows.
   */
  constructor(private readonly paths: ProtoPaths, capacity = 1 << 15, private readonly flows: { readonly gen: Uint32Array } | null = null) {
    this.t = new TcpDirections(capacity);
    tagged.add(paths);
    this.classify = (p, slot, dir) => this.onPacket(p, slot, dir);
  }

  /** Forget every followed stream. */
  reset(): void {
    this.t.reset();
  }

  /**
   * Mark `p` with its application protocol when it carries that protocol's data. `flowSlot`, `dir`:
   * the packet's flow in the engine's flow table (given to the constructor), -1 if it holds none.
   */
  onPacket(p: DecodedPacket, flowSlot = -1, dir = 0): void {
    const proto = p.ipProto;
    if (proto === 6) {
      if (p.payloadOff >= 0 && p.payloadLen > 0 && p.tcpSeq >= 0) {
        const t = this.t;
        t.endedHead = -1;
        const f = this.flows;
        const i = f !== null && flowSlot >= 0 ? t.bySlot(p, flowSlot, dir, f.gen[flowSlot]!) : t.slot(p, false);
        const app = this.tcp(p, i);
        if (app !== 0) this.tag(p, app);
        if (t.endedHead >= 0) publishHead(p, t.heads[t.endedHead]!, t.hSaved[t.endedHead]!);
      }
    } else if (proto === 17) {
      const app = classifyUdp(p);
      if (app !== 0) this.tag(p, app);
    }
  }

  private tag(p: DecodedPacket, app: number): void {
    p.pathId = this.childPath(p.pathId, app);
    p.topProto = app;
  }

  /** paths.child(parent, app), remembered per (parent, app) in a typed array: no Map lookup per marked packet. */
  private childPath(parent: number, app: number): number {
    const k = parent * 16 + (app - Proto.Dns);
    if (app < Proto.Dns || app > Proto.Llmnr || parent < 0) return this.paths.child(parent, app);
    if (k >= this.kids.length) {
      const n = new Int32Array(Math.max(k + 1, this.kids.length * 2));
      n.set(this.kids);
      this.kids = n;
    }
    const id = this.kids[k]!;
    if (id !== 0) return id;
    return (this.kids[k] = this.paths.child(parent, app));
  }

  /** `i`: the packet's direction (TcpDirections index), -1 when not followed yet. */
  private tcp(p: DecodedPacket, i: number): number {
    const t = this.t;
    const b = p.buf;
    const o = p.payloadOff;
    const n = p.payloadLen;
    const seq = p.tcpSeq >>> 0;
    if (p.payloadWireLen > n) {
      // Cut by the snap length: tshark cannot reassemble, so it dissects the segment on
      // its own. HTTP marks it (a message start or "Continuation"); TLS when a record
      // header starts it. The direction restarts at the next segment.
      const http = looksLikeHttp(b, o, n) || (i >= 0 && t.app[i] === Proto.Http);
      const app = http ? Proto.Http : looksLikeTls(b, o, n) ? Proto.Tls : i >= 0 && t.app[i] === Proto.Ssh ? Proto.Ssh : 0;
      if (app === 0) return 0;
      if (i < 0) i = t.slot(p, true);
      t.app[i] = app;
      t.state[i] = app === Proto.Http ? S_H_IDLE : app === Proto.Ssh ? S_SSH : S_NONE;
      t.cursor[i] = (seq + p.payloadWireLen) >>> 0;
      return app;
    }
    if (i >= 0 && t.app[i] !== 0 && t.state[i] !== S_NONE) {
      const st = t.state[i]!;
      const cur = t.cursor[i]!;
      const d = (seq - cur) | 0;
      if (st === S_STUCK) {
        // Lost bytes inside a PDU of known length: tshark's reassembly holds everything up to its end.
        if (d < 0) return 0;
      } else if (st === S_STUCK_HEAD) {
        // Lost bytes inside an HTTP head (length unknown): only a new message start resumes.
        if (!looksLikeHttp(b, o, n)) return 0;
      } else if (d === 0) return this.consume(i, b, o, n, seq);
      else if (d < 0 && ((seq + n - cur) | 0) <= 0) return 0; // retransmission of consumed data
      else if (d < 0) return this.consume(i, b, o - d, n + d, cur); // overlaps the cursor: the new part
      else if (t.app[i] === Proto.Ssh) {
        t.cursor[i] = (seq + n) >>> 0;
        return Proto.Ssh;
      } else {
        // A gap (lost segment). Inside a record or body of known length, the bytes up to its end
        // belong to that PDU; inside an HTTP head or a chunked / unbounded body, to the message.
        if (st === S_REC_BODY || st === S_H_BODY) {
          const pduEnd = (cur + t.remain[i]!) >>> 0;
          if (((seq - pduEnd) | 0) < 0) {
            t.state[i] = S_STUCK;
            t.cursor[i] = pduEnd;
            return 0;
          }
        } else if (st === S_H_HEAD || st === S_H_CSIZE || st === S_H_CEXT || st === S_H_CDATA || st === S_H_CTRAIL || st === S_H_CLOSE) {
          if (!looksLikeHttp(b, o, n)) {
            t.state[i] = S_STUCK_HEAD;
            return 0;
          }
        }
      }
    }
    // Start (or restart) a direction from a recognisable first byte.
    let app = 0;
    let st = S_NONE;
    if (looksLikeTls(b, o, n)) {
      app = Proto.Tls;
      st = S_REC_HDR;
    } else if (looksLikeHttp(b, o, n)) {
      app = Proto.Http;
      st = S_H_IDLE;
    } else if (looksLikeSsh(b, o, n)) {
      app = Proto.Ssh;
      st = S_SSH;
    } else if ((p.srcPort === 53 || p.dstPort === 53) && n >= 2) {
      // tshark hands all of TCP port 53 to DNS: length-prefixed messages.
      app = Proto.Dns;
      st = S_REC_HDR;
    } else {
      // Data that starts no PDU, handed to the protocol afresh: tshark's TLS "Continuation
      // Data" and HTTP "Continuation" in a direction known by its bytes; with nothing known
      // (the connection's start was not seen), TLS on port 443 and SSH on 22, as tshark's
      // port tables say. Anything else stays plain TCP.
      const known = i >= 0 ? t.app[i]! : 0;
      const sp = p.srcPort;
      const dp = p.dstPort;
      if (known === Proto.Tls || (known === 0 && (sp === 443 || dp === 443))) {
        app = Proto.Tls;
        st = S_TLS_CONT;
      } else if (known === Proto.Http) {
        app = Proto.Http;
        st = S_H_IDLE;
      } else if (known === 0 && (sp === 22 || dp === 22)) {
        // tshark's SSH on port 22 marks every payload segment, banner seen or not.
        app = Proto.Ssh;
        st = S_SSH;
      } else {
        if (i >= 0) t.state[i] = S_NONE;
        return 0;
      }
      if (i < 0) i = t.slot(p, true);
      t.app[i] = app;
      t.state[i] = st;
      t.cursor[i] = (seq + n) >>> 0;
      return app;
    }
    if (i < 0) i = t.slot(p, true);
    t.app[i] = app;
    t.state[i] = st;
    t.cursor[i] = seq;
    return this.consume(i, b, o, n, seq);
  }

  /** Consume `n` in-order bytes at `seq`; returns the direction's Proto code when something ended here. */
  private consume(i: number, b: Uint8Array, o: number, n: number, seq: number): number {
    const t = this.t;
    t.cursor[i] = (seq + n) >>> 0;
    const app = t.app[i]!;
    if (app === Proto.Ssh) return Proto.Ssh;
    if (app === Proto.Http) return consumeHttp(t, i, b, o, n) ? Proto.Http : 0;
    return consumeRecords(t, i, b, o, n, app === Proto.Tls) ? app : 0;
  }
}
