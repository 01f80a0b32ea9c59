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
export interface TimelinePage {
  entries: Entry[];
  next_cursor?: string | null;
}
