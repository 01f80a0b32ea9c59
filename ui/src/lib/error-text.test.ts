import { describe, expect, test } from "vitest";

import { translate } from "../i18n/translate";
import { LANGS } from "../i18n/types";
import type { IpcError } from "../ipc/types";
import { errorText } from "./error-text";
import { formatNumber } from "./format";

/** Every rule the backend sends, with the limits it comes with and the message beside it. */
const RULES: readonly IpcError[] = [
  { rule: "required", field: "text", message: "text: is required" },
  { rule: "empty", field: "text", message: "text: must not be empty" },
  {
    rule: "too_long",
    max: 20000,
    field: "text",
    message: "text: must be at most 20000 characters (this one has 100000)",
  },
  {
    rule: "too_short",
    min: 8,
    field: "passphrase",
    message: "passphrase: must be at least 8 characters",
  },
  {
    rule: "out_of_range",
    min: 1,
    max: 5,
    field: "mood",
    message: "mood: must be a whole number from 1 to 5 (got 9)",
  },
  { rule: "bad_format", field: "occurred_at", message: "occurred_at: must be a date and time" },
  { rule: "in_future", field: "occurred_at", message: "occurred_at: must not be in the future" },
  { rule: "too_early", field: "occurred_at", message: "occurred_at: must not be before 1900" },
  { rule: "unknown_choice", field: "sharing", message: "sharing: must be one of private, agency" },
  { rule: "not_allowed", field: "burden", message: "burden: does not belong to a need entry" },
  { rule: "other", field: "text", message: "text: something else" },
].map((e) => ({ code: "invalid", ...e }));

const CODES: readonly IpcError[] = [
  { code: "wrong_passphrase", message: "the passphrase is not right for this diary" },
  { code: "no_diary", message: "there is no diary in /data; create one first" },
  { code: "already_exists", message: "a diary already exists in /data" },
  { code: "not_found", message: "no entry with id 123" },
  { code: "locked", message: "the diary is locked; open it with your passphrase first" },
  { code: "storage", message: "could not read or write the diary: disk I/O error" },
  { code: "io", message: "could not read or write a file: permission denied" },
  { code: "damaged", message: "the diary file is damaged or was written by a newer version" },
  { code: "bad_request", message: "the request was not understood: missing field `kind`" },
  { code: "interrupted", message: "the app stopped this task before it finished" },
  { code: "ipc", message: "command entry_add not allowed by ACL" },
  { code: "not_enrolled", message: "this diary is not connected to an agency yet" },
  { code: "already_enrolled", message: "this diary is already connected to Valle Verde" },
  { code: "revoked", message: "the agency has disconnected this device" },
  { code: "unauthorized", message: "the agency's server does not recognise this device" },
  { code: "bad_server_url", message: "'http://10.0.0.1' is refused: plain http:// is allowed only..." },
  { code: "code_refused", message: "the enrolment code was not accepted (unknown code)" },
  { code: "too_many_requests", message: "too many attempts; wait 10 minutes and try again" },
  { code: "unreachable", message: "could not reach the agency's server (no connection)" },
  { code: "timed_out", message: "the agency's server took too long to answer" },
  { code: "connection_lost", message: "the connection to the agency's server broke off" },
  { code: "server_error", message: "the agency's server had a problem (HTTP 503)" },
  { code: "gap", message: "the agency's server keeps asking for changes from number 4" },
  { code: "protocol", message: "the agency's server answered something this app cannot use" },
  { code: "too_large", message: "one change is larger than the agency's server accepts" },
  { code: "unsupported_protocol", message: "this version of Convivio is too old" },
];

const OTHER_LANGS = LANGS.filter((lang) => lang !== "en");

