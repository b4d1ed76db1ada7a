import { describe, expect, test } from 'vitest';
import { completeFilter, validateFilter } from '../../src/filter/index.js';
import { adaptCompletion } from '../../src/ui/filter-tools.js';
import { talkerRows } from '../../src/ui/rows/talker-rows.js';
import { combineFilter, talkerExpr } from '../../src/ui/state/filter-exprs.js';
import { busySnapshot, conversation, host } from './helpers/snapshots.js';

describe('filter text made by f/F is valid in the filter language', () => {
  const snap = busySnapshot({
    hosts: [host(1), host(2, '2001:db8::1')],
    conversations: [conversation(1), { ...conversation(2), proto: 'UDP', bPort: 53 }, { ...conversation(3), proto: 'ICMP', aPort: null, bPort: null }],
  });
  const exprs = [
    ...talkerRows(snap, 'hosts', 'r2'),
    ...talkerRows(snap, 'conversations', 'r2'),
    ...talkerRows(snap, 'ports', 'r2'),
  ].map(talkerExpr);

  for (const e of exprs) {
    test(e, () => {
      expect(validateFilter(e)).toEqual({ ok: true });
      expect(validateFilter(combineFilter('tcp || udp', e, true))).toEqual({ ok: true });
      expect(validateFilter(combineFilter('tcp', e, false))).toEqual({ ok: true });
    });
  }
});

test('the real completer plugs into the filter line', () => {
  const done = adaptCompletion('tcp.dstp', 8, completeFilter('tcp.dstp', 8));
  expect(done).toEqual({ text: 'tcp.dstport ', cursor: 12 });
});
