import { padRight, truncateEnd } from '../format/text.js';
import { line } from './lines.js';
import type { Line } from './lines.js';

/** A view whose data this session does not have: say what it would show and why it cannot. */
export function placeholderLines(title: string, why: readonly string[], width: number): Line[] {
  return [line(padRight(` ${title} (Esc back) `, width), 'title-focused'), ...why.map((w) => line(truncateEnd(`  ${w}`, width), 'dim'))];
}

export function streamPlaceholder(source: null | undefined, width: number): Line[] {
  const why = source === undefined
    ? ['Stream reassembly is not running in this session.', 'The stream view shows a conversation\'s bytes as text or hex, with search and follow.']
    : ['No reassembled data for this conversation:', 'only TCP and UDP conversations have streams, and the oldest data is dropped past the byte limits.'];
  return placeholderLines('Stream', why, width);
}

export function packetsPlaceholder(source: null | undefined, width: number): Line[] {
  const why = source === undefined
    ? ['This session keeps no packets (packet ring off).', 'The packet view lists a conversation\'s packets (or all) with their field tree and bytes.']
    : ['This conversation has no packets to list.'];
  return placeholderLines('Packets', why, width);
}
