// A sideways-scrolling region's hint: shown only while its content is wider than the region.
import { $ } from "./dom.js";

/** Shows the hint `hintId` exactly while the region `regionId` has more to scroll sideways, now and after every resize. */
export function watchOverflow(regionId, hintId) {
  const region = $(regionId);
  const fit = () => {
    const wider = region.scrollWidth > region.clientWidth + 1;
    $(hintId).hidden = !wider;
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
