/**
 * Turning whatever a rejected `invoke` gives into one `IpcError`. Our commands reject with
 * `{code, message, field?, rule?, min?, max?}`; Tauri itself rejects with a bare string
 * (unknown command, denied by a capability, bad argument shape), so those become `code: "ipc"`.
 */
import type { IpcError } from "./types";

const isText = (v: unknown): v is string => typeof v === "string";
const isLimit = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const absentOr = (v: unknown, check: (v: unknown) => boolean): boolean =>
  v === undefined || v === null || check(v);

function hasCodeAndMessage(value: unknown): value is Record<string, unknown> & IpcError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return isText(v.code) && isText(v.message);
}

/** Whether `value` is exactly an `IpcError`: every part it has is of the right type. */
export function isIpcError(value: unknown): value is IpcError {
  return (
    hasCodeAndMessage(value) &&
    absentOr(value.field, isText) &&
    absentOr(value.rule, isText) &&
    absentOr(value.min, isLimit) &&
    absentOr(value.max, isLimit)
  );
}

/**
 * The error as the UI uses it. An optional part that is null, empty or of the wrong type is
 * left out rather than spoiling the whole error: the `code` alone still picks the right words.
 */
export function toIpcError(value: unknown): IpcError {
  if (hasCodeAndMessage(value)) {
    const error: IpcError = { code: value.code, message: value.message };
    if (isText(value.field) && value.field) error.field = value.field;
    if (isText(value.rule) && value.rule) error.rule = value.rule;
    if (isLimit(value.min)) error.min = value.min;
    if (isLimit(value.max)) error.max = value.max;
    return error;
  }
  if (typeof value === "string") return { code: "ipc", message: value };
  if (value instanceof Error) return { code: "ipc", message: value.message };
  return { code: "ipc", message: String(value) };
}
