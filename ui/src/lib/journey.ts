/**
 * An entry's journey (decided by the diary: `convivio_diary::Journey`) as the timeline shows
 * it: a sentence in the reader's language and a symbol beside it. The symbol is decoration
 * (hidden from screen readers); the sentence says everything, so nothing relies on the symbol.
 */
import { translate, type Lang } from "../i18n";
import type { Journey } from "../ipc/types";
import { formatWhen } from "./format";

export interface JourneyText {
  symbol: string;
  text: string;
}

const SYMBOLS: Readonly<Record<Journey["state"], string>> = {
  only_here: "⌂",
  waiting: "…",
  received: "✓",
  read: "✓✓",
  answered: "↩",
};

export function journeyText(journey: Journey, lang: Lang, timeZone?: string): JourneyText {
  const symbol = SYMBOLS[journey.state];
  switch (journey.state) {
    case "read":
      return {
        symbol,
        text: translate(lang, "timeline.journey.read", {
          name: journey.by,
          when: formatWhen(journey.at, lang, timeZone),
        }),
      };
    case "answered":
      return {
        symbol,
        text: translate(lang, "timeline.journey.answered", { when: formatWhen(journey.at, lang, timeZone) }),
      };
    default:
      return { symbol, text: translate(lang, `timeline.journey.${journey.state}`) };
  }
}
