/** Small TCP conversations for the relative-number rules (each checked against tshark 4.0.17), and a reader. */
import { openFileSource } from '../../src/capture/file-source.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { ETH, TCP, ethernet, ipv4, ipv6, tcp } from '../../src/fixtures-gen/packet-builder.js';
import { shownWindow, TcpNumbers } from '../../src/flows/tcp-numbers.js';

const { SYN: S, ACK: A, FIN: F, RST: R, PSH: P } = TCP;

/** [direction c (client -> server) or s, flags, seq, ack, window, WS option shift, payload length] */
export type Seg = readonly ['c' | 's', number, number, number, number, number?, number?];

const wsOpt = (ws: number | undefined): Uint8Array | undefined => (ws === undefined ? undefined : Uint8Array.of(2, 4, 5, 180, 1, 3, 3, ws));

export function frames(sport: number, segs: readonly Seg[], v6 = false): Uint8Array[] {
  return segs.map(([dir, flags, seq, ack, win, ws, len]) => {
    const c = dir === 'c';
    const seg = tcp({ sport: c ? sport : 80, dport: c ? 80 : sport, flags, seq: seq >>> 0, ack: ack >>> 0, win, options: wsOpt(ws), payload: new Uint8Array(len ?? 0) });
    if (v6) return ethernet({ type: ETH.IPv6 }, ipv6({ src: c ? '2001:db8::1' : '2001:db8::2', dst: c ? '2001:db8::2' : '2001:db8::1', nextHeader: 6 }, seg));
    return ethernet({ type: ETH.IPv4 }, ipv4({ src: c ? '10.0.0.1' : '10.0.0.2', dst: c ? '10.0.0.2' : '10.0.0.1', proto: 6 }, seg));
  });
}

export function pcapOf(list: readonly Uint8Array[]): Buffer {
  const w = new PcapWriter();
  list.forEach((f, i) => w.writePacket(1_767_225_600 + i, 0, f));
  return Buffer.from(w.toBuffer());
}

/** Each an edge of tshark's rules (names say which). */
export const SCENARIOS: Record<string, readonly Uint8Array[]> = {
  'syn-ws-synack-without': frames(1001, [['c', S, 100, 0, 1000, 7], ['s', S | A, 500, 101, 2000], ['c', A, 101, 501, 300], ['s', A | P, 501, 101, 400, undefined, 10], ['c', A, 101, 511, 300]]),
  'syn-without-synack-ws': frames(1002, [['c', S, 100, 0, 1000], ['s', S | A, 500, 101, 2000, 7], ['c', A, 101, 501, 300], ['s', A | P, 501, 101, 400, undefined, 10]]),
  'synack-only': frames(1003, [['s', S | A, 500, 101, 2000, 5], ['c', A, 101, 501, 300], ['s', A | P, 501, 101, 400, undefined, 10], ['c', A, 101, 511, 300]]),
  'syn-only': frames(1004, [['c', S, 100, 0, 1000, 7], ['c', A, 101, 501, 300], ['s', A | P, 501, 101, 400, undefined, 10], ['c', A, 101, 511, 300]]),
  'shift-over-14': frames(1005, [['c', S, 100, 0, 1000, 15], ['s', S | A, 500, 101, 2000, 20], ['c', A, 101, 501, 3], ['s', A | P, 501, 101, 4, undefined, 10]]),
  'syn-with-ack-field': frames(1006, [['c', S, 100, 12345, 1000, 2], ['s', S | A, 500, 101, 2000, 3], ['c', A, 101, 501, 300]]),
  'mid-connection-wrap': frames(1007, [['c', A | P, 0xfffffff0, 0x7ffffff0, 300, undefined, 100], ['s', A, 0x7ffffff0, 0x54, 500], ['c', A | P, 0x54, 0x7ffffff0, 300, undefined, 100]]),
  'port-reuse-after-fin': frames(1008, [['c', S, 100, 0, 1000, 7], ['c', S, 100, 0, 1000, 7], ['s', S | A, 500, 101, 2000, 2], ['c', A, 101, 501, 300], ['c', F | A, 101, 501, 300],
    ['s', F | A, 501, 102, 300], ['c', A, 102, 502, 300], ['c', S, 9000, 0, 1000], ['s', S | A, 7000, 9001, 2000], ['c', A, 9001, 7001, 300]]),
  'first-without-ack': frames(1009, [['c', P, 200, 0, 300, undefined, 10], ['s', A, 900, 210, 500], ['c', A, 210, 901, 300]]),
  'rst-first': frames(1010, [['c', R, 200, 77, 300], ['s', A, 900, 210, 500]]),
  'synack-new-seq': frames(1011, [['c', S, 100, 0, 1000, 7], ['s', S | A, 500, 101, 2000, 2], ['s', S | A, 800, 101, 2000, 2], ['c', A, 101, 801, 300]]),
  'ack-before-synack': frames(1012, [['c', S, 100, 0, 1000, 7], ['c', A, 101, 501, 300], ['s', S | A, 500, 101, 2000, 2], ['c', A, 101, 501, 300], ['s', A, 501, 101, 300]]),
  'syn-new-isn-midway': frames(1013, [['c', S, 100, 0, 1000, 7], ['s', S | A, 500, 101, 2000, 2], ['c', A, 101, 501, 300], ['c', S, 100, 0, 1000, 7], ['c', S, 5000, 0, 1000, 3],
    ['c', A, 101, 501, 300], ['s', A, 501, 101, 300]]),
  ipv6: frames(1014, [['c', S, 100, 0, 1000, 7], ['s', S | A, 500, 101, 2000, 2], ['c', A, 101, 501, 300], ['s', A, 501, 101, 300]], true),
  'syn-after-mid-start': frames(1015, [['c', A, 101, 501, 300], ['c', S, 100, 0, 1000, 7], ['s', S | A, 500, 101, 2000, 2], ['c', A, 101, 501, 300]]),
  'synack-retransmit-new-ack': frames(1101, [['c', S, 100, 0, 1000, 7], ['s', S | A, 500, 101, 2000, 2], ['s', S | A, 500, 151, 2000, 3], ['c', A, 101, 501, 300], ['s', A, 501, 101, 300]]),
  'ack-field-without-flag': frames(1102, [['c', S, 100, 0, 1000, 7], ['s', S | A, 500, 101, 2000, 2], ['c', A, 101, 501, 300], ['c', P, 101, 777, 300, undefined, 5], ['s', R, 501, 999, 300]]),
  'syn-ws-after-syn-without': frames(1104, [['c', S, 100, 0, 1000], ['c', A, 101, 501, 300], ['s', A, 501, 101, 300], ['c', S, 100, 0, 1000, 4], ['c', A, 101, 501, 300]]),
};

/** Per TCP frame (1-based number) of a capture: the numbers TcpNumbers gives, as `seq ack window`. */
export async function tcpNumbersOf(path: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const decoder = new Decoder();
  const p = new DecodedPacket();
  const t = new TcpNumbers();
  let n = 0;
  await openFileSource({ path }).start((r) => {
    n++;
    decoder.decode(r, p);
    t.observe(p);
    if (t.tcpSeq >= 0) out.set(n, `${t.tcpSeq} ${t.tcpAck} ${shownWindow(p, t.tcpScale)}`);
  });
  return out;
}
