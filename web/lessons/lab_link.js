// "Explore this in the lab": links that open a lab view with a chapter's exact settings, keeping
// the reader's lesson state (chapter and guesses) so the Learn tab brings them back.
import * as S from "../state.js";
import { el } from "../lib/dom.js";
import { TEXT } from "./text.js";

/** The hash of lab view `view` with the settings `lab` (keys of S.defaults()) and the lesson keys of `state`. */
export function labHash(state, view, lab) {
  const lesson = Object.fromEntries(S.LESSON_KEYS.map((k) => [k, state[k]]));
  return `#${S.serialize({ ...S.defaults(), ...lesson, ...lab, view })}`;
}

/** A paragraph of lab links: `links` is [{label, view, lab}]. */
export function labLinks(state, links) {
  const p = el("p", { class: "lab-links", "data-testid": "lab-links" }, `${TEXT.view.lab} `);
  links.forEach(({ label, view, lab }, i) => {
    if (i > 0) p.append(" · ");
    p.append(el("a", { href: labHash(state, view, lab), "data-testid": `lab-${view}`, "data-view": view }, label));
  });
  return p;
}
