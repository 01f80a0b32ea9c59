/**
 * What the app's polite live region says: "note saved", "diary open", ... Screen readers
 * announce each change; it is cleared first so the same news twice is heard twice. News is
 * kept as a message key, so it follows a change of language; text from the backend (already
 * in its final words) is kept as is.
 */
import { t, type MessageKey } from "../i18n";

type News = { key: MessageKey } | { text: string } | null;

let news = $state<News>(null);

function set(next: News): void {
  news = null;
  setTimeout(() => (news = next), 50);
}

export const announcer = {
  /** The current news in the current language ("" when there is none). */
  get message(): string {
    if (!news) return "";
    return "key" in news ? t(news.key) : news.text;
  },
  say(key: MessageKey): void {
    set({ key });
  },
  sayText(text: string): void {
    set({ text });
  },
};
