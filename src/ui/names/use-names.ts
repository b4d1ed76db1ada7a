import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { Snapshot } from '../../engine/snapshot.js';
import type { NameOf } from '../panels/talkers.js';
import { NameCache } from './name-cache.js';
import type { ReverseLookup } from './name-cache.js';

const REQUEST_TOP = 64;

/** Reverse names for the addresses on screen, resolved in the background while names are on. */
export function useNames(lookup: ReverseLookup, isOn: boolean, snapshot: Snapshot): NameOf {
  const cache = useMemo(() => new NameCache(lookup), [lookup]);
  const version = useSyncExternalStore(cache.subscribe, cache.getVersion);
  useEffect(() => {
    if (!isOn) return;
    const addrs = new Set<string>();
    for (const h of snapshot.hosts.slice(0, REQUEST_TOP)) addrs.add(h.addr);
    for (const c of snapshot.conversations.slice(0, REQUEST_TOP)) {
      addrs.add(c.a);
      addrs.add(c.b);
    }
    cache.request(addrs);
  }, [cache, isOn, snapshot]);
  return useMemo<NameOf>(
    () => (isOn ? (addr) => cache.get(addr) : () => undefined),
    // version: a new function when names arrive, so panels redraw
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cache, isOn, version],
  );
}
