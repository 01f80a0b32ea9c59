// Debian's Chromium driven by playwright-core: never a browser Playwright downloads.
import { chromium } from "playwright-core";

const EXECUTABLE = process.env.CHROMIUM ?? "/usr/bin/chromium";
// Without the networking flags Chromium keeps trying to reach the internet, which CI refuses.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A fresh Chromium. Playwright's `launch` starts it with a `--user-data-dir` of its own, a new
 * temporary folder removed on close, so every run starts with no profile, cookies or cache
 * (contexts need `launch`: a persistent context is only one).
 */
export function launch() {
  return chromium.launch({ executablePath: EXECUTABLE, headless: true, args: ARGS });
}

/**
 * A new context (its own cookies) in `lang`'s locale, with the page's console errors and
 * uncaught exceptions collected in `context.problems` (a CSP refusal shows up there too).
 */
export async function newContext(browser, { lang = "it", ...options } = {}) {
  const context = await browser.newContext({
    locale: lang === "it" ? "it-IT" : "en-GB",
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    ...options,
  });
  context.problems = [];
  context.on("page", (page) => watch(context, page));
  return context;
}

function watch(context, page) {
  page.on("console", (message) => {
    if (message.type() === "error") context.problems.push(`${page.url()}: console: ${message.text()}`);
  });
  page.on("pageerror", (error) => context.problems.push(`${page.url()}: ${error.message}`));
}
