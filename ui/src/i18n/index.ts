/** The UI's words in Italian, English, German and French. English is the reference;
 * the compiler and the completeness test keep the others whole. */
export { locale, t } from "./locale.svelte";
export { pickLanguage, translate } from "./translate";
export { LANGS, LANG_NAMES, type Lang, type MessageKey } from "./types";
