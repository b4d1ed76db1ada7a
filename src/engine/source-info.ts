import type { SourceStatus } from '../capture/source.js';
import type { EngineSourceInfo } from './engine-types.js';

// Apart from runtime.ts so `wiretop report` can use it without loading the runtime.
/** Map the capture layer's status to what snapshots and reports show. */
export function engineSourceInfo(s: SourceStatus, kind?: EngineSourceInfo['kind']): EngineSourceInfo {
  return {
    kind: kind ?? (s.kind === 'live' ? 'interface' : s.name === '-' ? 'stdin' : 'file'),
    name: s.name,
    linkTypes: [...s.linkTypes],
    packetsRead: s.packetsRead,
    bytesRead: s.bytesRead,
    truncated: s.truncated,
    warnings: [...s.warnings],
    ended: s.ended,
    dropped: s.dropped,
    dropNote: s.dropNote === '' ? null : s.dropNote,
  };
}
