/**
 * Dates and numbers for people: an entry's `occurred_at` (RFC 3339 with the offset where it
 * was written) shown as a long, localised date and time, never as ISO text; a number with
 * the reader's digit grouping ("20.000", "20 000").
 */
import type { Lang } from "../i18n/types";

export const LOCALES: Readonly<Record<Lang, string>> = {
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

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(value);
}
