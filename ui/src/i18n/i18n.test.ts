import { describe, expect, it as test } from "vitest";

import { en } from "./en";
import { DICTIONARIES, pickLanguage, placeholders, translate } from "./translate";
import { LANGS, LANG_NAMES } from "./types";

const englishKeys = Object.keys(en).sort();

describe("every language is complete", () => {
  for (const lang of LANGS) {
    const dictionary: Record<string, string> = DICTIONARIES[lang];

    test(`${lang} has exactly the English keys`, () => {
      expect(Object.keys(dictionary).sort()).toEqual(englishKeys);
    });

    test(`${lang} has no empty message`, () => {
      const empty = englishKeys.filter((key) => !dictionary[key]?.trim());
      expect(empty).toEqual([]);
    });

    test(`${lang} keeps every placeholder of the English message`, () => {
      for (const key of englishKeys) {
        expect(placeholders(dictionary[key] ?? ""), key).toEqual(
          placeholders((en as Record<string, string>)[key] ?? ""),
        );
      }
    });

    test(`${lang} has a name in the picker`, () => {
      expect(LANG_NAMES[lang]).toBeTruthy();
    });
  }

  test("translations are not English left untranslated", () => {
    for (const lang of LANGS.filter((l) => l !== "en")) {
      const same = englishKeys.filter(
        (key) =>
          (DICTIONARIES[lang] as Record<string, string>)[key] ===
          (en as Record<string, string>)[key],
      );
      // Words that are the same in both languages are allowed, but only a few.
      expect(same.length, `${lang}: ${same.join(", ")}`).toBeLessThanOrEqual(2);
    }
  });
});

describe("the starting language", () => {
  test("follows the first supported system language", () => {
    expect(pickLanguage(["it-CH", "en"])).toBe("it");
    expect(pickLanguage(["pt-BR", "de-AT"])).toBe("de");
    expect(pickLanguage(["FR"])).toBe("fr");
  });

  test("falls back to English", () => {
    expect(pickLanguage(["pt", "es-ES"])).toBe("en");
    expect(pickLanguage([])).toBe("en");
  });
});

describe("translate", () => {
  test("fills placeholders", () => {
    expect(translate("it", "timeline.mood", { value: 4 })).toBe("Umore 4 su 5");
  });

  test("leaves unknown placeholders visible rather than blank", () => {
    expect(translate("en", "timeline.mood")).toBe("Mood {value} of 5");
  });
});
