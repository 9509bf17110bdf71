// A sideways-scrolling region's hint: shown only while its content is wider than the region.
import { $ } from "./dom.js";

/** The words of a hint under a table wider than its box. */
const SCROLL_WORDS = "The table is wider than the screen: swipe it sideways, or focus it and use the arrow keys.";

/**
 * Shows the hint `hintId` exactly while the region `regionId` has more to scroll sideways, now and after
 * every resize (each an element's id, or the element itself).
 */
export function watchOverflow(regionId, hintId) {
  const region = typeof regionId === "string" ? $(regionId) : regionId;
  const hint = typeof hintId === "string" ? $(hintId) : hintId;
  hint.textContent = SCROLL_WORDS;
  const fit = () => {
    const wider = region.scrollWidth > region.clientWidth + 1;
    hint.hidden = !wider;
    region.dataset.scrolls = String(wider);
  };
  const observer = new ResizeObserver(fit);
  observer.observe(region);
  const watchChild = () => {
    for (const child of region.children) observer.observe(child);
    fit();
  };
  new MutationObserver(watchChild).observe(region, { childList: true });
  watchChild();
}
