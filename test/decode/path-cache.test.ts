import { describe, expect, it } from 'vitest';
import { PathCache } from '../../src/decode/path-cache.js';
import { ProtoPaths } from '../../src/decode/proto-paths.js';
import { Proto } from '../../src/decode/protocols.js';

describe('PathCache', () => {
  it('returns the same ids as ProtoPaths.child, cached or not', () => {
    const paths = new ProtoPaths();
    const cache = new PathCache(16); // tiny, so most lookups overflow into the fallback
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 300; i++) {
        const eth = cache.child(paths, 0, Proto.Eth, 0);
        const other = cache.child(paths, eth, Proto.OtherEther, 0x8800 + i);
        expect(other).toBe(paths.child(eth, Proto.OtherEther, 0x8800 + i));
        const ip = cache.child(paths, other, Proto.IPv4, 0);
        expect(ip).toBe(paths.child(other, Proto.IPv4, 0));
        expect(paths.name(ip)).toBe(`eth:ethertype-0x${(0x8800 + i).toString(16)}:ipv4`);
      }
    }
  });

  it('keeps sub-protocols apart', () => {
    const paths = new ProtoPaths();
    const cache = new PathCache();
    const a = cache.child(paths, 5, Proto.OtherIp, 47);
    const b = cache.child(paths, 5, Proto.OtherIp, 48);
    expect(a).not.toBe(b);
    expect(cache.child(paths, 5, Proto.OtherIp, 47)).toBe(a);
  });
});
