// Printing: before the page goes to paper every figure's data table is opened and the shown view's name
// (and the series the legends hide) is put under the page's title; after it, both are put back as they were.
import { $ } from "./dom.js";
import { hiddenKeys } from "./series_filter.js";

/** Installs the beforeprint and afterprint handlers (once, from the page's boot). */
export function bindPrint() {
  let opened = [];
  let title = null;
  addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("figure details:not([open])")];
    for (const d of opened) d.open = true;
    const tab = document.querySelector('.tabs [role="tab"][aria-selected="true"]');
    title?.remove();
    title = document.createElement("p");
    title.className = "print-title";
    title.dataset.testid = "print-title";
    title.textContent = tab ? `${tab.textContent.trim()} view` : "";
    const off = hiddenKeys();
    if (off.length) title.textContent += ` (hidden with the legends: ${off.join(", ")})`;
    $("status").before(title);
  });
  addEventListener("afterprint", () => {
    for (const d of opened) d.open = false;
    opened = [];
    title?.remove();
    title = null;
  });
}
