// SVG and PNG downloads of a live chart (charts.js): the chart box's drawn SVG, standalone, on white.
import { button, el } from "./dom.js";
import { download, pngOfSvg } from "./download.js";

/** The SVG text of the chart drawn in box `box`, with its namespace, font and a white background (null before a draw). */
export function chartSvg(box) {
  const drawn = box.querySelector("svg");
  if (!drawn) return null;
  const svg = drawn.cloneNode(true);
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  svg.setAttribute("font-family", "system-ui, sans-serif");
  svg.removeAttribute("aria-hidden");
  const back = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  for (const [k, v] of Object.entries({ width: "100%", height: "100%", fill: "#ffffff" })) back.setAttribute(k, v);
  svg.prepend(back);
  return new XMLSerializer().serializeToString(svg);
}

/** SVG and PNG buttons for the chart in box `box` (named `what` in their labels); `fileName(ext)` names the file. */
export function chartButtons(box, what, fileName) {
  const svg = () => chartSvg(box);
  return el("div", { class: "buttons exports" },
    button("SVG", () => svg() && download(fileName("svg"), new Blob([svg()], { type: "image/svg+xml" })), { "aria-label": `Download ${what} as SVG` }),
    button("PNG", () => svg() && pngOfSvg(svg()).then((png) => download(fileName("png"), png)), { "aria-label": `Download ${what} as PNG` }),
  );
}
