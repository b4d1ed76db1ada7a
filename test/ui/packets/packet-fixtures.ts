import { PacketRecord } from '../../../src/capture/record.js';
import { ip4ToString } from '../../../src/decode/addr.js';
import { Decoder } from '../../../src/decode/decoder.js';
import { DecodedPacket } from '../../../src/decode/packet.js';
import { dissectPacket } from '../../../src/dissect/dissect.js';
import { packetInfoLine } from '../../../src/dissect/info.js';
import { packetTree } from '../../../src/dissect/tree.js';
import { ETH, TCP, ethernet, httpRequest, ipv4, tcp, udp } from '../../../src/fixtures-gen/packet-builder.js';
import type { PacketDetail, PacketSummary } from '../../../src/ui/packets/packet-data.js';

/** Frames built with the fixture builders and decoded with the real decoder and dissectors. */
export function frames(): Uint8Array[] {
  const c = '10.0.0.1';
  const s = '93.184.216.34';
  const evilHost = Uint8Array.from([...Buffer.from('ex'), 0x1b, ...Buffer.from('[2J'), 0x9b, ...Buffer.from('.com')]);
  return [
    ethernet({ type: ETH.IPv4 }, ipv4({ src: c, dst: s, proto: 6 }, tcp({ sport: 51234, dport: 80, flags: TCP.SYN, seq: 1000 }))),
    ethernet({ type: ETH.IPv4 }, ipv4({ src: s, dst: c, proto: 6 }, tcp({ sport: 80, dport: 51234, flags: TCP.SYN | TCP.ACK, seq: 5000, ack: 1001 }))),
    ethernet({ type: ETH.IPv4 }, ipv4({ src: c, dst: s, proto: 6 }, tcp({
      sport: 51234, dport: 80, flags: TCP.PSH | TCP.ACK, seq: 1001, ack: 5001,
      payload: httpRequest({ path: '/\x1b]52;c;ZXZpbA==\x07', host: evilHost, userAgent: 'test' }),
    }))),
    ethernet({ type: ETH.IPv4 }, ipv4({ src: c, dst: '10.0.0.53', proto: 17 }, udp({ sport: 5353, dport: 9999, payload: Uint8Array.from([0x9b, 0x32, 0x4a, 0xff]) }))),
  ];
}

export interface Decoded {
  readonly summaries: PacketSummary[];
  readonly details: PacketDetail[];
}

export function decodeAll(list: readonly Uint8Array[] = frames()): Decoded {
  const dec = new Decoder();
  const rec = new PacketRecord();
  const summaries: PacketSummary[] = [];
  const details: PacketDetail[] = [];
  list.forEach((bytes, i) => {
    rec.buf = bytes;
    rec.off = 0;
    rec.capLen = bytes.length;
    rec.origLen = bytes.length;
    rec.linkType = 1;
    rec.tsSec = 1_700_000_000 + i;
    rec.tsNsec = 250_000_000;
    const p = new DecodedPacket();
    dec.decode(rec, p);
    const app = dissectPacket(p);
    summaries.push({
      no: i + 1, time: i, src: ip4ToString(p.ip4Src), dst: ip4ToString(p.ip4Dst),
      proto: app ? app.proto.toUpperCase() : p.ipProto === 6 ? 'TCP' : 'UDP', len: bytes.length, info: packetInfoLine(p, app),
    });
    details.push({ no: i + 1, bytes, tree: packetTree(p, app) });
  });
  return { summaries, details };
}
