import { describe, expect, test } from "vitest";

import { translate } from "../i18n/translate";
import { LANGS } from "../i18n/types";
import type { SyncView } from "../ipc/types";
import { errorText } from "./error-text";
import { isCutOff, newest, relativeTime, syncLines, waitingText } from "./sync-text";

const NOW = Date.parse("2026-11-28T10:30:00Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const view = (over: Partial<SyncView>): SyncView => ({
  state: "active",
  revoked: false,
  server_url: "http://127.0.0.1:8787",
  agency_name: "Valle Verde",
  device_id: "0193a1d2-0000-7000-8000-000000000001",
  last_success_at: null,
  last_attempt_at: null,
  waiting: 0,
  last_error_code: null,
  last_error: null,
  batch_size: 500,
  syncing: false,
  seq: 1,
  ...over,
});

describe("how long ago", () => {
  test("under a minute is 'just now', in every language", () => {
    for (const lang of LANGS) {
      expect(relativeTime(ago(0), NOW, lang)).toBe(translate(lang, "sync.justNow"));
      expect(relativeTime(ago(59_000), NOW, lang)).toBe(translate(lang, "sync.justNow"));
    }
  });

  test("minutes and hours are counted down, in the reader's words", () => {
    expect(relativeTime(ago(3 * MINUTE + 20_000), NOW, "en")).toBe("3 minutes ago");
    expect(relativeTime(ago(3 * MINUTE), NOW, "it")).toBe("3 minuti fa");
    expect(relativeTime(ago(3 * MINUTE), NOW, "de")).toBe("vor 3 Minuten");
    expect(relativeTime(ago(3 * MINUTE), NOW, "fr")).toBe("il y a 3 minutes");
    expect(relativeTime(ago(MINUTE), NOW, "en")).toBe("1 minute ago");
    expect(relativeTime(ago(2 * HOUR + 59 * MINUTE), NOW, "en")).toBe("2 hours ago");
  });

  test("a day ago is 'yesterday', and a week on it is the date itself", () => {
    expect(relativeTime(ago(DAY + HOUR), NOW, "en")).toBe("yesterday");
    expect(relativeTime(ago(DAY + HOUR), NOW, "it")).toBe("ieri");
    expect(relativeTime(ago(4 * DAY), NOW, "en")).toBe("4 days ago");
    expect(relativeTime(ago(8 * DAY), NOW, "en")).toMatch(/20 November 2026/);
  });

  test("a time ahead of this clock is 'just now', not 'in 2 minutes'", () => {
    expect(relativeTime(ago(-2 * MINUTE), NOW, "en")).toBe("just now");
  });

  test("a time that cannot be read is shown as it came", () => {
    expect(relativeTime("soon", NOW, "en")).toBe("soon");
  });
});

describe("what waits", () => {
  test("none, one and many are each their own sentence", () => {
    expect(waitingText(0, "en")).toBe("Nothing is waiting to be sent.");
    expect(waitingText(1, "en")).toBe("1 entry is waiting to be sent.");
    expect(waitingText(3, "it")).toBe("3 voci sono in attesa di invio.");
    expect(waitingText(2500, "de")).toBe("2.500 Einträge warten darauf, gesendet zu werden.");
  });
});

describe("the sync panel's sentences", () => {
  test("a diary never enrolled says it is not connected and what waits", () => {
    const lines = syncLines(view({ state: "not_enrolled", agency_name: null, waiting: 2 }), NOW, "en");
    expect(lines.connection).toBe(translate("en", "sync.notConnected"));
    expect(lines.last).toBe("Not synced yet.");
    expect(lines.waiting).toBe("2 entries are waiting to be sent.");
    expect(lines.problem).toBeUndefined();
  });

  test("a connected diary names the agency and when it last synced", () => {
    const lines = syncLines(view({ last_success_at: ago(3 * MINUTE) }), NOW, "en");
    expect(lines).toEqual({
      connection: "Connected to Valle Verde.",
      last: "Last synced: 3 minutes ago",
      waiting: "Nothing is waiting to be sent.",
    });
    expect(syncLines(view({ last_success_at: ago(0) }), NOW, "it").last).toBe(
      "Ultima sincronizzazione: proprio ora",
    );
  });

  test("a failed try is told in plain words by its code, never the backend's English", () => {
    const failed = view({
      last_success_at: ago(HOUR),
      waiting: 1,
      last_error_code: "unreachable",
      last_error: "could not reach the agency's server (no connection to the server)",
    });
    for (const lang of LANGS) {
      const lines = syncLines(failed, NOW, lang);
      expect(lines.problem).toBe(errorText({ code: "unreachable", message: "" }, lang));
      expect(lines.problem).not.toContain("no connection to the server");
    }
  });

  test("a revoked device is told plainly that the agency disconnected it, once", () => {
    const revoked = view({
      state: "revoked",
      revoked: true,
      waiting: 1,
      last_error_code: "revoked",
      last_error: "the agency has disconnected this device; ask them for a new code and enrol again",
    });
    expect(isCutOff(revoked)).toBe(true);
    const lines = syncLines(revoked, NOW, "en");
    expect(lines.connection).toMatch(/^Your care agency has disconnected this device/);
    expect(lines.problem).toBeUndefined();
    expect(syncLines(revoked, NOW, "fr").connection).toMatch(/a déconnecté cet appareil/);
  });

  test("a device the server no longer knows is cut off too, with its own words", () => {
    const unknown = view({ state: "unauthorized", last_error_code: "unauthorized" });
    expect(isCutOff(unknown)).toBe(true);
    expect(syncLines(unknown, NOW, "en").connection).toMatch(/no longer recognises this device/);
    expect(isCutOff(view({}))).toBe(false);
  });
});

describe("news that overtook other news", () => {
  test("an older reading never replaces a newer one on screen", () => {
    // The enrol command's answer (read before the first sync) arrives after the event the
    // first sync sent: the panel keeps "nothing waiting".
    const synced = view({ seq: 7, waiting: 0, last_success_at: ago(0) });
    const enrolAnswer = view({ seq: 5, waiting: 1 });
    expect(newest(synced, enrolAnswer)).toBe(synced);
    expect(newest(enrolAnswer, synced)).toBe(synced);
  });

  test("the first view, and the same reading again, are shown", () => {
    const first = view({ seq: 3 });
    expect(newest(null, first)).toBe(first);
    const again = view({ seq: 3, syncing: true });
    expect(newest(first, again)).toBe(again);
  });
});
