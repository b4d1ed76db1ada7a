import type { DecodedPacket } from '../decode/packet.js';
import { Proto } from '../decode/protocols.js';
import type { ProtoPaths } from '../decode/proto-paths.js';
import { looksLikeDhcp } from './dhcp.js';
import { looksLikeHttp } from './http.js';
import { looksLikeNtp } from './ntp.js';
import { looksLikeQuic } from './quic.js';
import { looksLikeSsh } from './ssh.js';
import { looksLikeTls } from './tls.js';
import { looksLikeStrictDnsQuery } from './detect.js';

/** ProtoPaths whose packets a PacketClassifier tags: filters on them trust the path alone. */
const tagged = new WeakSet<ProtoPaths>();

/** Does a PacketClassifier tag packets whose paths live in `paths`? (filter protocol tests ask) */
export function pathsAreClassified(paths: ProtoPaths | null): boolean {
  return paths !== null && tagged.has(paths);
}

// Per-direction stream states.
const S_NONE = 0;
/** TLS / DNS-over-TCP: at a record header. */
const S_REC_HDR = 1;
/** TLS / DNS-over-TCP: `remain` body bytes of the current record to go. */
const S_REC_BODY = 2;
/** HTTP: at the start of a message (or continuation data). */
const S_H_IDLE = 3;
/** HTTP: inside the header block. */
const S_H_HEAD = 4;
/** HTTP: `remain` body bytes to go (Content-Length). */
const S_H_BODY = 5;
/** HTTP chunked body: reading a chunk-size line (hex digits into `remain`). */
const S_H_CSIZE = 6;
/** HTTP chunked body: skipping chunk extensions up to LF. */
const S_H_CEXT = 7;
/** HTTP chunked body: `remain` data bytes (then CRLF, counted in `remain`). */
const S_H_CDATA = 8;
/** HTTP chunked body: trailer lines after the last chunk, up to an empty line. */
const S_H_CTRAIL = 9;
/** HTTP body without length (response read until the connection closes). */
const S_H_CLOSE = 10;
/** SSH: every payload segment is SSH. */
const S_SSH = 11;
/** Bytes were lost inside a PDU of known length; `cursor` is where it ends. */
const S_STUCK = 12;
/** Bytes were lost inside an HTTP head or body of unknown length. */
const S_STUCK_HEAD = 13;
/** TLS data that starts no record ("Continuation Data"): every segment is TLS until a header. */
const S_TLS_CONT = 14;

// Header-name matching while scanning an HTTP head byte by byte.
const CL = 'content-length:';
const TE = 'transfer-encoding:';
const CHUNKED = 'chunked';
const H_LINE_START = 0;
const H_MATCH_CL = 1;
const H_MATCH_TE = 2;
const H_CL_VALUE = 3;
const H_TE_VALUE = 4;
const H_SKIP = 5;

const WAYS = 4;
/** Bytes of an HTTP head kept for a message whose body spans segments. */
const MAX_HEAD = 4096;

// The HTTP head of the message that ended in the last classified packet (see storedHttpHead).
let headBuf: Uint8Array | null = null;
let headLen = 0;
let keyBuf: Uint8Array | null = null;
let keyOff = -1;
let keySec = -1;
let keyNsec = -1;

function publishHead(p: DecodedPacket, buf: Uint8Array, len: number): void {
  headBuf = buf;
  headLen = len;
  keyBuf = p.buf;
  keyOff = p.frameOff;
  keySec = p.tsSec;
  keyNsec = p.tsNsec;
}

/**
 * The head of an HTTP message whose body ended in `p` (a copy kept by the packet
 * classifier when the body spanned segments), or null. tshark shows such a
 * message's fields (http.response.code, ...) in the segment that completes it;
 * the app fields read this head there. Valid for the packet just classified.
 */
