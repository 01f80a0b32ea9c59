// The dashboard's own words (crates/server/locales/{it,en}/staff.ftl), so the tests look for
// what a member reads without copying the text here. Only the one-line `key = value` messages
// are read; `{ $name }` placeholders are left in for `fill`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const LOCALES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../crates/server/locales");

export function words(lang) {
  const text = readFileSync(path.join(LOCALES, lang, "staff.ftl"), "utf8");
  return Object.fromEntries(
    [...text.matchAll(/^([a-z][a-z0-9_-]*) = (.+)$/gm)].map(([, key, value]) => [key, value.trim()]),
  );
}

/** The message with its placeholders filled in. */
export function fill(message, values) {
  return message.replaceAll(/\{ \$(\w+) \}/g, (_, name) => values[name] ?? "");
}
