import { describe, expect, test } from "vitest";

import { isIpcError, toIpcError } from "../ipc/errors";
import { LANGS } from "../i18n";
import type { Journey, TimelineEntry } from "../ipc/types";
import { errorFor, unplacedError } from "./form-errors";
import { formatWhen } from "./format";
import { journeyText } from "./journey";
import { appendPage, EMPTY_TIMELINE, withJourneys } from "./timeline";

describe("command errors", () => {
  test("a command's error keeps its code, message and field", () => {
    const raw = { code: "invalid", message: "mood: must be a whole number from 1 to 5", field: "mood" };
    expect(toIpcError(raw)).toEqual(raw);
  });

  test("a validation error keeps its rule and limits", () => {
    const raw = {
      code: "invalid",
      message: "text: must be at most 20000 characters (this one has 100000)",
      field: "text",
      rule: "too_long",
      max: 20000,
    };
    expect(isIpcError(raw)).toBe(true);
    expect(toIpcError(raw)).toEqual(raw);
    const range = { code: "invalid", message: "m", rule: "out_of_range", min: 1, max: 5 };
    expect(toIpcError(range)).toEqual(range);
  });

  test("a part of the wrong type is dropped and the rest is kept", () => {
    const raw = { code: "invalid", message: "m", field: "text", rule: 7, min: "8", max: NaN };
    expect(isIpcError(raw)).toBe(false);
    expect(toIpcError(raw)).toEqual({ code: "invalid", message: "m", field: "text" });
  });

  test("a null field is dropped rather than kept as null", () => {
    const raw = { code: "wrong_passphrase", message: "wrong", field: null, rule: null, min: null };
    expect(isIpcError(raw)).toBe(true);
    expect(toIpcError(raw)).toEqual({
      code: "wrong_passphrase",
      message: "wrong",
    });
  });

  test("a bare string from Tauri itself becomes an ipc error", () => {
    expect(toIpcError("command entry_add not found")).toEqual({
      code: "ipc",
      message: "command entry_add not found",
    });
  });

  test("thrown errors and odd values become ipc errors", () => {
    expect(toIpcError(new Error("boom"))).toEqual({ code: "ipc", message: "boom" });
    expect(toIpcError(undefined)).toEqual({ code: "ipc", message: "undefined" });
    expect(isIpcError({ code: 1, message: "x" })).toBe(false);
  });
});

describe("placing errors in a form", () => {
  const fields = ["text", "mood", "burden", "sharing"] as const;

  test("an error naming a field goes next to that field only, in the reader's words", () => {
    const error = {
      code: "invalid",
      message: "mood: must be a whole number from 1 to 5 (got 9)",
      field: "mood",
      rule: "out_of_range",
      min: 1,
      max: 5,
    };
    expect(errorFor(error, "mood", "en")).toBe("Please choose a number from 1 to 5.");
    expect(errorFor(error, "mood", "it")).toBe("Scegli un numero da 1 a 5.");
    expect(errorFor(error, "text", "it")).toBeUndefined();
    expect(errorFor(null, "text", "it")).toBeUndefined();
    expect(unplacedError(error, fields)).toBeUndefined();
  });

  test("an error without a field, or naming a field the form lacks, goes to the form", () => {
    const general = { code: "locked", message: "the diary is locked" };
    const elsewhere = { code: "invalid", message: "occurred_at: bad", field: "occurred_at" };
    expect(unplacedError(general, fields)).toBe(general);
    expect(unplacedError(elsewhere, fields)).toBe(elsewhere);
    expect(unplacedError(null, fields)).toBeUndefined();
  });
});

describe("timeline paging", () => {
  const entry = (id: string): TimelineEntry => ({
    id,
    version: "v",
    occurred_at: "2026-11-28T10:00:00+01:00",
    recorded_at: "2026-11-28T10:00:00+01:00",
    sharing: "private",
    kind: "note",
    journey: { state: "only_here" },
  });

  test("a further page is appended and keeps the next cursor", () => {
    const first = appendPage(EMPTY_TIMELINE, { entries: [entry("c"), entry("b")], next_cursor: "k" });
    const second = appendPage(first, { entries: [entry("a")], next_cursor: null });
    expect(second.entries.map((e) => e.id)).toEqual(["c", "b", "a"]);
    expect(first.nextCursor).toBe("k");
    expect(second.nextCursor).toBeNull();
  });

  test("journeys refreshed after a sync replace the ones shown and keep every page loaded", () => {
    const shown = appendPage(EMPTY_TIMELINE, {
      entries: [entry("c"), { ...entry("b"), sharing: "agency", journey: { state: "waiting" } }, entry("a")],
      next_cursor: "k",
    });
    const refreshed = withJourneys(shown, {
      entries: [{ ...entry("b"), sharing: "agency", journey: { state: "received" } }, entry("z")],
    });
    expect(refreshed.entries.map((e) => [e.id, e.journey.state])).toEqual([
      ["c", "only_here"],
      ["b", "received"],
      ["a", "only_here"],
    ]);
    expect(refreshed.nextCursor).toBe("k");
  });

  test("an entry already shown is not shown twice", () => {
    const first = appendPage(EMPTY_TIMELINE, { entries: [entry("b")], next_cursor: "k" });
    const second = appendPage(first, { entries: [entry("b"), entry("a")] });
    expect(second.entries.map((e) => e.id)).toEqual(["b", "a"]);
  });
});

describe("dates", () => {
  test("are long and localised", () => {
    const iso = "2026-11-28T10:05:00+01:00";
    expect(formatWhen(iso, "it", "Europe/Rome")).toMatch(/sabato 28 novembre 2026.*10:05/);
    expect(formatWhen(iso, "de", "Europe/Rome")).toMatch(/Samstag, 28\. November 2026.*10:05/);
  });

  test("that cannot be read are shown as they came", () => {
    expect(formatWhen("yesterday", "en")).toBe("yesterday");
  });
});

describe("an entry's journey in words", () => {
  const at = "2026-12-02T09:14:00Z";

  test("every state has its own sentence and symbol in every language", () => {
    const states: Journey[] = [
      { state: "only_here" },
      { state: "waiting" },
      { state: "received" },
      { state: "read", by: "Giulia Neri", at, readers: 2 },
      { state: "answered", at },
    ];
    for (const lang of LANGS) {
      const texts = states.map((j) => journeyText(j, lang, "UTC"));
      expect(new Set(texts.map((t) => t.text)).size).toBe(states.length);
      expect(new Set(texts.map((t) => t.symbol)).size).toBe(states.length);
      for (const t of texts) expect(t.text).not.toMatch(/\{\w+\}/);
    }
  });

  test("a read entry names the first reader and when, in the reader's language", () => {
    const read: Journey = { state: "read", by: "Giulia Neri", at, readers: 1 };
    expect(journeyText(read, "en", "UTC").text).toBe(`Read by Giulia Neri on ${formatWhen(at, "en", "UTC")}`);
    expect(journeyText(read, "it", "UTC").text).toContain("Letta da Giulia Neri");
    expect(journeyText({ state: "waiting" }, "de").text).toBe("Wartet darauf, gesendet zu werden");
  });
});