describe("a validation error is told by its rule", () => {
  for (const lang of LANGS) {
    for (const error of RULES) {
      test(`${error.rule} in ${lang} is its own sentence with the limits filled in`, () => {
        const text = errorText(error, lang);
        expect(text.trim()).not.toBe("");
        expect(text).not.toMatch(/[{}]/);
        for (const limit of [error.min, error.max]) {
          if (limit !== undefined) expect(text).toContain(formatNumber(limit, lang));
        }
        if (lang !== "en") expect(text).not.toBe(errorText(error, "en"));
      });
    }
  }

  test("every rule has a sentence of its own", () => {
    const texts = RULES.map((error) => errorText(error, "en"));
    expect(new Set(texts).size).toBe(RULES.length);
  });

  test("large limits are written the way each language groups digits", () => {
    const tooLong = { code: "invalid", rule: "too_long", max: 20000, message: "text: too long" };
    expect(errorText(tooLong, "en")).toContain("20,000");
    expect(errorText(tooLong, "it")).toContain("20.000");
    expect(errorText(tooLong, "de")).toContain("20.000");
    expect(errorText(tooLong, "fr")).toMatch(/20\s000/);
  });

  test("a rule the UI does not know gets the general 'check it' sentence", () => {
    const error = { code: "invalid", message: "text: must rhyme", field: "text", rule: "rhymes" };
    for (const lang of LANGS) {
      expect(errorText(error, lang)).toBe(translate(lang, "error.rule.other"));
    }
    expect(errorText({ code: "invalid", message: "x" }, "it")).toBe(
      translate("it", "error.rule.other"),
    );
  });

  test("a rule whose limit did not come never shows an empty placeholder", () => {
    const error = { code: "invalid", message: "text: too long", field: "text", rule: "too_long" };
    expect(errorText(error, "de")).toBe(translate("de", "error.rule.other"));
  });
});

describe("any other error is told by its code", () => {
  test("a wrong passphrase says so, kindly", () => {
    const error = { code: "wrong_passphrase", message: "the passphrase is not right" };
    expect(errorText(error, "en")).toBe(
      "That passphrase does not open this diary. Check it and try again.",
    );
    expect(errorText(error, "it")).toMatch(/frase segreta/);
  });

  test("storage, file and damage errors all say that nothing was lost", () => {
    for (const code of ["storage", "io", "damaged"]) {
      expect(errorText({ code, message: "" }, "en")).toMatch(/Nothing was lost/);
      expect(errorText({ code, message: "" }, "it")).toMatch(/Non è andato perso nulla/);
    }
  });

  test("a failed sync that will be retried says that nothing was lost, in every language", () => {
    const said = { en: /Nothing is lost/, it: /Non è andato perso nulla/, de: /nichts verloren/, fr: /Rien n'est perdu/ };
    for (const code of ["unreachable", "timed_out", "connection_lost", "server_error", "gap", "protocol", "clock_ahead"]) {
      for (const lang of LANGS) expect(errorText({ code, message: "" }, lang), code).toMatch(said[lang]);
    }
  });

  test("a revoked device is told plainly that the agency disconnected it and what to do", () => {
    const error = { code: "revoked", message: "the agency has disconnected this device" };
    expect(errorText(error, "en")).toMatch(/disconnected this device.*new code/);
    expect(errorText(error, "it")).toMatch(/scollegato questo dispositivo.*nuovo codice/);
  });

  test("errors that only mean 'try again' share the general sentence", () => {
    for (const code of ["bad_request", "interrupted", "ipc"]) {
      expect(errorText({ code, message: "x" }, "fr")).toBe(translate("fr", "error.unexpected"));
    }
  });

  test("a code the UI does not know gets the general sentence", () => {
    for (const lang of LANGS) {
      for (const code of ["conflict", "constructor", "toString", ""]) {
        expect(errorText({ code, message: "something new broke" }, lang)).toBe(
          translate(lang, "error.unexpected"),
        );
      }
    }
  });

  for (const lang of OTHER_LANGS) {
    test(`every code has its own words in ${lang}`, () => {
      for (const error of CODES) {
        expect(errorText(error, lang), error.code).not.toBe(errorText(error, "en"));
      }
    });
  }
});

describe("the backend's English message", () => {
  const unknown: IpcError[] = [
    { code: "invalid", message: "text: must rhyme", field: "text", rule: "rhymes" },
    { code: "brand_new", message: "something brand new went wrong" },
  ];
  const all = [...RULES, ...CODES, ...unknown];

  for (const lang of OTHER_LANGS) {
    test(`is never what a reader in ${lang} sees`, () => {
      for (const error of all) {
        const text = errorText(error, lang);
        expect(text, error.code).not.toContain(error.message);
        expect(text, error.code).not.toBe(errorText(error, "en"));
      }
    });
  }

  test("is not shown in English either: English gets the plain sentence too", () => {
    for (const error of all) expect(errorText(error, "en")).not.toContain(error.message);
  });
});
