import type { ConversationRow, Snapshot } from '../../engine/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { padRight, truncateEnd } from '../format/text.js';
import { formatClock, formatDuration, formatTimeOfDay } from '../format/time.js';
import { formatBytes, formatCount, formatRate } from '../format/units.js';
import type { RateUnit } from '../format/units.js';
import { line } from './lines.js';
import type { Line } from './lines.js';
import type { NameOf } from './talkers.js';
import type { PacketSummary as KeptPacket } from '../packets/packet-data.js';

export interface DetailProps {
  readonly snapshot: Snapshot;
  readonly conversationId: string;
  readonly unit: RateUnit;
  readonly width: number;
  readonly height: number;
  readonly nameOf: NameOf;
  /** The conversation's packets kept by the session (oldest first), when it keeps packets. */
  readonly kept?: readonly KeptPacket[];
}

function ep(addr: string, port: number | null, nameOf: NameOf): string {
  const name = nameOf(addr);
  const shown = addr.includes(':') && port !== null ? `[${addr}]` : addr;
  return `${shown}${port === null ? '' : `:${port}`}${name === undefined ? '' : ` (${escapeForTerminal(name)})`}`;
}

/** Sections of the detail, in order. */
function sections(c: ConversationRow, props: DetailProps): Line[] {
  const { unit, nameOf, snapshot } = props;
  const esc = escapeForTerminal;
  return [
    line(`A ${ep(c.a, c.aPort, nameOf)}`),
    line(`B ${ep(c.b, c.bPort, nameOf)}`),
    line(`protocol ${esc(c.proto)}  service ${esc(c.service) || '-'}  TCP state ${esc(c.tcpState) || '-'}${c.vlan === null ? '' : `  vlan ${c.vlan}`}`),
    line(`A→B ${formatCount(c.aToBPackets)} pkts ${formatBytes(c.aToBBytes)}  now ${formatRate(c.aToB.r2, unit)}/s  10s ${formatRate(c.aToB.r10, unit)}/s  40s ${formatRate(c.aToB.r40, unit)}/s`),
    line(`B→A ${formatCount(c.bToAPackets)} pkts ${formatBytes(c.bToABytes)}  now ${formatRate(c.bToA.r2, unit)}/s  10s ${formatRate(c.bToA.r10, unit)}/s  40s ${formatRate(c.bToA.r40, unit)}/s`),
    line(`first seen ${formatClock(c.firstSeen)}  duration ${formatDuration(c.lastSeen - c.firstSeen)}`),
    line(`last seen  ${formatClock(c.lastSeen)} (${formatDuration(snapshot.time - c.lastSeen)} ago)`),
  ];
}

export function detailLines(props: DetailProps): Line[] {
  const { snapshot, width, height } = props;
  const fromFocus = snapshot.focus?.conversation.id === props.conversationId ? snapshot.focus : null;
  const conv = fromFocus?.conversation ?? snapshot.conversations.find((c) => c.id === props.conversationId) ?? null;
  const lines: Line[] = [line(padRight(' Conversation detail (Esc back  s stream  v packets) ', width), 'title-focused')];
  if (conv === null) {
    lines.push(line('  (this conversation is no longer tracked)', 'dim'));
    return lines;
  }
  for (const l of sections(conv, props)) lines.push(line(truncateEnd(` ${l[0]!.text}`, width)));
  if (props.kept !== undefined && props.kept.length > 0) {
    // Kept packets go back before the detail was opened, which the engine's focus does not.
    lines.push(line(padRight(' Recent packets (No., seconds since the first packet; v lists them all)', width), 'header'));
    const room = Math.max(1, height - lines.length);
    for (const p of props.kept.slice(-room)) {
      const text = ` ${String(p.no).padStart(6)} ${p.time.toFixed(3).padStart(10)} ${escapeForTerminal(p.src)} → ${escapeForTerminal(p.dst)} ${escapeForTerminal(p.proto)} ${p.len} ${escapeForTerminal(p.info)}`;
      lines.push(line(truncateEnd(text, width)));
    }
    return lines;
  }
  lines.push(line(padRight(' Recent packets', width), 'header'));
  const packets = fromFocus?.recentPackets ?? [];
  if (packets.length === 0) {
    // The engine records a conversation's packets from the moment it is focused, so a finished
    // conversation never gets any: say so instead of a bare "(none)".
    const why = fromFocus === null
      ? '  (loading…)'
      : `  (none since this view opened; last one ${formatDuration(snapshot.time - conv.lastSeen)} ago; v lists its earlier packets)`;
    lines.push(line(truncateEnd(why, width), 'dim'));
    return lines;
  }
  const room = Math.max(1, height - lines.length);
  for (const p of packets.slice(-room)) {
    const text = ` ${formatTimeOfDay(p.time)} ${escapeForTerminal(p.src)} → ${escapeForTerminal(p.dst)} ${p.len} ${escapeForTerminal(p.info)}`;
    lines.push(line(truncateEnd(text, width)));
  }
  return lines;
}
