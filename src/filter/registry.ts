import type { DecodedPacket } from '../decode/packet.js';
import type { FilterContext } from './context.js';

/**
 * The field registry: every name a filter can test. Header fields are
 * registered by header-fields.ts; application dissectors register theirs with
 * `app: true` so that a filter using them reports `usesAppFields`.
 */
export type FieldType = 'uint' | 'int' | 'bool' | 'float' | 'ipv4' | 'ipv6' | 'ether' | 'string' | 'bytes';

/** Most occurrences of one field a getter may write for one packet. */
export const MAX_OCCURRENCES = 64;

const EMPTY = new Uint8Array(0);

/**
 * Reused output buffer a getter writes a packet's occurrences into. Each
 * compiled field test owns one, so nothing is allocated per packet:
 * - uint/int/bool/float/ipv4/ether: `nums[i]` (IPv4 as unsigned 32-bit, MAC as a 48-bit number)
 * - ipv6: `ip6[4*i .. 4*i+4)` as big-endian 32-bit words
 * - string: `strs[i]`
 * - bytes: `bytes[i]` with `offs[i]`, `lens[i]` (a view into a buffer, no copy)
 */
export class FieldValues {
  readonly nums = new Float64Array(MAX_OCCURRENCES);
  readonly ip6 = new Uint32Array(MAX_OCCURRENCES * 4);
  readonly strs: string[] = new Array<string>(MAX_OCCURRENCES).fill('');
  readonly bytes: Uint8Array[] = new Array<Uint8Array>(MAX_OCCURRENCES).fill(EMPTY);
  readonly offs = new Int32Array(MAX_OCCURRENCES);
  readonly lens = new Int32Array(MAX_OCCURRENCES);
}

/** Writes the packet's occurrences of a field into `out` and returns how many (0 = absent). */
export type FieldGetter = (p: DecodedPacket, out: FieldValues, ctx: FilterContext) => number;

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Protocol the field belongs to (`tcp`, `dns`); registered as a protocol name when new. */
  readonly proto: string;
  /** Set by application dissectors: the engine must dissect before the filter runs. */
  readonly app?: true;
  readonly getter: FieldGetter;
  /**
   * Optional fast path for a field with at most one numeric occurrence:
   * returns the value or NaN when absent. Used instead of `getter` when set.
   */
  readonly single?: (p: DecodedPacket, ctx: FilterContext) => number;
  /**
   * With `single`: the field has exactly two occurrences whenever `single` is
   * not NaN (source and destination), and this returns the second. Lets
   * ip.addr / tcp.port skip the output buffer.
   */
  readonly second?: (p: DecodedPacket, ctx: FilterContext) => number;
  /** Largest value the field can hold (a literal above it is an error, as in tshark). */
  readonly max?: number;
  /** One line for completion and help. */
  readonly description?: string;
  /** Reads relative TCP sequence state (internal: tcp.seq / tcp.ack). */
  readonly needsTcpRel?: true;
}

export type ProtoTest = (p: DecodedPacket, ctx: FilterContext) => boolean;

export interface ProtocolSpec {
  readonly name: string;
  /** Proto code in the decoder's hierarchy path (tested with ProtoPaths.contains). */
  readonly code?: number;
  /** Custom test; wins over `code`. */
  readonly test?: ProtoTest;
  readonly app?: true;
  readonly description?: string;
}

const fields = new Map<string, FieldSpec>();
const protocols = new Map<string, ProtocolSpec>();

function checkName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(name)) throw new Error(`invalid filter field name: ${name}`);
}

/** Add a field. Registering the same name again replaces it (hot reload, tests). */
export function registerField(spec: FieldSpec): void {
  checkName(spec.name);
  checkName(spec.proto);
  fields.set(spec.name, spec);
  if (!protocols.has(spec.proto)) protocols.set(spec.proto, { name: spec.proto, ...(spec.app ? { app: true as const } : {}) });
}

/** Add (or replace) a protocol name usable as a bare test. */
export function registerProtocol(spec: ProtocolSpec): void {
  checkName(spec.name);
  const old = protocols.get(spec.name);
  protocols.set(spec.name, old ? { ...old, ...spec } : spec);
}

export function lookupField(name: string): FieldSpec | undefined {
  return fields.get(name);
}

export function lookupProtocol(name: string): ProtocolSpec | undefined {
  return protocols.get(name);
}

export function fieldNames(): string[] {
  return [...fields.keys()];
}

export function protocolNames(): string[] {
  return [...protocols.keys()];
}

export function allFields(): FieldSpec[] {
  return [...fields.values()];
}