export function storedHttpHead(p: DecodedPacket): Uint8Array | null {
  if (headBuf === null || p.buf !== keyBuf || p.frameOff !== keyOff || p.tsSec !== keySec || p.tsNsec !== keyNsec) return null;
  return headBuf.subarray(0, headLen);
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
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
 *   on any port. mDNS (5353) and LLMNR (5355) are not marked: tshark calls
 *   them `mdns`/`llmnr`, not `dns`, and wiretop has no Proto code for them.
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
 */
export class PacketClassifier {
  private readonly mask: number;
  private readonly ka: Int32Array;
  private readonly kb: Int32Array;
  private readonly kc: Int32Array;
  /** 0 empty, 4 or 6 family. */
  private readonly kf: Uint8Array;
  private readonly stamp: Float64Array;
  /** Proto code of the direction, 0 unknown. */
  private readonly app: Uint8Array;
  private readonly state: Uint8Array;
  /** Sequence number of the next byte to consume. */
  private readonly cursor: Uint32Array;
  /** Bytes left in the current record / body / chunk. */
  private readonly remain: Float64Array;
  /** HTTP head scan: header match state, match position, bytes on the current line. */
  private readonly hState: Uint8Array;
  private readonly hPos: Uint8Array;
  private readonly hLine: Uint32Array;
  /** HTTP head: Content-Length seen (-1 none), chunked seen, 1 no-body status / 2 request / 0 response. */
  private readonly hLen: Float64Array;
  private readonly hChunked: Uint8Array;
  private readonly hNoBody: Uint8Array;
  private clock = 0;
  /** Copies of HTTP heads whose body goes on in later segments (allocated per direction on first need, reused). */
  private readonly heads: (Uint8Array | undefined)[] = [];
  private readonly hSaved: Int32Array;
  /** Slot whose saved head belongs to a message that ended in the current packet, or -1. */
  private endedHead = -1;

  /** The hook to install as Engine.classify. */
  readonly classify: (p: DecodedPacket) => void;

  /** `capacity`: TCP directions followed at once (rounded up to a power of two). */
  constructor(private readonly paths: ProtoPaths, capacity = 1 << 15) {
    let n = WAYS;
    while (n < capacity && n < 1 << 22) n <<= 1;
    this.mask = n / WAYS - 1;
    this.ka = new Int32Array(n);
    this.kb = new Int32Array(n);
    this.kc = new Int32Array(n);
    this.kf = new Uint8Array(n);
    this.stamp = new Float64Array(n);
    this.app = new Uint8Array(n);
    this.state = new Uint8Array(n);
    this.cursor = new Uint32Array(n);
    this.remain = new Float64Array(n);
    this.hState = new Uint8Array(n);
    this.hPos = new Uint8Array(n);
    this.hLine = new Uint32Array(n);
    this.hLen = new Float64Array(n);
    this.hChunked = new Uint8Array(n);
    this.hNoBody = new Uint8Array(n);
    this.hSaved = new Int32Array(n);
    tagged.add(paths);
    this.classify = (p) => this.onPacket(p);
  }

  /** Forget every followed stream. */
  reset(): void {
    this.kf.fill(0);
    this.app.fill(0);
    this.state.fill(0);
  }

  /** Mark `p` with its application protocol when it carries that protocol's data. */
  onPacket(p: DecodedPacket): void {
    const proto = p.ipProto;
    if (proto === 6) {
      if (p.payloadOff >= 0 && p.payloadLen > 0 && p.tcpSeq >= 0) {
        this.endedHead = -1;
        const app = this.tcp(p);
        if (app !== 0) this.tag(p, app);
        if (this.endedHead >= 0) publishHead(p, this.heads[this.endedHead]!, this.hSaved[this.endedHead]!);
      }
    } else if (proto === 17) {
      const app = this.udp(p);
      if (app !== 0) this.tag(p, app);
    }
  }

  private tag(p: DecodedPacket, app: number): void {
    p.pathId = this.paths.child(p.pathId, app);
    p.topProto = app;
  }

  private udp(p: DecodedPacket): number {
    const sp = p.srcPort;
    const dp = p.dstPort;
    if (p.isLaterFragment) {
      // tshark dissects a fragmented datagram in its last fragment.
      return p.ipMf === 0 && (sp === 53 || dp === 53) && sp !== 5353 && dp !== 5353 ? Proto.Dns : 0;
    }
    if (p.ipMf !== 0) return 0;
    const b = p.buf;
    const o = p.payloadOff;
    const n = p.payloadLen;
    if (o < 0 || n <= 0) return 0;
    if (looksLikeDhcp(b, o, n)) return Proto.Dhcp;
    if (sp === 53 || dp === 53) return sp === 5353 || dp === 5353 || sp === 5355 || dp === 5355 ? 0 : Proto.Dns;
    if (sp === 5353 || dp === 5353 || sp === 5355 || dp === 5355) return 0;
    if ((sp === 123 || dp === 123) && looksLikeNtp(b, o, n)) return Proto.Ntp;
    if (looksLikeQuic(b, o, n)) return Proto.Quic;
    // NetBIOS name service (137) has DNS's layout; tshark calls it nbns.
    if (sp !== 137 && dp !== 137 && looksLikeStrictDnsQuery(b, o, n)) return Proto.Dns;
    return 0;
  }

  /** The slot of this packet's TCP direction, or -1 when it is not followed and `create` is false. */
  private slot(p: DecodedPacket, create: boolean): number {
    let a: number;
    let b: number;
    let f: number;
    if (p.l3 === 4) {
      a = p.ip4Src | 0;
      b = p.ip4Dst | 0;
      f = 4;
    } else {
      const s = p.ip6Src;
      const d = p.ip6Dst;
      a = Math.imul(s[0]! ^ Math.imul(s[1]!, 0x9e3779b1) ^ Math.imul(s[2]!, 0x85ebca6b), 0x27d4eb2f) ^ s[3]!;
      b = Math.imul(d[0]! ^ Math.imul(d[1]!, 0x9e3779b1) ^ Math.imul(d[2]!, 0x85ebca6b), 0x27d4eb2f) ^ d[3]!;
      f = 6;
    }
    const c = ((p.srcPort << 16) | p.dstPort) | 0;
    let h = Math.imul(a ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35), 0x9e3779b1);
    h ^= h >>> 15;
    const base = (h & this.mask) * WAYS;
    let oldest = base;
    for (let i = base; i < base + WAYS; i++) {
      if (this.kf[i] === f && this.ka[i] === a && this.kb[i] === b && this.kc[i] === c) {
        this.stamp[i] = ++this.clock;
        return i;
      }
      if (this.stamp[i]! < this.stamp[oldest]!) oldest = i;
    }
    if (!create) return -1;
    this.kf[oldest] = f;
    this.ka[oldest] = a;
    this.kb[oldest] = b;
    this.kc[oldest] = c;
    this.stamp[oldest] = ++this.clock;
    this.app[oldest] = 0;
    this.state[oldest] = S_NONE;
    return oldest;
  }

  private tcp(p: DecodedPacket): number {
    const b = p.buf;
    const o = p.payloadOff;
    const n = p.payloadLen;
    const seq = p.tcpSeq >>> 0;
    let i = this.slot(p, false);
    if (p.payloadWireLen > n) {
      // Cut by the snap length: tshark cannot reassemble, so it dissects the segment on
      // its own. HTTP marks it (a message start or "Continuation"); TLS when a record
      // header starts it. The direction restarts at the next segment.
      const http = looksLikeHttp(b, o, n) || (i >= 0 && this.app[i] === Proto.Http);
      const app = http ? Proto.Http : looksLikeTls(b, o, n) ? Proto.Tls : i >= 0 && this.app[i] === Proto.Ssh ? Proto.Ssh : 0;
      if (app === 0) return 0;
      if (i < 0) i = this.slot(p, true);
      this.app[i] = app;
      this.state[i] = app === Proto.Http ? S_H_IDLE : app === Proto.Ssh ? S_SSH : S_NONE;
      this.cursor[i] = (seq + p.payloadWireLen) >>> 0;
      return app;
    }
    if (i >= 0 && this.app[i] !== 0 && this.state[i] !== S_NONE) {
      const st = this.state[i]!;
      const cur = this.cursor[i]!;
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
      else if (this.app[i] === Proto.Ssh) {
        this.cursor[i] = (seq + n) >>> 0;
        return Proto.Ssh;
      } else {
        // A gap (lost segment). Inside a record or body of known length, the bytes up to its end
        // belong to that PDU; inside an HTTP head or a chunked / unbounded body, to the message.
        if (st === S_REC_BODY || st === S_H_BODY) {
          const pduEnd = (cur + this.remain[i]!) >>> 0;
          if (((seq - pduEnd) | 0) < 0) {
            this.state[i] = S_STUCK;
            this.cursor[i] = pduEnd;
            return 0;
          }
        } else if (st === S_H_HEAD || st === S_H_CSIZE || st === S_H_CEXT || st === S_H_CDATA || st === S_H_CTRAIL || st === S_H_CLOSE) {
          if (!looksLikeHttp(b, o, n)) {
            this.state[i] = S_STUCK_HEAD;
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
      const known = i >= 0 ? this.app[i]! : 0;
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
        if (i >= 0) this.state[i] = S_NONE;
        return 0;
      }
      if (i < 0) i = this.slot(p, true);
      this.app[i] = app;
      this.state[i] = st;
      this.cursor[i] = (seq + n) >>> 0;
      return app;
    }
    if (i < 0) i = this.slot(p, true);
    this.app[i] = app;
    this.state[i] = st;
    this.cursor[i] = seq;
    return this.consume(i, b, o, n, seq);
  }

  /** Consume `n` in-order bytes at `seq`; returns the direction's Proto code when something ended here. */
  private consume(i: number, b: Uint8Array, o: number, n: number, seq: number): number {
    this.cursor[i] = (seq + n) >>> 0;
    const app = this.app[i]!;
    if (app === Proto.Ssh) return Proto.Ssh;
    if (app === Proto.Http) return this.http(i, b, o, n) ? Proto.Http : 0;
    // Length-prefixed records: TLS (5-byte header, length at +3) or DNS over TCP (2-byte length).
    const tls = app === Proto.Tls;
    const hdr = tls ? 5 : 2;
    let k = o;
    const end = o + n;
    let ended = false;
    let st = this.state[i]!;
    let rem = this.remain[i]!;
    if (st === S_TLS_CONT) {
      // Continuation data goes on until a segment starts with a record header.
      if (!looksLikeTls(b, o, n)) return app;
      st = S_REC_HDR;
    }
    while (k < end) {
      if (st === S_REC_BODY) {
        const take = Math.min(rem, end - k);
        k += take;
        rem -= take;
        if (rem === 0) {
          ended = true;
          st = S_REC_HDR;
        }
        continue;
      }
      // At a header: it must be whole in this segment (a split header loses sync).
      // tshark marks TLS in a segment that starts with a record header even when the
      // record goes on in later segments (the dissector runs before asking for more).
      if (tls && k === o) ended = true;
      if (end - k < hdr) {
        st = S_NONE;
        break;
      }
      let len: number;
      if (tls) {
        const t = b[k]!;
        if (t < 20 || t > 24 || b[k + 1] !== 3) {
          st = S_NONE;
          break;
        }
        len = (b[k + 3]! << 8) | b[k + 4]!;
      } else {
        len = (b[k]! << 8) | b[k + 1]!;
      }
      k += hdr;
      rem = len;
      st = S_REC_BODY;
      if (len === 0) {
        ended = true;
        st = S_REC_HDR;
      }
    }
    this.state[i] = st;
    this.remain[i] = rem;
    return ended ? app : 0;
  }

  /** Run the HTTP message state machine over in-order bytes; true when a message ended (or continuation data). */
  private http(i: number, b: Uint8Array, o: number, n: number): boolean {
    let k = o;
    const end = o + n;
    let ended = false;
    let st = this.state[i]!;
    let rem = this.remain[i]!;
    /** Where the current message started in this segment (-1: in an earlier one). */
    let msgStart = -1;
    while (k < end) {
      switch (st) {
        case S_H_IDLE: {
          if (!looksLikeHttp(b, k, end - k)) {
            // Not a message start: tshark's "Continuation" (HTTP, one per segment).
            this.state[i] = S_H_IDLE;
            return true;
          }
          // Status line "HTTP/1.x NNN": 1xx, 204 and 304 have no body.
          const response = b[k] === 0x48 && b[k + 1] === 0x54 && b[k + 4] === 0x2f;
          this.hNoBody[i] = response ? 0 : 2;
          if (response && end - k >= 12) {
            const s = (b[k + 9]! - 48) * 100 + (b[k + 10]! - 48) * 10 + (b[k + 11]! - 48);
            if ((s >= 100 && s < 200) || s === 204 || s === 304) this.hNoBody[i] = 1;
          }
          this.hLen[i] = -1;
          this.hChunked[i] = 0;
          this.hState[i] = H_SKIP; // the request/status line
          this.hPos[i] = 0;
          this.hLine[i] = 0;
          msgStart = k;
          st = S_H_HEAD;
          break;
        }
        case S_H_HEAD: {
          const c = b[k++]!;
          if (c === 0x0a) {
            if (this.hLine[i] === 0) {
              // Empty line: the head ends; pick the body.
              if (this.hNoBody[i] === 1) st = S_H_IDLE;
              else if (this.hChunked[i] === 1) {
                st = S_H_CSIZE;
                rem = 0;
                this.hLine[i] = 0;
              } else if (this.hLen[i]! > 0) {
                st = S_H_BODY;
                rem = this.hLen[i]!;
              } else if (this.hLen[i] === 0 || this.hNoBody[i] === 2) st = S_H_IDLE;
              else st = S_H_CLOSE;
              if (st === S_H_IDLE) ended = true;
              else this.saveHead(i, b, msgStart, k);
              break;
            }
            this.hLine[i] = 0;
            this.hState[i] = H_LINE_START;
            this.hPos[i] = 0;
            break;
          }
          if (c === 0x0d) break;
          this.hLine[i]!++;
          this.headByte(i, c);
          break;
        }
        case S_H_BODY: {
          const take = Math.min(rem, end - k);
          k += take;
          rem -= take;
          if (rem === 0) {
            ended = true;
            st = S_H_IDLE;
            this.headEnded(i);
          }
          break;
        }
        case S_H_CSIZE: {
          const c = b[k++]!;
          const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
          if (v >= 0 && rem < 2 ** 40) rem = rem * 16 + v;
          else if (c === 0x0a) {
            if (rem === 0) {
              st = S_H_CTRAIL;
              this.hLine[i] = 0;
            } else {
              st = S_H_CDATA;
              rem += 2;
            }
          } else st = S_H_CEXT;
          break;
        }
        case S_H_CEXT: {
          if (b[k++] === 0x0a) {
            if (rem === 0) {
              st = S_H_CTRAIL;
              this.hLine[i] = 0;
            } else {
              st = S_H_CDATA;
              rem += 2;
            }
          }
          break;
        }
        case S_H_CDATA: {
          const take = Math.min(rem, end - k);
          k += take;
          rem -= take;
          if (rem === 0) st = S_H_CSIZE;
          break;
        }
        case S_H_CTRAIL: {
          const c = b[k++]!;
          if (c === 0x0a) {
            if (this.hLine[i] === 0) {
              ended = true;
              st = S_H_IDLE;
              this.headEnded(i);
            }
            this.hLine[i] = 0;
          } else if (c !== 0x0d) this.hLine[i]!++;
          break;
        }
        case S_H_CLOSE:
          k = end;
          break;
        default:
          k = end;
      }
    }
    this.state[i] = st;
    this.remain[i] = rem;
    return ended;
  }

  /**
   * Keep a copy of a head whose body goes on in later segments: tshark shows the
   * message's fields in the segment that ends it, and so do the app fields (storedHttpHead).
   * Only a head that started in this segment is kept (up to MAX_HEAD bytes).
   */
  private saveHead(i: number, b: Uint8Array, from: number, to: number): void {
    if (from < 0 || this.endedHead === i) {
      this.hSaved[i] = 0;
      return;
    }
    let h = this.heads[i];
    if (h === undefined) {
      while (this.heads.length <= i) this.heads.push(undefined);
      h = this.heads[i] = new Uint8Array(MAX_HEAD);
    }
    const n = Math.min(to - from, MAX_HEAD);
    for (let k = 0; k < n; k++) h[k] = b[from + k]!;
    this.hSaved[i] = n;
  }

  private headEnded(i: number): void {
    if (this.hSaved[i]! > 0 && this.endedHead < 0) this.endedHead = i;
  }

  /** Match Content-Length / Transfer-Encoding: chunked on a header line, byte by byte. */
  private headByte(i: number, c: number): void {
    const s = this.hState[i]!;
    const pos = this.hPos[i]!;
    const lc = lower(c);
    switch (s) {
      case H_LINE_START:
        if (lc === 0x63) {
          this.hState[i] = H_MATCH_CL;
          this.hPos[i] = 1;
        } else if (lc === 0x74) {
          this.hState[i] = H_MATCH_TE;
          this.hPos[i] = 1;
        } else this.hState[i] = H_SKIP;
        return;
      case H_MATCH_CL:
        if (lc !== CL.charCodeAt(pos)) this.hState[i] = H_SKIP;
        else if (pos + 1 === CL.length) {
          this.hState[i] = H_CL_VALUE;
          this.hLen[i] = 0;
        } else this.hPos[i] = pos + 1;
        return;
      case H_MATCH_TE:
        if (lc !== TE.charCodeAt(pos)) this.hState[i] = H_SKIP;
        else if (pos + 1 === TE.length) {
          this.hState[i] = H_TE_VALUE;
          this.hPos[i] = 0;
        } else this.hPos[i] = pos + 1;
        return;
      case H_CL_VALUE:
        if (c >= 0x30 && c <= 0x39) {
          if (this.hLen[i]! < 1e15) this.hLen[i] = this.hLen[i]! * 10 + (c - 0x30);
        } else if (c !== 0x20 && c !== 0x09) this.hState[i] = H_SKIP;
        return;
      case H_TE_VALUE:
        if (lc === CHUNKED.charCodeAt(pos)) {
          if (pos + 1 === CHUNKED.length) {
            this.hChunked[i] = 1;
            this.hState[i] = H_SKIP;
          } else this.hPos[i] = pos + 1;
        } else this.hPos[i] = lc === 0x63 ? 1 : 0;
        return;
      default:
    }
  }
}
