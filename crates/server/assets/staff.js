// Progressive enhancement only: every page works without this file.
// The queue's "select all" box, added only when scripts run (a box that did nothing without
// JavaScript would be a trap for keyboard and screen-reader users).
document.addEventListener("DOMContentLoaded", () => {
  const head = document.querySelector("table.queue thead th");
  const boxes = document.querySelectorAll('table.queue tbody input[type="checkbox"]');
  if (!head || boxes.length === 0) return;
  const all = document.createElement("input");
  all.type = "checkbox";
  all.id = "select-all";
  all.setAttribute("aria-label", head.textContent.trim());
  all.addEventListener("change", () => boxes.forEach((b) => { b.checked = all.checked; }));
  head.replaceChildren(all);
});
