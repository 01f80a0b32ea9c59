/**
 * Where a command's error shows up in a form. An error naming one of the form's fields goes
 * next to that field; anything else (no field, or a field this form does not show) goes to
 * the form's own alert, so no error is ever silently dropped.
 */
import type { IpcError } from "../ipc/types";

export function errorFor(error: IpcError | null, field: string): string | undefined {
  return error?.field === field ? error.message : undefined;
}

export function unplacedError(
  error: IpcError | null,
  fields: readonly string[],
): IpcError | undefined {
  if (!error) return undefined;
  return error.field && fields.includes(error.field) ? undefined : error;
}
