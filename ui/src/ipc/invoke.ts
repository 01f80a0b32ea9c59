/** The one place that calls Tauri's `invoke`, so every wrapper rejects with an `IpcError`. */
import { invoke } from "@tauri-apps/api/core";

import { toIpcError } from "./errors";

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}
