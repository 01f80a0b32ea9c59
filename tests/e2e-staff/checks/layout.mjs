// Reflow (WCAG 1.4.10): the page body never scrolls sideways, at 1024 CSS px and at 200 % zoom
// (a 1024 px window zoomed to 200 % lays out 512 CSS px at device scale factor 2, which is what
// the narrow context is). Wide tables may scroll inside their own `.table-wrap`.

/** The two sizes every page must hold at, as Playwright context options. */
export const LAYOUTS = [
  { name: "1024px", viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 },
  { name: "200%", viewport: { width: 512, height: 384 }, deviceScaleFactor: 2 },
];

/**
 * How wide the document is against the window, and, when it is wider, the outermost elements
 * that stick out past the right edge (not counting those inside a scrolling `.table-wrap`).
 */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits = [];
    if (scrollWidth > width) {
      for (const el of document.body.querySelectorAll("*")) {
        if (el.closest(".table-wrap")) continue;
        const box = el.getBoundingClientRect();
        if (box.right > width + 0.5 && !culprits.some((c) => c.el.contains(el))) {
          culprits.push({ el, right: Math.round(box.right) });
        }
      }
    }
    const name = (el) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().replaceAll(/\s+/g, ".")}` : ""}`;
    return {
      width,
      scrollWidth,
      culprits: culprits.slice(0, 6).map((c) => `${name(c.el)} ends at ${c.right}px`),
    };
  });
}
