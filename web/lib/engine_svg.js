// The engine's SVG text as an element for the page: parsed with DOMParser and sanitised (no script,
// foreignObject, event attributes or links out of the figure), so no markup from data can act.

const DROP = new Set(["script", "foreignobject", "iframe", "object", "embed", "audio", "video", "image"]);

/** The <svg> element of SVG text `text`, sanitised; throws when the text is not an SVG document. */
export function parseSvg(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.localName !== "svg" || doc.querySelector("parsererror")) throw new Error("the engine's figure is not a readable SVG");
  const all = [root, ...root.querySelectorAll("*")];
  for (const el of all) {
    if (DROP.has(el.localName.toLowerCase())) {
      el.remove();
      continue;
    }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim();
      const link = name === "href" || name.endsWith(":href");
      if (name.startsWith("on") || (link && !value.startsWith("#")) || /url\(\s*['"]?(?!#)/i.test(value) || /javascript:/i.test(value)) {
        el.removeAttribute(attr.name);
      }
    }
  }
  for (const style of root.querySelectorAll("style")) style.remove();
  return document.importNode(root, true);
}
