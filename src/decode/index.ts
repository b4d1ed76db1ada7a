export { Decoder } from './decoder.js';
export type { DecoderOptions } from './decoder.js';
export { DecodedPacket, L3, Malformed, MALFORMED_REASONS } from './packet.js';
export { Proto, PROTO_NAMES, IP_PROTO_NAMES, ipProtoName } from './protocols.js';
export { ProtoPaths } from './proto-paths.js';
export { ip4ToString, ip6ToString, macToString, parseIp4, parseIp6 } from './addr.js';
export { serviceFor, serviceName, servicePortFor } from './services.js';
