import type { en } from "./en";

/** Every message the UI can show; English defines the set. */
export type MessageKey = keyof typeof en;

/** A complete translation: the compiler refuses one with a key missing or extra. */
export type Dictionary = { readonly [K in MessageKey]: string };

/** The UI languages, in the order the picker lists them. */
export const LANGS = ["it", "en", "de", "fr"] as const;
export type Lang = (typeof LANGS)[number];

/** Each language's name in itself, so a reader finds their own language in any UI language. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = {
  it: "Italiano",
  en: "English",
  de: "Deutsch",
  fr: "Français",
};
