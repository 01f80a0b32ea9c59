/**
 * Paging the timeline: pages arrive newest first; a "load more" page is appended, and an
 * entry already shown (it can move between pages while the caregiver writes) is not shown twice.
 */
import type { TimelineEntry, TimelinePage } from "../ipc/types";

export interface TimelineState {
  entries: TimelineEntry[];
  nextCursor: string | null;
}

export const EMPTY_TIMELINE: TimelineState = { entries: [], nextCursor: null };

export function appendPage(state: TimelineState, page: TimelinePage): TimelineState {
  const seen = new Set(state.entries.map((e) => e.id));
  return {
    entries: [...state.entries, ...page.entries.filter((e) => !seen.has(e.id))],
    nextCursor: page.next_cursor ?? null,
  };
}

/**
 * The entries shown, each with its journey as `page` (a fresh read of the newest entries)
 * gives it. After a sync the journeys move on (sent, read, answered) while the entries stay:
 * the older pages already loaded are kept, and an entry the page does not hold keeps its own.
 */
export function withJourneys(state: TimelineState, page: TimelinePage): TimelineState {
  const fresh = new Map(page.entries.map((e) => [e.id, e.journey]));
  return {
    ...state,
    entries: state.entries.map((e) => {
      const journey = fresh.get(e.id);
      return journey ? { ...e, journey } : e;
    }),
  };
}
