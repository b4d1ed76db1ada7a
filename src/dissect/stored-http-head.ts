import type { DecodedPacket } from '../decode/packet.js';

// The HTTP head of the message that ended in the last classified packet (see storedHttpHead).
let headBuf: Uint8Array | null = null;
let headLen = 0;
let keyBuf: Uint8Array | null = null;
let keyOff = -1;
let keySec = -1;
let keyNsec = -1;

/** Called by the packet classifier when an HTTP message whose head it kept ends in `p`. */
export function publishHead(p: DecodedPacket, buf: Uint8Array, len: number): void {
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
