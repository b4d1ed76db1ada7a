/** The HTTP side of the packet classifier: message framing over in-order bytes of one TCP direction. */
import { S_H_BODY, S_H_CDATA, S_H_CEXT, S_H_CLOSE, S_H_CSIZE, S_H_CTRAIL, S_H_HEAD, S_H_IDLE } from './classifier-states.js';
import { looksLikeHttp } from './http.js';
import type { TcpDirections } from './tcp-directions.js';

// HTTP head scan: header names matched byte by byte across segments.
const CL = 'content-length:';
const TE = 'transfer-encoding:';
const CHUNKED = 'chunked';
const H_LINE_START = 0;
const H_MATCH_CL = 1;
const H_MATCH_TE = 2;
const H_CL_VALUE = 3;
const H_TE_VALUE = 4;
const H_SKIP = 5;

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** Run the HTTP message state machine over in-order bytes; true when a message ended (or continuation data). */
export function consumeHttp(t: TcpDirections, i: number, b: Uint8Array, o: number, n: number): boolean {
  let k = o;
  const end = o + n;
  let ended = false;
  let st = t.state[i]!;
  let rem = t.remain[i]!;
  /** Where the current message started in this segment (-1: in an earlier one). */
  let msgStart = -1;
  while (k < end) {
    switch (st) {
      case S_H_IDLE: {
        if (!looksLikeHttp(b, k, end - k)) {
          // Not a message start: tshark's "Continuation" (HTTP, one per segment).
          t.state[i] = S_H_IDLE;
          return true;
        }
        // Status line "HTTP/1.x NNN": 1xx, 204 and 304 have no body.
        const response = b[k] === 0x48 && b[k + 1] === 0x54 && b[k + 4] === 0x2f;
        t.hNoBody[i] = response ? 0 : 2;
        if (response && end - k >= 12) {
          const s = (b[k + 9]! - 48) * 100 + (b[k + 10]! - 48) * 10 + (b[k + 11]! - 48);
          if ((s >= 100 && s < 200) || s === 204 || s === 304) t.hNoBody[i] = 1;
        }
        t.hLen[i] = -1;
        t.hChunked[i] = 0;
        t.hState[i] = H_SKIP; // the request/status line
        t.hPos[i] = 0;
        t.hLine[i] = 0;
        msgStart = k;
        st = S_H_HEAD;
        break;
      }
      case S_H_HEAD: {
        const c = b[k++]!;
        if (c === 0x0a) {
          if (t.hLine[i] === 0) {
            // Empty line: the head ends; pick the body.
            if (t.hNoBody[i] === 1) st = S_H_IDLE;
            else if (t.hChunked[i] === 1) {
              st = S_H_CSIZE;
              rem = 0;
              t.hLine[i] = 0;
            } else if (t.hLen[i]! > 0) {
              st = S_H_BODY;
              rem = t.hLen[i]!;
            } else if (t.hLen[i] === 0 || t.hNoBody[i] === 2) st = S_H_IDLE;
            else st = S_H_CLOSE;
            if (st === S_H_IDLE) ended = true;
            else t.saveHead(i, b, msgStart, k);
            break;
          }
          t.hLine[i] = 0;
          t.hState[i] = H_LINE_START;
          t.hPos[i] = 0;
          break;
        }
        if (c === 0x0d) break;
        t.hLine[i]!++;
        headByte(t, i, c);
        break;
      }
      case S_H_BODY: {
        const take = Math.min(rem, end - k);
        k += take;
        rem -= take;
        if (rem === 0) {
          ended = true;
          st = S_H_IDLE;
          t.headEnded(i);
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
            t.hLine[i] = 0;
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
            t.hLine[i] = 0;
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
          if (t.hLine[i] === 0) {
            ended = true;
            st = S_H_IDLE;
            t.headEnded(i);
          }
          t.hLine[i] = 0;
        } else if (c !== 0x0d) t.hLine[i]!++;
        break;
      }
      case S_H_CLOSE:
        k = end;
        break;
      default:
        k = end;
    }
  }
  t.state[i] = st;
  t.remain[i] = rem;
  return ended;
}

/** Match Content-Length / Transfer-Encoding: chunked on a header line, byte by byte. */
function headByte(t: TcpDirections, i: number, c: number): void {
  const s = t.hState[i]!;
  const pos = t.hPos[i]!;
  const lc = lower(c);
  switch (s) {
    case H_LINE_START:
      if (lc === 0x63) {
        t.hState[i] = H_MATCH_CL;
        t.hPos[i] = 1;
      } else if (lc === 0x74) {
        t.hState[i] = H_MATCH_TE;
        t.hPos[i] = 1;
      } else t.hState[i] = H_SKIP;
      return;
    case H_MATCH_CL:
      if (lc !== CL.charCodeAt(pos)) t.hState[i] = H_SKIP;
      else if (pos + 1 === CL.length) {
        t.hState[i] = H_CL_VALUE;
        t.hLen[i] = 0;
      } else t.hPos[i] = pos + 1;
      return;
    case H_MATCH_TE:
      if (lc !== TE.charCodeAt(pos)) t.hState[i] = H_SKIP;
      else if (pos + 1 === TE.length) {
        t.hState[i] = H_TE_VALUE;
        t.hPos[i] = 0;
      } else t.hPos[i] = pos + 1;
      return;
    case H_CL_VALUE:
      if (c >= 0x30 && c <= 0x39) {
        if (t.hLen[i]! < 1e15) t.hLen[i] = t.hLen[i]! * 10 + (c - 0x30);
      } else if (c !== 0x20 && c !== 0x09) t.hState[i] = H_SKIP;
      return;
    case H_TE_VALUE:
      if (lc === CHUNKED.charCodeAt(pos)) {
        if (pos + 1 === CHUNKED.length) {
          t.hChunked[i] = 1;
          t.hState[i] = H_SKIP;
        } else t.hPos[i] = pos + 1;
      } else t.hPos[i] = lc === 0x63 ? 1 : 0;
      return;
    default:
  }
}
