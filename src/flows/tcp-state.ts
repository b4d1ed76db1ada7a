/** TCP connection state kept per flow as a bit set (one Uint8 per flow). */
export const enum TcpBits {
  /** A SYN without ACK was seen. */
  Syn = 1,
  /** A SYN+ACK was seen. */
  SynAck = 2,
  /** The SYN+ACK came from side b (so the final ACK must come from a). */
  SynAckFromB = 4,
  /** Handshake complete: an ACK from the other side after the SYN+ACK. */
  Established = 8,
  FinA = 16,
  FinB = 32,
  Rst = 64,
}

const FIN = 1;
const SYN = 2;
const RST = 4;
const ACK = 16;

/** Next state bits after a segment with `flags` from side `dir` (0 = a, 1 = b). */
export function tcpNext(bits: number, flags: number, dir: number): number {
  if (flags & RST) bits |= TcpBits.Rst;
  if (flags & SYN) {
    if (flags & ACK) {
      bits |= TcpBits.SynAck;
      if (dir === 1) bits |= TcpBits.SynAckFromB;
      else bits &= ~TcpBits.SynAckFromB;
    } else {
      bits |= TcpBits.Syn;
    }
  } else if (flags & ACK && bits & TcpBits.SynAck && !(bits & TcpBits.Established)) {
    const fromB = (bits & TcpBits.SynAckFromB) !== 0;
    if ((dir === 0) === fromB) bits |= TcpBits.Established;
  }
  if (flags & FIN) bits |= dir === 0 ? TcpBits.FinA : TcpBits.FinB;
  return bits;
}

/** The state text of ConversationRow.tcpState. */
export function tcpStateText(bits: number): string {
  if (bits & TcpBits.Rst) return 'reset';
  if (bits & TcpBits.FinA && bits & TcpBits.FinB) return 'closed';
  if (bits & (TcpBits.FinA | TcpBits.FinB)) return 'fin';
  if (bits & TcpBits.Established) return 'established';
  if (bits & (TcpBits.Syn | TcpBits.SynAck)) return 'syn';
  // No handshake seen: the capture started mid-connection.
  return 'established';
}

/** Closed or reset: such flows may be expired sooner than open ones. */
export function tcpIsClosed(bits: number): boolean {
  return (bits & TcpBits.Rst) !== 0 || (bits & (TcpBits.FinA | TcpBits.FinB)) === (TcpBits.FinA | TcpBits.FinB);
}
