import { describe, expect, it } from 'vitest';
import { StreamTracker } from '../../src/streams/stream-tracker.js';
import { dissectTcpStream } from '../../src/dissect/stream-dissect.js';
import { Proto } from '../../src/decode/protocols.js';
import { ACK, SYN, pkt, srv } from '../streams/packets.js';
import { alpnExt, clientHelloRecord, sniExt } from './tls-builder.js';

describe('dissectTcpStream', () => {
  it('an HTTP head split over three segments', () => {
    const t = new StreamTracker();
    const req = 'GET /split HTTP/1.1\r\nHost: split.example\r\nUser-Agent: t\r\n\r\n';
    t.onPacket(pkt({ seq: 0, flags: SYN }));
    t.onPacket(pkt({ seq: 1, data: req.slice(0, 10) }));
    t.onPacket(pkt({ seq: 21, data: req.slice(20) })); // out of order
    t.onPacket(pkt({ seq: 11, data: req.slice(10, 20) }));
    t.onPacket(srv({ seq: 100, ack: 1 + req.length, flags: ACK, data: 'HTTP/1.1 204 No Content\r\n\r\n' }));
    const d = dissectTcpStream(t.tcp[0]!);
    expect(d.proto).toBe(Proto.Http);
    expect(d.http!.requests[0]).toMatchObject({ method: 'GET', uri: '/split', host: 'split.example', complete: true });
    expect(d.http!.responses[0]!.status).toBe(204);
  });

  it('a ClientHello split over segments, on port 8443', () => {
    const hello = clientHelloRecord({ ciphers: [0x1301], extensions: [sniExt('tls.example'), alpnExt(['h2'])] });
    const t = new StreamTracker();
    t.onPacket(pkt({ dport: 8443, seq: 0, flags: SYN }));
    t.onPacket(pkt({ dport: 8443, seq: 1, data: hello.subarray(0, 20) }));
    t.onPacket(pkt({ dport: 8443, seq: 21, data: hello.subarray(20) }));
    const d = dissectTcpStream(t.tcp[0]!);
    expect(d.proto).toBe(Proto.Tls);
    expect(d.tls!.client!.clientHello!.sni).toBe('tls.example');
  });
});
