// The dashboard's pages as a visitor finds them: the routes the server declares, and a crawl
// that follows every link under /staff from the queue, so a page added to the dashboard is
// visited (and checked) without anyone listing it here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROUTES_RS = path.join(HERE, "../../crates/server/src/staff/mod.rs");

/**
 * The GET pages the server declares in `ROUTES` (crates/server/src/staff/mod.rs) for signed-in
 * staff and admins, as patterns like `/entries/{id}`: the crawl must reach each one.
 */
export function declaredPages() {
  const source = readFileSync(ROUTES_RS, "utf8");
  const table = source.slice(source.indexOf("pub const ROUTES"), source.indexOf("];", source.indexOf("pub const ROUTES")));
  return [...table.matchAll(/route\("GET",\s*"([^"]+)",\s*Access::(\w+)\)/g)]
    .filter(([, , access]) => access !== "Public")
    .map(([, route]) => route);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** `/staff/entries/0190...` -> `/entries/{id}`: the route a dashboard URL is served by. */
export function patternOf(url) {
  const { pathname } = new URL(url);
  const rest = pathname.replace(/^\/staff/, "") || "/";
  return rest.replace(UUID, "{id}");
}

/** A short, stable file name for a page's route: `/` is the queue, `/team/{id}` a team member. */
export function slugOf(pattern) {
  const named = { "/": "queue", "/entries/{id}": "entry", "/caregivers/{id}": "caregiver", "/team/{id}": "team-member" };
  return named[pattern] ?? pattern.replace(/^\//, "").replaceAll(/[{}]/g, "").replaceAll("/", "-");
}

/** The links under /staff on the current page (no assets, no fragments, no sign-out). */
export async function staffLinks(page) {
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
  const origin = new URL(page.url()).origin;
  return hrefs
    .map((href) => new URL(href))
    .filter((u) => u.origin === origin && (u.pathname === "/staff" || u.pathname.startsWith("/staff/")))
    .filter((u) => !u.pathname.startsWith("/staff/assets/"))
    .map((u) => `${u.origin}${u.pathname}`);
}

/**
 * Every page reachable from `start` by links, one URL per route pattern (the first found;
 * `first` URLs are taken before any found by crawling, to pick the detail pages with the most
 * on them). Calls `visit(page, url, pattern)` on each, in order. Resolves with the patterns.
 */
export async function crawl(page, start, first, visit) {
  const seen = new Set();
  const queue = [...first, start];
  while (queue.length > 0) {
    const url = queue.shift();
    const pattern = patternOf(url);
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    const response = await page.goto(url);
    if (response.status() !== 200) throw new Error(`${url} answered ${response.status()}`);
    for (const link of await staffLinks(page)) {
      if (!seen.has(patternOf(link))) queue.push(link);
    }
    await visit(page, url, pattern);
  }
  return [...seen];
}
