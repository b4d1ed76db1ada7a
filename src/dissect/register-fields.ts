import { lookupProtocol, registerField, registerProtocol, type FieldSpec, type FieldType } from '../filter/registry.js';
import { Proto } from '../decode/protocols.js';
import { APP_FIELDS } from './fields.js';
import { detectApp } from './detect.js';
import { pathsAreClassified } from './packet-classifier.js';

const CODES: Record<string, number> = {
  dns: Proto.Dns, http: Proto.Http, tls: Proto.Tls, ssh: Proto.Ssh, dhcp: Proto.Dhcp, ntp: Proto.Ntp, quic: Proto.Quic,
  mdns: Proto.Mdns, llmnr: Proto.Llmnr,
};

/** mDNS and LLMNR are not `dns` in tshark, but their fields are dns.* (the same dissector). */
function isMdnsOrLlmnr(p: { ipProto: number; srcPort: number; dstPort: number }): boolean {
  const s = p.srcPort;
  const d = p.dstPort;
  return p.ipProto === 17 && (s === 5353 || d === 5353 || s === 5355 || d === 5355);
}

let done = false;

/**
 * Put APP_FIELDS into the filter registry (idempotent). Getters write into the
 * registry's reused FieldValues; the dissection behind them allocates, which is
 * why these fields are marked `app` (the filter reports usesAppFields).
 */
export function registerAppFields(): void {
  if (done) return;
  done = true;
  for (const f of APP_FIELDS) {
    const type: FieldType = f.type === 'bool' ? 'bool' : f.type === 'ipv4' ? 'ipv4' : f.type === 'uint' ? 'uint' : 'string';
    const code = CODES[f.proto] ?? 0;
    const spec: FieldSpec = {
      name: f.name, type, proto: f.proto, app: true, description: f.description,
      getter: (p, out, ctx) => {
        // With per-packet classification, fields exist only where the protocol is marked
        // (tshark: a segment in the middle of a reassembled PDU has no TLS/HTTP fields).
        const paths = ctx.paths;
        if (paths !== null && pathsAreClassified(paths) && !paths.contains(p.pathId, code) && !(code === Proto.Dns && isMdnsOrLlmnr(p))) return 0;
        const vals = f.get(p);
        const n = Math.min(vals.length, out.nums.length);
        for (let i = 0; i < n; i++) {
          const v = vals[i]!;
          if (type === 'string') out.strs[i] = String(v);
          else out.nums[i] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
        }
        return n;
      },
    };
    registerField(spec);
  }
  // Protocol names answer from the payload when the engine has not tagged the path.
  const apps: [string, number][] = [
    ['dns', Proto.Dns], ['http', Proto.Http], ['tls', Proto.Tls], ['ssh', Proto.Ssh],
    ['dhcp', Proto.Dhcp], ['ntp', Proto.Ntp], ['quic', Proto.Quic], ['mdns', Proto.Mdns], ['llmnr', Proto.Llmnr],
  ];
  for (const [name, code] of apps) {
    const old = lookupProtocol(name);
    if (old?.test) continue;
    registerProtocol({
      name, code, app: true,
      // Classified paths are the answer (tshark's per-frame marking); otherwise the payload decides.
      test: (p, ctx) => {
        const paths = ctx.paths;
        if (paths === null) return detectApp(p) === code;
        return paths.contains(p.pathId, code) || (!pathsAreClassified(paths) && detectApp(p) === code);
      },
    });
  }
}
