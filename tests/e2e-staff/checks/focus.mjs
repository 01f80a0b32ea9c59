// Keyboard use: moving with Tab alone, and seeing where the focus is at every stop.

/** What has the focus, and whether it is drawn: an outline or a box shadow on it. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    // A date field's last stop is its calendar button, inside the browser's own shadow tree:
    // the field itself is then not :focus, and Chromium draws that button's ring itself.
    if (el.matches('input[type="date"]') && !el.matches(":focus")) {
      return { tag: "input", id: el.id, name: el.getAttribute("name"), type: "date-picker", text: "", visible: true, focusVisible: true };
    }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const box = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute("name"),
      value: el.getAttribute("value"),
      type: el.getAttribute("type"),
      text: (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 60),
      visible: (outline || style.boxShadow !== "none") && box.width > 0 && box.height > 0,
      focusVisible: el.matches(":focus-visible"),
    };
  });
}

/**
 * Presses Tab until the focused element satisfies `wanted` (a predicate over `focused()`),
 * checking at every stop that the focus is visible. Fails after `max` presses, naming the stops.
 */
export async function tabTo(page, wanted, { max = 80, what = "the element" } = {}) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (now) {
      stops.push(now);
      if (!now.visible || !now.focusVisible) {
        throw new Error(`the focus is not visible on ${JSON.stringify(now)}`);
      }
      if (wanted(now)) return now;
    }
  }
  throw new Error(`Tab never reached ${what} in ${max} presses; it stopped at: ${stops.map((s) => `${s.tag}#${s.id || s.name || s.text}`).join(", ")}`);
}
