/**
 * Turning whatever a rejected `invoke` gives into one `IpcError`. Our commands reject with
 * `{code, message, field?}`; Tauri itself rejects with a bare string (unknown command, denied
 * by a capability, bad argument shape), so those become `code: "ipc"`.
 */
import type { IpcError } from "./types";

export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === "string" &&
    typeof v.message === "string" &&
    (v.field === undefined || v.field === null || typeof v.field === "string")
  );
}

export function toIpcError(value: unknown): IpcError {
  if (isIpcError(value)) {
    const { code, message, field } = value;
    return field ? { code, message, field } : { code, message };
  }
  if (typeof value === "string") return { code: "ipc", message: value };
  if (value instanceof Error) return { code: "ipc", message: value.message };
  return { code: "ipc", message: String(value) };
}
