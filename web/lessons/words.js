// Lesson sentences from the text file's templates: {name} filled with a value, flips as H and T.
import { TEXT } from "./text.js";

/** `template` with each {name} replaced by `values[name]` (a name with no value stays visible, so a gap is seen). */
export function say(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/** Tokens (0 = H, 1 = T) as spaced letters, "H H T"; `none` for an empty run. */
export function asLetters(tokens, none = TEXT.flips.none) {
  return tokens.length === 0 ? none : [...tokens].map((t) => (t === "0" ? TEXT.flips.heads : TEXT.flips.tails)).join(" ");
}
