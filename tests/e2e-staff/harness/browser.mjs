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
    // A page answered 404 or 422 on purpose logs "Failed to load resource"; what it loads is
    // checked below instead. Anything else (a CSP refusal, a script error) is a problem.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      context.problems.push(`${page.url()}: console: ${message.text()}`);
    }
  });
  page.on("response", (response) => {
    const request = response.request();
    // Chromium asks for /favicon.ico on its own; the dashboard has none to give.
    if (request.isNavigationRequest() || new URL(response.url()).pathname === "/favicon.ico") return;
    if (response.status() >= 400) context.problems.push(`${page.url()}: ${response.url()} answered ${response.status()}`);
  });
  page.on("requestfailed", (request) => {
    context.problems.push(`${page.url()}: ${request.url()} failed: ${request.failure()?.errorText}`);
  });
  page.on("pageerror", (error) => context.problems.push(`${page.url()}: ${error.message}`));
}
