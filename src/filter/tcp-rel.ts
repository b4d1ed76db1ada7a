import type { DecodedPacket } from '../decode/packet.js';
import { TcpNumbers } from '../flows/tcp-numbers.js';

/**
 * tcp.seq and tcp.ack as tshark shows them (tcp.relative_sequence_numbers is on by default): the
 * rules are TcpNumbers' (src/flows/tcp-numbers.ts, checked against tshark 4.0.17). A filter follows
 * the connections itself, or, given the engine's TcpNumbers (`Engine.tcp`), reads the numbers the
 * engine computed for the packet: the dashboard does that, so a filter agrees with the packet list,
 * also when it is applied to a ring of packets that no longer holds a connection's SYN.
 */
export class TcpRelativeSeq {
  /** Relative seq/ack of the packet last observed, NaN when it has no TCP header. */
  seq = NaN;
  ack = NaN;
  private readonly numbers: TcpNumbers;
  private readonly owned: boolean;

  constructor(engineNumbers: TcpNumbers | null = null) {
    this.numbers = engineNumbers ?? new TcpNumbers();
    this.owned = engineNumbers === null;
  }

  clear(): void {
    if (this.owned) this.numbers.clear();
  }

  observe(p: DecodedPacket): void {
    const n = this.numbers;
    if (this.owned) n.observe(p);
    const has = n.tcpSeq >= 0;
    this.seq = has ? n.tcpSeq : NaN;
    this.ack = has ? n.tcpAck : NaN;
  }
}
