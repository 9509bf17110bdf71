// "Explore this in the lab": links that open a lab view with a chapter's exact settings, keeping
// the reader's lesson state (chapter and guesses) so the Learn tab brings them back.
import * as S from "../state.js";
import { el } from "../lib/dom.js";
import { TEXT } from "./text.js";

/**
 * The hash of lab view `view` with the settings `lab` (keys of S.defaults()) and the lesson keys of `state`;
 * `keep(next)` may keep parts of the current link (a teacher's locked keys).
 */
export function labHash(state, view, lab, keep = (next) => next) {
  const lesson = Object.fromEntries(S.LESSON_KEYS.map((k) => [k, state[k]]));
  return `#${S.serialize(keep({ ...S.defaults(), ...lesson, ...lab, view }))}`;
}

/** A paragraph of lab links: `links` is [{label, view, lab}]; `keep` as in labHash. */
export function labLinks(state, links, keep) {
  const p = el("p", { class: "lab-links", "data-testid": "lab-links" }, `${TEXT.view.lab} `);
  links.forEach(({ label, view, lab }, i) => {
    if (i > 0) p.append(" · ");
    p.append(el("a", { href: labHash(state, view, lab, keep), "data-testid": `lab-${view}`, "data-view": view }, label));
  });
  return p;
}
