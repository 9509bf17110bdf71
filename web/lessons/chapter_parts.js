// What every question chapter is made of: its text, a reveal line that is announced, and an answer kept hidden until a guess.
import { el } from "../lib/dom.js";
import { say } from "./words.js";

/**
 * The parts of chapter `api.n`: `wrap` holding its paragraphs (TEXT's body with `values` filled in),
 * `reveal` (the aria-live line that answers) and `answer` (hidden until a guess), for the chapter to fill and place.
 */
export function chapterParts(api, values) {
  const wrap = el("div", { class: "chapter" });
  for (const p of api.text.body) wrap.append(api.paragraph(say(p, values)));
  const reveal = el("p", { class: "reveal", "aria-live": "polite", "data-testid": `reveal-${api.n}` });
  const answer = el("div", { class: "answer", "data-testid": `answer-${api.n}`, hidden: "" });
  return { wrap, reveal, answer };
}
