/** Typed wrappers of the app's Tauri commands, one function per command. */
export { diaryCreate, diaryLock, diaryStatus, diaryUnlock } from "./diary";
export { entryAdd } from "./entry";
export { isIpcError, toIpcError } from "./errors";
export { timelineList } from "./timeline";
export * from "./types";
