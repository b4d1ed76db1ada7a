// Minimal types for the parts of dns-packet (CommonJS, no bundled types) that the DNS dissector uses.
declare module 'dns-packet' {
  interface Codec<T> {
    decode(buf: Buffer, offset?: number): T;
    bytes?: number;
  }
  interface DecodeFn<T> {
    (buf: Buffer, offset?: number): T;
    bytes: number;
  }
  export interface DnsPacketQuestion {
    name: string;
    type: string;
    class: string | number;
  }
  export interface DnsPacketAnswer {
    name: string;
    type: string;
    class?: string;
    ttl?: number;
    data?: unknown;
    udpPayloadSize?: number;
  }
  const dnsPacket: {
    name: { decode: DecodeFn<string> };
    question: { decode: DecodeFn<DnsPacketQuestion> };
    answer: { decode: DecodeFn<DnsPacketAnswer> };
  };
  export default dnsPacket;
  export type { Codec };
}
