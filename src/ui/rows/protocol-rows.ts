import type { ProtocolRow, Snapshot } from '../../engine/snapshot.js';

/** Hierarchy order: a parent before its children, siblings by bytes, so the table reads as a tree. */
export function protocolRows(snapshot: Snapshot): ProtocolRow[] {
  const byPath = new Map(snapshot.protocols.map((p) => [p.path, p]));
  const children = new Map<string, ProtocolRow[]>();
  const roots: ProtocolRow[] = [];
  for (const p of snapshot.protocols) {
    const cut = p.path.lastIndexOf(':');
    const parent = cut < 0 ? '' : p.path.slice(0, cut);
    if (cut < 0 || !byPath.has(parent)) roots.push(p);
    else {
      const list = children.get(parent) ?? [];
      list.push(p);
      children.set(parent, list);
    }
  }
  const order = (list: ProtocolRow[]): ProtocolRow[] =>
    list.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const out: ProtocolRow[] = [];
  const walk = (list: ProtocolRow[]): void => {
    for (const p of order(list)) {
      out.push(p);
      walk(children.get(p.path) ?? []);
    }
  };
  walk(roots);
  return out;
}

/** Nesting depth shown as indentation: 'eth:ipv4:tcp' -> 2. */
export function protocolDepth(path: string): number {
  let n = 0;
  for (const ch of path) if (ch === ':') n++;
  return n;
}

export function protocolLeaf(path: string): string {
  const cut = path.lastIndexOf(':');
  return cut < 0 ? path : path.slice(cut + 1);
}
