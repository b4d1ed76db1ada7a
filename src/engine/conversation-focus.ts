import { RemoveReason, type FlowTable } from '../flows/flow-table.js';
import { FocusRing, type RecentPackets } from './focus-ring.js';
import type { FocusGone } from './snapshot.js';

const GONE_MESSAGES: Record<FocusGone['reason'], string> = {
  evicted: 'conversation no longer tracked (evicted: the flow table was full)',
  expired: 'conversation no longer tracked (expired: idle past the timeout)',
  reset: 'conversation no longer tracked (the display filter changed; conversations were counted afresh)',
  unknown: 'conversation no longer tracked (evicted or expired)',
  invalid: 'not a conversation id',
};

function goneReason(r: number): FocusGone['reason'] {
  return r === RemoveReason.Evicted ? 'evicted' : r === RemoveReason.Expired ? 'expired' : r === RemoveReason.Cleared ? 'reset' : 'unknown';
}

/**
 * The one conversation whose detail snapshots carry (Engine.setFocus): its packets as they come
 * (`ring`, which the engine records into per packet), and, once it is no longer tracked, why.
 */
export class ConversationFocus {
  readonly ring = new FocusRing();
  /** The id given to set(), and why it is not tracked (null while it is). */
  private id: string | null = null;
  private why: FocusGone['reason'] | null = null;

  /** Follow conversation `convId` (ConversationRow.id; null: none); false when it is not tracked. */
  set(convId: string | null, flows: FlowTable, recent: RecentPackets): boolean {
    this.ring.clear();
    this.id = convId;
    this.why = null;
    if (convId === null) return true;
    const m = /^(\d+):(\d+)$/.exec(convId);
    if (!m) {
      this.why = 'invalid';
      return false;
    }
    const slot = Number(m[1]);
    const gen = Number(m[2]);
    if (!flows.isLive(slot) || flows.gen[slot] !== gen) {
      this.why = goneReason(flows.removedReason(slot, gen));
      return false;
    }
    this.ring.set(slot, gen);
    recent.copyFlowInto(this.ring, slot, gen);
    return true;
  }

  /** Flow `slot` is being removed (a RemoveReason). */
  removed(slot: number, reason: number): void {
    if (slot !== this.ring.slot) return;
    this.why = goneReason(reason);
    this.ring.clear();
  }

  /** The filtered aggregates restart (display filter change). */
  reset(): void {
    if (this.ring.slot >= 0) this.why = 'reset';
    this.ring.clear();
  }

  /** Why the focused conversation is not tracked, or null (none focused, or it is). */
  gone(): FocusGone | null {
    const why = this.why;
    if (why === null || this.id === null) return null;
    return { id: this.id, reason: why, message: GONE_MESSAGES[why] };
  }
}
