/**
 * Dates for people: an entry's `occurred_at` (RFC 3339 with the offset where it was written)
 * shown as a long, localised date and time, never as ISO text.
 */
import type { Lang } from "../i18n/types";

const LOCALES: Readonly<Record<Lang, string>> = {
  it: "it-IT",
  en: "en-GB",
  de: "de-DE",
  fr: "fr-FR",
};

export function formatWhen(iso: string, lang: Lang, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: "full",
    timeStyle: "short",
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}
