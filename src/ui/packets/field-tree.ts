import type { FieldNode } from './packet-data.js';

/** A visible row of the field tree. `key` is the index path (`0.2.1`), stable for one dissector's layout. */
export interface TreeRow {
  readonly key: string;
  readonly depth: number;
  readonly node: FieldNode;
  readonly hasChildren: boolean;
  readonly isExpanded: boolean;
  /** Key of the parent row, or null at the top. */
  readonly parent: string | null;
}

export type Expanded = Readonly<Record<string, true>>;

/** The rows shown: every top-level layer, and the children of expanded rows. */
export function visibleTreeRows(tree: readonly FieldNode[], expanded: Expanded): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (nodes: readonly FieldNode[], depth: number, prefix: string, parent: string | null): void => {
    nodes.forEach((node, i) => {
      const key = prefix === '' ? String(i) : `${prefix}.${i}`;
      const hasChildren = (node.children?.length ?? 0) > 0;
      const isExpanded = hasChildren && expanded[key] === true;
      out.push({ key, depth, node, hasChildren, isExpanded, parent });
      if (isExpanded) walk(node.children!, depth + 1, key, key);
    });
  };
  walk(tree, 0, '', null);
  return out;
}

/** Keys of every node with children (for expand-all). */
export function allParentKeys(tree: readonly FieldNode[]): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly FieldNode[], prefix: string): void => {
    nodes.forEach((n, i) => {
      const key = prefix === '' ? String(i) : `${prefix}.${i}`;
      if ((n.children?.length ?? 0) > 0) {
        out.push(key);
        walk(n.children!, key);
      }
    });
  };
  walk(tree, '');
  return out;
}
