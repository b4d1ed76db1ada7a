/**
 * States of a followed TCP direction in the packet classifier (kept in a Uint8Array
 * per direction, so plain numbers rather than an enum object).
 */

/** Not followed, or lost sync: wait for a recognisable PDU start. */
export const S_NONE = 0;
/** TLS / DNS-over-TCP: at a record header. */
export const S_REC_HDR = 1;
/** TLS / DNS-over-TCP: `remain` body bytes of the current record to go. */
export const S_REC_BODY = 2;
/** HTTP: at the start of a message (or continuation data). */
export const S_H_IDLE = 3;
/** HTTP: inside the header block. */
export const S_H_HEAD = 4;
/** HTTP: `remain` body bytes to go (Content-Length). */
export const S_H_BODY = 5;
/** HTTP chunked body: reading a chunk-size line (hex digits into `remain`). */
export const S_H_CSIZE = 6;
/** HTTP chunked body: skipping chunk extensions up to LF. */
export const S_H_CEXT = 7;
/** HTTP chunked body: `remain` data bytes (then CRLF, counted in `remain`). */
export const S_H_CDATA = 8;
/** HTTP chunked body: trailer lines after the last chunk, up to an empty line. */
export const S_H_CTRAIL = 9;
/** HTTP body without length (response read until the connection closes). */
export const S_H_CLOSE = 10;
/** SSH: every payload segment is SSH. */
export const S_SSH = 11;
/** Bytes were lost inside a PDU of known length; `cursor` is where it ends. */
export const S_STUCK = 12;
/** Bytes were lost inside an HTTP head or body of unknown length. */
export const S_STUCK_HEAD = 13;
/** TLS data that starts no record ("Continuation Data"): every segment is TLS until a header. */
export const S_TLS_CONT = 14;

