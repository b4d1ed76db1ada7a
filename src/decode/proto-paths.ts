import { Proto, PROTO_NAMES, ipProtoName } from './protocols.js';

/**
 * Protocol hierarchy paths (eth:ipv4:tcp:http) interned as small integers,
 * so the decoder extends a path with one Map lookup on a number key and the
 * engine counts per path in typed arrays. Id 0 is the empty path.
 */
export class ProtoPaths {
  /** Per parent path: (proto, sub) -> child id. Keys stay small integers (no heap numbers). */
  private readonly index: Map<number, number>[] = [new Map()];
  private readonly parents: number[] = [0];
  private readonly protos: number[] = [0];
  private readonly names: string[] = [''];

  /** Path id of `parent` extended by `proto` (with `sub` = IP protocol or ethertype for the "other" codes). */
  child(parent: number, proto: number, sub = 0): number {
    const key = proto * 0x10000 + (sub & 0xffff);
    const id = this.index[parent]?.get(key);
    if (id !== undefined) return id;
    return this.add(key, parent, proto, sub);
  }

  private add(key: number, parent: number, proto: number, sub: number): number {
    if (parent < 0 || parent >= this.names.length) parent = 0;
    const id = this.names.length;
    let label = PROTO_NAMES[proto] || `proto-${proto}`;
    if (proto === Proto.OtherIp) label = ipProtoName(sub);
    else if (proto === Proto.OtherEther) label = `ethertype-0x${sub.toString(16).padStart(4, '0')}`;
    this.index[parent]!.set(key, id);
    this.index.push(new Map());
    this.parents.push(parent);
    this.protos.push(proto);
    this.names.push(parent === 0 ? label : `${this.names[parent]}:${label}`);
    return id;
  }

  get size(): number {
    return this.names.length;
  }

  name(id: number): string {
    return this.names[id] ?? '';
  }

  parent(id: number): number {
    return this.parents[id] ?? 0;
  }

  /** The Proto code of the last element of the path. */
  proto(id: number): number {
    return this.protos[id] ?? 0;
  }

  /** Does path `id` contain protocol `proto` anywhere? */
  contains(id: number, proto: number): boolean {
    for (let p = id; p !== 0; p = this.parents[p]!) if (this.protos[p] === proto) return true;
    return false;
  }
}
