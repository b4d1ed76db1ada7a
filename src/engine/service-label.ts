import { Proto, PROTO_NAMES } from '../decode/protocols.js';
import { serviceName, servicePortFor } from '../decode/services.js';

/** services.ts speaks Proto codes; flows store IP protocol numbers. */
function transportOf(ipProto: number): number {
  if (ipProto === 6) return Proto.Tcp;
  if (ipProto === 17) return Proto.Udp;
  if (ipProto === 132) return Proto.Sctp;
  return Proto.None;
}

/** Service name of a port: the well-known name, else the number; '' without a port. */
export function portService(ipProto: number, port: number): string {
  if (port < 0) return '';
  return serviceName(transportOf(ipProto), port) ?? String(port);
}

/** Label of a flow: the application protocol found by dissection, else its service port's name. */
export function flowService(appProto: number, ipProto: number, servicePort: number): string {
  if (appProto !== 0) return PROTO_NAMES[appProto] || `proto-${appProto}`;
  return portService(ipProto, servicePort);
}

/**
 * Which of a flow's two ports names its service (servicePortFor: the one with
 * a well-known name, else the lower); -1 when the flow has no ports.
 */
export function pickServicePort(ipProto: number, aPort: number, bPort: number): number {
  if (aPort < 0 || bPort < 0) return -1;
  return servicePortFor(transportOf(ipProto), aPort, bPort);
}
