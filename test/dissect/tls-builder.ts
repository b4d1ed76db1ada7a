/** Builds TLS records for tests (ClientHello, ServerHello, alerts). */

const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const u24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

export interface HelloSpec {
  legacyVersion?: number;
  ciphers: number[];
  /** [type, data] in order. */
  extensions: [number, number[]][];
}

export function ext(type: number, data: number[]): [number, number[]] {
  return [type, data];
}

export function sniExt(name: string): [number, number[]] {
  const n = [...Buffer.from(name, 'latin1')];
  return [0, [...u16(n.length + 3), 0, ...u16(n.length), ...n]];
}

export function alpnExt(protos: string[]): [number, number[]] {
  const body = protos.flatMap((p) => [p.length, ...Buffer.from(p, 'latin1')]);
  return [16, [...u16(body.length), ...body]];
}

export function u16ListExt(type: number, vals: number[]): [number, number[]] {
  return [type, [...u16(vals.length * 2), ...vals.flatMap(u16)]];
}

export function versionsExt(vals: number[]): [number, number[]] {
  return [43, [vals.length * 2, ...vals.flatMap(u16)]];
}

export function clientHelloBody(h: HelloSpec): number[] {
  const exts = h.extensions.flatMap(([t, d]) => [...u16(t), ...u16(d.length), ...d]);
  return [
    ...u16(h.legacyVersion ?? 0x0303), ...new Array(32).fill(7), 0,
    ...u16(h.ciphers.length * 2), ...h.ciphers.flatMap(u16), 1, 0,
    ...u16(exts.length), ...exts,
  ];
}

export function handshake(type: number, body: number[]): number[] {
  return [type, ...u24(body.length), ...body];
}

export function record(type: number, body: number[], version = 0x0301): number[] {
  return [type, ...u16(version), ...u16(body.length), ...body];
}

export function clientHelloRecord(h: HelloSpec): Uint8Array {
  return Uint8Array.from(record(22, handshake(1, clientHelloBody(h))));
}

export function serverHelloRecord(cipher: number, version?: number): Uint8Array {
  const exts = version ? [...u16(43), ...u16(2), ...u16(version)] : [];
  const body = [...u16(0x0303), ...new Array(32).fill(9), 0, ...u16(cipher), 0, ...u16(exts.length), ...exts];
  return Uint8Array.from(record(22, handshake(2, body), 0x0303));
}
