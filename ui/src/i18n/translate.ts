/**
 * Pure lookups: which language to start in, and a message with its placeholders filled.
 * Kept free of Svelte state so it can be unit-tested in Node.
 */
import { de } from "./de";
import { en } from "./en";
import { fr } from "./fr";
import { it } from "./it";
import { LANGS, type Dictionary, type Lang, type MessageKey } from "./types";

export const DICTIONARIES: Readonly<Record<Lang, Dictionary>> = { it, en, de, fr };

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/**
 * The first supported language among the user's preferred tags (`it-CH`, `fr`, ...);
 * English when none is supported.
 */
export function pickLanguage(tags: readonly string[]): Lang {
  for (const tag of tags) {
    const primary = tag.slice(0, 2).toLowerCase();
    if (isLang(primary)) return primary;
  }
  return "en";
}

/** The names of the `{placeholders}` in a message, sorted, for comparing translations. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();
}

/** A message in `lang` with `{name}` replaced by `params.name`; unknown names stay visible. */
export function translate(
  lang: Lang,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const message = DICTIONARIES[lang][key] || en[key];
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
