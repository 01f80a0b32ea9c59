// A PNG of every page, for people to look at (nothing is compared). Every run writes them to
// tests/e2e-staff/screenshots/ (not committed); STAFF_SCREENSHOTS=docs/screenshots refreshes
// the set the README shows. The viewport, not the full page: 1280x900 keeps each file small.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../../..");
const DIR = path.resolve(REPO, process.env.STAFF_SCREENSHOTS ?? "tests/e2e-staff/screenshots");

/** Saves the page as `staff-<name>.png`; resolves with the file's path. */
export async function screenshot(page, name) {
  mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `staff-${name}.png`);
  await page.screenshot({ path: file, animations: "disabled", caret: "hide" });
  return file;
}
