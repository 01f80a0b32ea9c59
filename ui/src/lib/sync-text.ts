/**
 * What the sync panel says, from the status the backend sends: when the agency last got the
 * diary's entries ("3 minutes ago", "never"), how many wait, and the last problem, all in the
 * reader's language. Pure (the time "now" is an argument), so it is tested without a clock.
 */
import { translate } from "../i18n/translate";
import type { Lang } from "../i18n/types";
import type { SyncView } from "../ipc/types";
import { errorText } from "./error-text";
import { formatWhen, LOCALES } from "./format";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago `iso` was, for a person: "just now", "3 minutes ago", "yesterday", "4 days
 * ago", and the date itself after a week. A time ahead of `now` (another clock) is "just now".
 */
export function relativeTime(iso: string, now: number, lang: Lang): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const ago = now - then;
  if (ago < MINUTE) return translate(lang, "sync.justNow");
  if (ago >= 7 * DAY) return formatWhen(iso, lang);
  const words = new Intl.RelativeTimeFormat(LOCALES[lang], { numeric: "auto" });
  if (ago < HOUR) return words.format(-Math.floor(ago / MINUTE), "minute");
  if (ago < DAY) return words.format(-Math.floor(ago / HOUR), "hour");
  return words.format(-Math.floor(ago / DAY), "day");
}

/** How many entries wait to be sent, as a sentence. */
export function waitingText(waiting: number, lang: Lang): string {
  if (waiting <= 0) return translate(lang, "sync.waiting.none");
  if (waiting === 1) return translate(lang, "sync.waiting.one");
  return translate(lang, "sync.waiting.other", { count: new Intl.NumberFormat(LOCALES[lang]).format(waiting) });
}

/** The panel's sentences. */
export interface SyncLines {
  /** Connected to whom, not connected, or disconnected by the agency (and what to do). */
  connection: string;
  last: string;
  waiting: string;
  /** Why the last try failed, while the device is still connected. */
  problem?: string;
}

/**
 * The view to show when `next` arrives while `current` is shown: events and command answers
 * can overtake each other, so older news (a lower `seq`) never replaces newer.
 */
export function newest(current: SyncView | null, next: SyncView): SyncView {
  return current && next.seq < current.seq ? current : next;
}

/** Whether the agency no longer accepts this device: the caregiver must enrol again. */
export function isCutOff(view: SyncView): boolean {
  return view.state === "revoked" || view.state === "unauthorized";
}

export function syncLines(view: SyncView, now: number, lang: Lang): SyncLines {
  const last = view.last_success_at
    ? translate(lang, "sync.last", { when: relativeTime(view.last_success_at, now, lang) })
    : translate(lang, "sync.never");
  const lines: SyncLines = { connection: "", last, waiting: waitingText(view.waiting, lang) };
  if (view.state === "not_enrolled") {
    lines.connection = translate(lang, "sync.notConnected");
  } else if (isCutOff(view)) {
    lines.connection = errorText({ code: view.state, message: view.last_error ?? "" }, lang);
  } else {
    lines.connection = translate(lang, "sync.connected", { agency: view.agency_name ?? "" });
    if (view.last_error_code) {
      lines.problem = errorText({ code: view.last_error_code, message: view.last_error ?? "" }, lang);
    }
  }
  return lines;
}
