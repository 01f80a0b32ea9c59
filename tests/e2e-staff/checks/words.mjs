// Caregivers' words are data: whatever they hold (<script>, quotes, tags) is shown as text.
// The test's caregiver has markup in their name and entries (harness/world.mjs, HOSTILE); here
// is how a page would look if any of it had been taken for HTML.

/** What an injected script would have set, or null. */
export function pwned(page) {
  return page.evaluate(() => window.__pwned ?? null);
}

/** A description of any caregiver markup the page rendered as elements, or null. */
export function shownAsText(page) {
  return page.evaluate(() => {
    if (window.__pwned !== undefined) return `an injected script ran (${window.__pwned})`;
    const found = [];
    for (const el of document.querySelectorAll("[onerror], [onload]")) found.push(`<${el.tagName.toLowerCase()}> with an event attribute`);
    for (const el of document.querySelectorAll("script")) {
      if (!el.src || new URL(el.src).pathname !== "/staff/assets/staff.js") found.push("a script that is not the dashboard's");
    }
    for (const el of document.querySelectorAll("b, i, img[src='x']")) {
      if (["Bruni", "grassetto", "Fisioterapia", ""].includes(el.textContent.trim())) found.push(`a <${el.tagName.toLowerCase()}> from a caregiver's words`);
    }
    return found.length > 0 ? `caregiver markup rendered: ${found.join(", ")}` : null;
  });
}
