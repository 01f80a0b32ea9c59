/** Commands that read the timeline. */
import { call } from "./invoke";
import type { TimelinePage, TimelineQuery } from "./types";

export function timelineList(query: TimelineQuery): Promise<TimelinePage> {
  return call<TimelinePage>("timeline_list", { query });
}
