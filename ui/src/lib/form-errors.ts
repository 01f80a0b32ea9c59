/**
 * Where a command's error shows up in a form. An error naming one of the form's fields goes
 * next to that field; anything else (no field, or a field this form does not show) goes to
 * the form's own alert, so no error is ever silently dropped.
 */
import type { Lang } from "../i18n/types";
import type { IpcError } from "../ipc/types";
import { errorText } from "./error-text";

/** The words to show next to `field`, in `lang`, when `error` names it. */
export function errorFor(error: IpcError | null, field: string, lang: Lang): string | undefined {
  return error?.field === field ? errorText(error, lang) : undefined;
}

export function unplacedError(
  error: IpcError | null,
  fields: readonly string[],
): IpcError | undefined {
  if (!error) return undefined;
  return error.field && fields.includes(error.field) ? undefined : error;
}
