/**
 * Composable frame builders for fixtures: each returns a fresh Uint8Array and
 * wraps the payload it is given, so frames read inside out:
 *
 *   ethernet({ src, dst, type: ETH.IPv4 }, ipv4({ src, dst, proto: 6 }, tcp({ sport, dport, flags })))
 *
 * Lengths are always filled in. TCP, UDP and ICMPv6 checksums need the IP
 * pseudo-header, so ipv4()/ipv6() fill them when they wrap a whole datagram
 * (not a later fragment). These allocate freely: they are for generators, not
 * the hot path.
 */

export * from './bytes.js';
export * from './constants.js';
export * from './link-builders.js';
export * from './ip-builders.js';
export * from './transport-builders.js';
export * from './app-payloads.js';
