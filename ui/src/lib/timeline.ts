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
