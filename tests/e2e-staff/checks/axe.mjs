// Accessibility by axe-core, on the page as the browser rendered it.
//
// Injected with `page.evaluate(source)`: that runs through the DevTools protocol, which the
// dashboard's Content-Security-Policy (no inline script) does not govern, so no `bypassCSP` is
// needed and every page is checked under the policy it really ships with.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** WCAG 2.2 A and AA (which include 2.0 and 2.1), and axe's best practices. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** The violations axe finds on `page`, each with the first few elements it names. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ")}`),
    }));
  }, TAGS);
}

/** The violations as lines a failure message can show. */
export function describeViolations(violations) {
  return violations.map((v) => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    - ${n}`).join("\n")}`).join("\n");
}
