/** Commands and the event for sync with the care agency. */
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import { call } from "./invoke";
import type { SyncView } from "./types";

/** The backend emits this whenever where sync stands changes (a sync ran, an entry was saved). */
export const SYNC_EVENT = "sync:status";

export function syncStatus(): Promise<SyncView> {
  return call<SyncView>("sync_status");
}

/** Syncs now; resolves when that sync has ended, with the status it left. */
export function syncNow(): Promise<SyncView> {
  return call<SyncView>("sync_now");
}

/** Connects the diary to the agency's server with the one-time code the agency gave. */
export function syncEnrol(server: string, code: string): Promise<SyncView> {
  return call<SyncView>("sync_enrol", { server, code });
}

/** Calls `handler` with every new sync status until the returned function is called. */
export function onSyncStatus(handler: (view: SyncView) => void): Promise<UnlistenFn> {
  return listen<SyncView>(SYNC_EVENT, (event) => handler(event.payload));
}
