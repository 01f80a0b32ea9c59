/** Typed wrappers of the app's Tauri commands, one function per command. */
export { diaryCreate, diaryLock, diaryStatus, diaryUnlock } from "./diary";
export { entryAdd } from "./entry";
export { isIpcError, toIpcError } from "./errors";
export { onSyncStatus, SYNC_EVENT, syncEnrol, syncNow, syncStatus } from "./sync";
export { timelineList } from "./timeline";
export * from "./types";
