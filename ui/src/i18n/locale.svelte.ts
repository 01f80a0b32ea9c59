/**
 * The language the UI speaks now, as Svelte state: components call `t(...)` in their markup
 * and re-render when the reader picks another language. The choice is remembered on the
 * device; the first time, it follows the system's languages.
 */
import { isLang, pickLanguage, translate } from "./translate";
import type { Lang, MessageKey } from "./types";

const STORAGE_KEY = "convivio.lang";

function initialLanguage(): Lang {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLang(saved)) return saved;
  const tags = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? "en"];
  return pickLanguage(tags);
}

let current = $state<Lang>(initialLanguage());

export const locale = {
  get lang(): Lang {
    return current;
  },
  set lang(next: Lang) {
    current = next;
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
    if (globalThis.document) document.documentElement.lang = next;
  },
};

/** A message in the current language. Reading it inside markup makes the markup reactive. */
export function t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  return translate(current, key, params);
}
