// A figure's HTML legend: one entry per series with a swatch drawn in the series' own style, toggle
// buttons for the series a reader may hide, and method names explained on hover, focus and tap.
import { dashArray, svgNode } from "../charts.js";
import { entry } from "./catalog.js";
import { explain } from "./terms.js";
import { isHidden, toggleSeries } from "./series_filter.js";

/** Whether dasharray `dash` is long dashes (the engine hatches those bars) rather than dots (it outlines those). */
const longDashes = (dash) => Number.parseFloat(dash) >= 4;

/**
 * A 26 × 12 swatch of `item` ({colour, dash?, kind?, stops?}): a line, a band, a bar, a marker, a ring, a
 * square or a gradient, stroked with the item's dasharray. A bar with a dashed style is drawn as the
 * engine draws it: pale and hatched with an outline (long dashes) or pale with a dotted outline (dots).
 */
function swatch(item) {
  const sw = svgNode("svg", { width: 26, height: 12, "aria-hidden": "true" });
  const dash = dashArray(item.dash);
  if (item.kind === "bar" && dash === "none") {
    svgNode("rect", { x: 9, y: 0, width: 8, height: 12, fill: item.colour }, sw);
  } else if (item.kind === "bar") {
    const long = longDashes(dash);
    svgNode("rect", { x: 8.5, y: 0.5, width: 9, height: 11, fill: item.colour, "fill-opacity": long ? 0.08 : 0.12, stroke: "none" }, sw);
    if (long) for (const c of [4, 9, 14, 19]) svgNode("line", { x1: 8.5 + Math.max(0, c - 11), y1: 0.5 + Math.min(11, c), x2: 8.5 + Math.min(9, c), y2: 0.5 + Math.max(0, c - 9), stroke: item.colour, "stroke-width": 1 }, sw);
    svgNode("rect", { x: 8.5, y: 0.5, width: 9, height: 11, fill: "none", stroke: item.colour, "stroke-width": long ? 1 : 1.5, "stroke-dasharray": long ? "none" : dash }, sw);
  } else if (item.kind === "marker" || item.kind === "ring") {
    svgNode("circle", { cx: 13, cy: 6, r: 4.5, fill: item.kind === "ring" ? "#fff" : item.colour, stroke: item.colour, "stroke-width": 2 }, sw);
  } else if (item.kind === "square") {
    svgNode("rect", { x: 8.5, y: 1.5, width: 9, height: 9, fill: item.colour }, sw);
  } else if (item.kind === "gradient") {
    const id = `grad-${Math.random().toString(36).slice(2)}`;
    const g = svgNode("linearGradient", { id }, svgNode("defs", {}, sw));
    for (const [colour, at] of item.stops) svgNode("stop", { offset: at, "stop-color": colour }, g);
    svgNode("rect", { x: 1, y: 1, width: 24, height: 10, fill: `url(#${id})` }, sw);
  } else if (item.kind === "area" || item.kind === "band") {
    const band = item.kind === "band";
    svgNode("rect", { x: 1, y: 1, width: 24, height: 10, fill: item.colour, "fill-opacity": band ? 0.18 : 0.3, stroke: band ? "none" : item.colour }, sw);
    if (band) svgNode("line", { x1: 1, x2: 25, y1: 6, y2: 6, stroke: item.colour, "stroke-width": 2.5, "stroke-dasharray": dash }, sw);
  } else {
    svgNode("line", { x1: 1, x2: 25, y1: 6, y2: 6, stroke: item.colour, "stroke-width": 2.5, "stroke-dasharray": dash }, sw);
  }
  return sw;
}

/** The method name an item stands for (its label, else its key), when the engine's catalog knows it. */
function methodOf(item) {
  if (entry(item.label)) return item.label;
  return item.key && entry(item.key) ? item.key : null;
}

/** One legend entry: a toggle button when the item has a `key`, else a span. */
function legendEntry(item) {
  const toggle = Boolean(item.key);
  const part = document.createElement(toggle ? "button" : "span");
  part.className = toggle ? "legend-item legend-toggle" : "legend-item";
  // A toggle is a button, so it shows its label as text (a term button inside it would nest buttons).
  let words = toggle ? null : item.node;
  if (!words) {
    words = document.createElement("span");
    words.textContent = item.label;
  }
  part.append(swatch(item), words);
  if (!toggle) return part;
  part.type = "button";
  part.dataset.key = item.key;
  part.setAttribute("aria-pressed", String(!isHidden(item.key)));
  part.setAttribute("aria-label", `Show ${item.label} in the figures`);
  part.addEventListener("click", () => toggleSeries(item.key));
  const method = methodOf(item);
  if (method) {
    part.dataset.term = method;
    explain(part, method);
  } else {
    part.title = "Show or hide this series";
  }
  return part;
}

/** What a legend of `items` draws (items with a `node` are drawn anew every time). */
const signature = (items) => (items.some((i) => i.node) ? null : JSON.stringify(items.map((i) => [i.key, i.label, i.colour, i.dash, i.kind, i.stops])));

/**
 * A legend of `items` [{label, colour, dash?, kind?: "line"|"area"|"band"|"bar"|"marker"|"ring"|"square"|"gradient" (with stops), node?, key?}]
 * as HTML into `container`: text via textContent, swatches as tiny SVGs (`dash` an SVG dasharray, or
 * true for the page's dashes); `node`, when given, is shown instead of the label's text, except on a toggle.
 * An item with a `key` is a toggle button (aria-pressed: shown) that hides or shows that series on every
 * figure. A legend drawn again with the same items keeps its elements (and the focus on them).
 */
export function drawLegend(container, items) {
  const sig = signature(items);
  if (sig !== null && sig === container.legendSignature) {
    syncLegend(container);
    return;
  }
  const focused = container.contains(document.activeElement) ? document.activeElement.dataset?.key : undefined;
  container.replaceChildren(...items.map(legendEntry));
  container.legendSignature = sig;
  if (focused !== undefined) container.querySelector(`button.legend-toggle[data-key="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
}

/** Marks the legend toggles inside `root` pressed or not from the hidden keys. */
function syncLegend(root) {
  for (const b of root.querySelectorAll("button.legend-toggle")) b.setAttribute("aria-pressed", String(!isHidden(b.dataset.key)));
}

/** Marks every legend toggle on the page pressed or not from the hidden keys (after a toggle or a new link). */
export const syncLegends = () => syncLegend(document);
