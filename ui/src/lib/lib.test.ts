import { describe, expect, test } from "vitest";

import { isIpcError, toIpcError } from "../ipc/errors";
import type { Entry } from "../ipc/types";
import { errorFor, unplacedError } from "./form-errors";
import { formatWhen } from "./format";
import { appendPage, EMPTY_TIMELINE } from "./timeline";

describe("command errors", () => {
  test("a command's error keeps its code, message and field", () => {
    const raw = { code: "invalid", message: "mood: must be a whole number from 1 to 5", field: "mood" };
    expect(toIpcError(raw)).toEqual(raw);
  });

  test("a null field is dropped rather than kept as null", () => {
    expect(toIpcError({ code: "wrong_passphrase", message: "wrong", field: null })).toEqual({
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

  test("an error naming a field goes next to that field only", () => {
    const error = { code: "invalid", message: "mood: too high", field: "mood" };
    expect(errorFor(error, "mood")).toBe("mood: too high");
    expect(errorFor(error, "text")).toBeUndefined();
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
  const entry = (id: string): Entry => ({
    id,
    version: "v",
    occurred_at: "2026-11-28T10:00:00+01:00",
    recorded_at: "2026-11-28T10:00:00+01:00",
    sharing: "private",
    kind: "note",
  });

  test("a further page is appended and keeps the next cursor", () => {
    const first = appendPage(EMPTY_TIMELINE, { entries: [entry("c"), entry("b")], next_cursor: "k" });
    const second = appendPage(first, { entries: [entry("a")], next_cursor: null });
    expect(second.entries.map((e) => e.id)).toEqual(["c", "b", "a"]);
    expect(first.nextCursor).toBe("k");
    expect(second.nextCursor).toBeNull();
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
