// DOM helpers the page shares: an element by id, and elements built from parts (no markup is ever parsed).

/** The element with id `id`. */
export const $ = (id) => document.getElementById(id);

/** An element with attributes and children (text or elements). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A button (type "button") showing `label` that calls `onClick`, with extra attributes. */
export function button(label, onClick, attrs = {}) {
  const b = el("button", { type: "button", ...attrs }, label);
  b.addEventListener("click", onClick);
  return b;
}
