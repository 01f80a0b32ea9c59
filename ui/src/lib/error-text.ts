/**
 * What a caregiver reads when a command fails, in their language. The backend's `message` is
 * English (the CLI prints it as is), so the words come from the stable `code` and, for a
 * validation error, from its `rule` and limits. Whatever is not known here falls back to a
 * translated general sentence: the English message is never the text a caregiver reads.
 */
import { translate } from "../i18n/translate";
import type { Lang, MessageKey } from "../i18n/types";
import type { IpcError } from "../ipc/types";
import { formatNumber } from "./format";

type Limit = "min" | "max";

/** Each validation rule's sentence, and the limits it needs filled in. */
const RULES = new Map<string, { key: MessageKey; limits: readonly Limit[] }>([
  ["required", { key: "error.rule.required", limits: [] }],
  ["empty", { key: "error.rule.empty", limits: [] }],
  ["too_long", { key: "error.rule.tooLong", limits: ["max"] }],
  ["too_short", { key: "error.rule.tooShort", limits: ["min"] }],
  ["out_of_range", { key: "error.rule.outOfRange", limits: ["min", "max"] }],
  ["bad_format", { key: "error.rule.badFormat", limits: [] }],
  ["in_future", { key: "error.rule.inFuture", limits: [] }],
  ["too_early", { key: "error.rule.tooEarly", limits: [] }],
  ["unknown_choice", { key: "error.rule.unknownChoice", limits: [] }],
  ["not_allowed", { key: "error.rule.notAllowed", limits: [] }],
  ["other", { key: "error.rule.other", limits: [] }],
]);

/** Each error code's sentence. Codes that only mean "try again" share the general one. */
const CODES = new Map<string, MessageKey>([
  ["wrong_passphrase", "error.wrongPassphrase"],
  ["no_diary", "error.noDiary"],
  ["already_exists", "error.alreadyExists"],
  ["not_found", "error.notFound"],
  ["locked", "error.locked"],
  ["storage", "error.storage"],
  ["io", "error.storage"],
  ["damaged", "error.storage"],
  // Sync and enrolment (the sync client's codes).
  ["not_enrolled", "error.notEnrolled"],
  ["already_enrolled", "error.alreadyEnrolled"],
  ["revoked", "error.revoked"],
  ["unauthorized", "error.unauthorized"],
  ["bad_server_url", "error.badServerUrl"],
  ["code_refused", "error.codeRefused"],
  ["too_many_requests", "error.tooManyRequests"],
  ["unreachable", "error.unreachable"],
  ["timed_out", "error.timedOut"],
  ["connection_lost", "error.connectionLost"],
  ["server_error", "error.serverError"],
  ["gap", "error.syncLater"],
  ["protocol", "error.syncLater"],
  // Corrected by the diary itself; seen only if the server keeps refusing the clock.
  ["clock_ahead", "error.syncLater"],
  ["too_large", "error.tooLarge"],
  ["unsupported_protocol", "error.updateApp"],
  ["bad_request", "error.unexpected"],
  ["interrupted", "error.unexpected"],
  ["ipc", "error.unexpected"],
]);

/** The rule's sentence; an unknown rule, or one whose limits did not come, gets the general one. */
function ruleText(error: IpcError, lang: Lang): string {
  const rule = RULES.get(error.rule ?? "");
  if (!rule) return translate(lang, "error.rule.other");
  const params: Record<string, string> = {};
  for (const limit of rule.limits) {
    const value = error[limit];
    if (value === undefined) return translate(lang, "error.rule.other");
    params[limit] = formatNumber(value, lang);
  }
  return translate(lang, rule.key, params);
}

/** The sentence to show for `error` in `lang`. */
export function errorText(error: IpcError, lang: Lang): string {
  if (error.code === "invalid") return ruleText(error, lang);
  return translate(lang, CODES.get(error.code) ?? "error.unexpected");
}
