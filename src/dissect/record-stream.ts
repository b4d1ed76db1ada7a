import { S_NONE, S_REC_BODY, S_REC_HDR, S_TLS_CONT } from './classifier-states.js';
import { looksLikeTls } from './tls.js';
import type { TcpDirections } from './tcp-directions.js';

/**
 * Length-prefixed records over in-order bytes of one direction: TLS (5-byte
 * header, length at +3) or DNS over TCP (2-byte length). True when a record
 * ended in these bytes (for TLS also when one starts them, or continuation data).
 */
export function consumeRecords(t: TcpDirections, i: number, b: Uint8Array, o: number, n: number, tls: boolean): boolean {
  const hdr = tls ? 5 : 2;
  let k = o;
  const end = o + n;
  let ended = false;
  let st = t.state[i]!;
  if (st === S_TLS_CONT) {
    // Continuation data goes on until a segment starts with a record header.
    if (!looksLikeTls(b, o, n)) return true;
    st = S_REC_HDR;
  }
  let rem = t.remain[i]!;
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
      const type = b[k]!;
      if (type < 20 || type > 24 || b[k + 1] !== 3) {
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
  t.state[i] = st;
  t.remain[i] = rem;
  return ended;
}
