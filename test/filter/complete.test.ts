import { describe, expect, it } from 'vitest';
import { completeFilter } from '../../src/filter/index.js';

describe('completeFilter', () => {
  it('completes field names from the word at the cursor', () => {
    const c = completeFilter('ip.sr', 5);
    expect(c.replaceFrom).toBe(0);
    expect(c.candidates).toEqual(['ip.src']);
    const t = completeFilter('tcp.port == 80 && tcp.fl', 24);
    expect(t.replaceFrom).toBe(18);
    expect(t.candidates).toContain('tcp.flags.syn');
    expect(t.candidates.every((x) => x.startsWith('tcp.fl'))).toBe(true);
  });
  it('offers protocols and pcap keywords for a bare prefix', () => {
    const c = completeFilter('ho', 2);
    expect(c.candidates).toContain('host');
    expect(completeFilter('ud', 2).candidates).toEqual(expect.arrayContaining(['udp', 'udp.port']));
  });
  it('offers operators after a field, nothing for a value', () => {
    expect(completeFilter('tcp.port ', 9).candidates).toEqual(expect.arrayContaining(['==', 'in', 'contains']));
    expect(completeFilter('tcp.port c', 10).candidates).toEqual(['contains']);
    expect(completeFilter('tcp.port == ', 12).candidates).toEqual([]);
  });
  it('copes with any cursor and text', () => {
    expect(completeFilter('', 0).replaceFrom).toBe(0);
    expect(completeFilter('abc', 99).replaceFrom).toBe(0);
    expect(completeFilter('abc', -5).replaceFrom).toBe(0);
    expect(completeFilter('zzzz', 4).candidates).toEqual([]);
  });
});
