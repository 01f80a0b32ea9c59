/** Commands that write entries. */
import { call } from "./invoke";
import type { Entry, NoteInput } from "./types";

export function entryAdd(input: NoteInput): Promise<Entry> {
  return call<Entry>("entry_add", { input });
}
