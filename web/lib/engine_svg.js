// The engine's SVG text as an element for the page, rebuilt from an allowlist: only the SVG elements and
// presentation or geometry attributes a plotted figure uses, no links, no url() but url(#id), so no markup can act.

const SVG = "http://www.w3.org/2000/svg";

/** The SVG elements a figure may hold (everything else, with all it contains, is left out). */
const ELEMENTS = new Set([
  "svg", "g", "path", "line", "polyline", "polygon", "rect", "circle", "ellipse", "text", "tspan",
  "defs", "clipPath", "linearGradient", "radialGradient", "stop", "title", "desc",
]);

/** The attributes a figure's elements may carry (none in a namespace: no xlink:href, no xml:base). */
const ATTRIBUTES = new Set([
  "width", "height", "viewBox", "preserveAspectRatio",
  "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "dx", "dy", "points", "d", "transform",
  "opacity", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "paint-order", "vector-effect",
  "shape-rendering", "text-rendering", "visibility", "display", "clip-path", "clip-rule", "clipPathUnits",
  "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline", "alignment-baseline",
  "baseline-shift", "letter-spacing", "textLength", "lengthAdjust",
  "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
  "id", "class", "role", "aria-label", "aria-hidden",
]);

/** A value with whitespace and control characters taken out, as a URL parser would read it. */
const squeezed = (value) => value.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, "");

/** Whether attribute value `value` may stay: no script scheme, and any url() names a fragment of this figure. */
function safeValue(value) {
  const v = squeezed(value).toLowerCase();
  if (/(java|vb)script:|data:/.test(v)) return false;
  return [...v.matchAll(/url\(/g)].every((m) => /^url\(['"]?#[\w.:-]+['"]?\)/.test(v.slice(m.index)));
}

/** A copy of parsed SVG element `from` in `doc`, with only the allowed elements, attributes and text. */
function rebuilt(doc, from) {
  const to = doc.createElementNS(SVG, from.localName);
  for (const attr of from.attributes) {
    if (attr.namespaceURI === null && ATTRIBUTES.has(attr.name) && safeValue(attr.value)) to.setAttribute(attr.name, attr.value);
  }
  for (const child of from.childNodes) {
    if (child.nodeType === Node.TEXT_NODE || child.nodeType === Node.CDATA_SECTION_NODE) {
      to.append(doc.createTextNode(child.data));
    } else if (child.nodeType === Node.ELEMENT_NODE && child.namespaceURI === SVG && ELEMENTS.has(child.localName)) {
      to.append(rebuilt(doc, child));
    }
  }
  return to;
}

/** The <svg> element of SVG text `text`, rebuilt from the allowlist; throws when the text is not an SVG document. */
export function parseSvg(text) {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = parsed.documentElement;
  if (!root || root.namespaceURI !== SVG || root.localName !== "svg" || parsed.getElementsByTagName("parsererror").length) {
    throw new Error("the engine's figure is not a readable SVG");
  }
  return rebuilt(document, root);
}
