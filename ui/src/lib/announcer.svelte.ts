/**
 * What the app's polite live region says: "note saved", "diary open", ... Screen readers
 * announce each change; it is cleared first so the same news twice is heard twice. News is
 * kept as a message key or as the error itself, so it follows a change of language.
 */
import { locale, t, type MessageKey } from "../i18n";
import type { IpcError } from "../ipc/types";
import { errorText } from "./error-text";

type Params = Readonly<Record<string, string | number>>;
type News = { key: MessageKey; params?: Params } | { error: IpcError } | null;

let news = $state<News>(null);

function set(next: News): void {
  news = null;
  setTimeout(() => (news = next), 50);
}

export const announcer = {
  /** The current news in the current language ("" when there is none). */
  get message(): string {
    if (!news) return "";
    return "key" in news ? t(news.key, news.params) : errorText(news.error, locale.lang);
  },
  say(key: MessageKey, params?: Params): void {
    set({ key, params });
  },
  /** A failed command, in the same words the screen shows for it. */
  sayError(error: IpcError): void {
    set({ error });
  },
};
