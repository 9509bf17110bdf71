// Method and baseline names explained where they appear: the engine's one-line description as a tooltip
// shown on hover, focus and tap (Escape hides it), and a jump to the name's glossary entry.
import { entry } from "./catalog.js";

/** A label as an id fragment ("Un+EmbedWT" → "Un_43EmbedWT"). */
const slug = (label) => label.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0)}`);

/** The id of `label`'s glossary entry (its name) and of its description (what aria-describedby names). */
export const glossaryId = (label) => `gloss-${slug(label)}`;
export const descriptionId = (label) => `gloss-desc-${slug(label)}`;

let tip = null;
let owner = null;

/** The page's one tooltip element, made on first use. */
function tooltip() {
  if (!tip) {
    tip = document.createElement("div");
    tip.id = "term-tip";
    tip.className = "term-tip";
    tip.setAttribute("role", "tooltip");
    tip.dataset.testid = "term-tip";
    tip.hidden = true;
    document.body.append(tip);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !tip.hidden) hide();
    });
    // A new layout moves the name away from where the tooltip was put.
    window.addEventListener("resize", () => hide());
  }
  return tip;
}

/** Shows `label`'s description under element `anchor`. */
function show(anchor, label) {
  const e = entry(label);
  if (!e) return;
  const t = tooltip();
  owner = anchor;
  t.textContent = `${label}: ${e.description}`;
  t.dataset.term = label;
  t.hidden = false;
  const box = anchor.getBoundingClientRect();
  const width = Math.min(320, document.documentElement.clientWidth - 16);
  t.style.maxWidth = `${width}px`;
  const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
  t.style.left = `${left + window.scrollX}px`;
  t.style.top = `${box.bottom + window.scrollY + 4}px`;
}

function hide() {
  if (tip) tip.hidden = true;
  owner = null;
}

/** Whether `label`'s tooltip is showing for `anchor`. */
const showing = (anchor) => owner === anchor && tip && !tip.hidden;

/**
 * Explains `label` on `anchor`: the tooltip on hover, on focus of `focusable` (default `anchor`)
 * and on a tap; `focusable` is described by the glossary's entry.
 */
export function explain(anchor, label, focusable = anchor) {
  if (!entry(label)) return anchor;
  focusable.setAttribute("aria-describedby", descriptionId(label));
  anchor.addEventListener("mouseenter", () => show(anchor, label));
  anchor.addEventListener("mouseleave", () => showing(anchor) && hide());
  focusable.addEventListener("focus", () => show(anchor, label));
  focusable.addEventListener("blur", () => showing(anchor) && hide());
  anchor.addEventListener("pointerdown", (e) => {
    if (e.pointerType !== "mouse") show(anchor, label);
  });
  return anchor;
}

/** Moves to `label`'s glossary entry (without touching the link, whose hash is the page's state). */
export function openGlossary(label) {
  const target = document.getElementById(glossaryId(label));
  if (!target) return;
  // The glossary is folded away until asked for.
  target.closest("details")?.setAttribute("open", "");
  hide();
  target.scrollIntoView({ block: "center" });
  target.focus();
}

/**
 * A name as a button: its tooltip on hover, focus and a first tap; pressing it (a click, Enter, or a
 * second tap) goes to its glossary entry.
 */
export function term(label) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "term";
  b.textContent = label;
  b.dataset.term = label;
  if (!entry(label)) return b;
  let tapShown = false;
  b.addEventListener("pointerdown", (e) => {
    tapShown = e.pointerType !== "mouse" && !showing(b);
  });
  explain(b, label);
  b.addEventListener("click", () => {
    if (tapShown) {
      tapShown = false;
      show(b, label);
      return;
    }
    openGlossary(label);
  });
  return b;
}
