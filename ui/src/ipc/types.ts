/**
 * The shapes that cross the Tauri bridge, written by hand to match `src-tauri`'s commands
 * and `convivio-core`'s serde names (snake_case on the wire).
 */

/**
 * What every failed command rejects with. `code` is stable and is what the UI branches on;
 * `message` is the backend's English sentence (the CLI prints it), never the main text shown.
 * For `code: "invalid"`, `field` names the input field to mark and `rule` says which rule it
 * broke, with `min`/`max` as the rule's limits.
 */
export interface IpcError {
  code: string;
  message: string;
  field?: string;
  rule?: string;
  min?: number;
  max?: number;
}

export type Sharing = "private" | "agency" | "research";
export const SHARINGS: readonly Sharing[] = ["private", "agency", "research"];

export type EntryKind = "note" | "need" | "experience" | "trust";

/** Whether a diary exists in the app's data directory, and whether it is open. */
export interface DiaryStatus {
  exists: boolean;
  unlocked: boolean;
}

/**
 * A new entry as the UI sends it. Scores go as numbers and the backend checks every rule,
 * so the UI never needs to copy them.
 */
export interface NoteInput {
  kind: "note";
  sharing: Sharing;
  text: string;
  mood: number | null;
  burden: number | null;
  occurred_at?: string;
}

/** A saved entry. Kind-specific fields sit beside the common ones. */
export interface Entry {
  id: string;
  version: string;
  occurred_at: string;
  recorded_at: string;
  sharing: Sharing;
  kind: EntryKind;
  text?: string | null;
  mood?: number | null;
  burden?: number | null;
  [extra: string]: unknown;
}

/** Filters and paging for the timeline; every filter is optional. */
export interface TimelineQuery {
  kind?: EntryKind;
  sharing?: Sharing;
  factor?: string;
  from?: string;
  to?: string;
  cursor?: string | null;
  limit?: number;
}

/** One page of the timeline, newest first; `next_cursor` is absent on the last page. */
/** Where an entry has got to (`convivio_diary::Journey`), furthest step reached. */
export type Journey =
  | { state: "only_here" }
  | { state: "waiting" }
  | { state: "received" }
  | { state: "read"; by: string; at: string; readers: number }
  | { state: "answered"; at: string };

/** An entry on the timeline: its own fields and its journey beside them. */
export type TimelineEntry = Entry & { journey: Journey };

export interface TimelinePage {
  entries: TimelineEntry[];
  next_cursor?: string | null;
}

/** Whether this diary is connected to an agency, and whether the agency still accepts it. */
export type SyncState = "not_enrolled" | "active" | "revoked" | "unauthorized";

/**
 * Where sync with the agency stands: what `sync_status`, `sync_now` and `sync_enrol` answer,
 * and the payload of the `sync:status` event. Times are RFC 3339 (UTC); `last_error_code` is
 * a stable code for the UI's words, `last_error` the backend's English sentence.
 */
export interface SyncView {
  state: SyncState;
  revoked: boolean;
  server_url: string | null;
  agency_name: string | null;
  device_id: string | null;
  last_success_at: string | null;
  last_attempt_at: string | null;
  /** Changes waiting to be sent. */
  waiting: number;
  last_error_code: string | null;
  last_error: string | null;
  batch_size: number | null;
  /** A sync is running right now. */
  syncing: boolean;
  /**
   * The reading's number. Events and command answers can overtake each other: a view with a
   * lower `seq` than one already shown is older news.
   */
  seq: number;
}
