import { describe, expect, it } from 'vitest';
import dnsPacket from 'dns-packet';
import { AppClassifier } from '../../src/dissect/app-classifier.js';
import { detectApp } from '../../src/dissect/detect.js';
import { Proto } from '../../src/decode/protocols.js';
import { ProtoPaths } from '../../src/decode/proto-paths.js';
import { pkt } from '../streams/packets.js';
import { clientHelloRecord, sniExt } from './tls-builder.js';

const enc = (dnsPacket as unknown as { encode(p: unknown): Buffer }).encode;

describe('detectApp', () => {
  it('finds protocols by payload on unusual ports', () => {
    const hello = clientHelloRecord({ ciphers: [0x1301], extensions: [sniExt('x.example')] });
    expect(detectApp(pkt({ dport: 8443, data: hello }))).toBe(Proto.Tls);
    expect(detectApp(pkt({ dport: 8080, data: 'GET / HTTP/1.1\r\n\r\n' }))).toBe(Proto.Http);
    expect(detectApp(pkt({ dport: 2222, data: 'SSH-2.0-x\r\n' }))).toBe(Proto.Ssh);
    const q = enc({ type: 'query', id: 9, questions: [{ type: 'A', name: 'printer.local' }] });
    // DNS's format under tshark's other names: mDNS on 5353, LLMNR on 5355 (53 wins over both).
    expect(detectApp(pkt({ udp: true, sport: 5353, dport: 5353, data: q }))).toBe(Proto.Mdns);
    expect(detectApp(pkt({ udp: true, sport: 50000, dport: 5355, data: q }))).toBe(Proto.Llmnr);
    expect(detectApp(pkt({ udp: true, sport: 53, dport: 5353, data: q }))).toBe(Proto.Dns);
    expect(detectApp(pkt({ udp: true, sport: 40000, dport: 9999, data: q }))).toBe(Proto.Dns); // strict query shape
    expect(detectApp(pkt({ dport: 443, data: 'random bytes here' }))).toBe(0);
    expect(detectApp(pkt({ udp: true, dport: 9999, data: Buffer.alloc(40, 7) }))).toBe(0);
  });
});

describe('AppClassifier', () => {
  it('classifies once, keeps a detail, then does nothing per packet', () => {
    const calls: [number, number][] = [];
    const paths = new ProtoPaths();
    const c = new AppClassifier({ setAppProto: (s, p) => calls.push([s, p]) }, 8, paths);
    const hello = clientHelloRecord({ ciphers: [0x1301], extensions: [sniExt('sni.example')] });
    c.onPacket(pkt({ dport: 8443, data: 'not yet' }), 5);
    c.onPacket(pkt({ dport: 8443, data: hello }), 5);
    for (let i = 0; i < 10; i++) c.onPacket(pkt({ dport: 8443, data: 'application data' }), 5);
    expect(calls).toEqual([[5, Proto.Tls]]);
    expect(c.protoOf(5)).toBe(Proto.Tls);
    expect(c.detailOf(5)).toBe('sni.example');
    const p = pkt({ dport: 8443, data: 'x' });
    c.onPacket(p, 5);
    expect(paths.contains(p.pathId, Proto.Tls)).toBe(true);
    c.onFlowRemoved(5);
    expect(c.protoOf(5)).toBe(0);
    expect(c.detailOf(5)).toBeUndefined();
  });

  it('gives up after maxProbes payload packets', () => {
    const c = new AppClassifier(null, 2);
    c.onPacket(pkt({ data: 'a' }), 1);
    c.onPacket(pkt({ data: 'b' }), 1);
    c.onPacket(pkt({ data: 'GET / HTTP/1.1\r\n\r\n' }), 1);
    expect(c.protoOf(1)).toBe(0);
  });
});
