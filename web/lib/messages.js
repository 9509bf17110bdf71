// What the page says when something is wrong: an error's text and fields, and the error line beside
// the controls (a plain sentence naming the control, marking the inputs the refusal names).
import { $ } from "./dom.js";
import { plainSentence } from "./plain_errors.js";

/** The text of a thrown value (an Error's message, or the value itself). */
export const messageOf = (e) => (e instanceof Error ? e.message : String(e));

/**
 * A thrown value as plain data that survives postMessage: {message}, plus the engine's
 * `field`, `value` and `allowed` when it is a refusal of a field.
 */
export function problemOf(e) {
  const out = { message: messageOf(e) };
  for (const key of ["field", "value", "allowed"]) if (typeof e?.[key] === "string") out[key] = e[key];
  return out;
}

/** An Error from problem data (as problemOf makes it), its message prefixed by `context`. */
export function errorFrom(problem, context = "") {
  const e = new Error(`${context}${problem.message}`);
  for (const key of ["field", "value", "allowed"]) if (typeof problem[key] === "string") e[key] = problem[key];
  return e;
}

/** The visible name of input `id`: its label's text, else its aria-label. */
function labelOf(id) {
  const label = document.querySelector(`label[for="${CSS.escape(id)}"]`);
  return (label?.textContent ?? $(id).getAttribute("aria-label") ?? id).trim();
}

/** Whether element `id` is on screen (not inside a hidden group). */
const shownNow = (id) => $(id).closest("[hidden]") === null;

/**
 * Shows `problem` (null clears it) in the error line `errorId`: a string as it is, a thrown value by its
 * message. With `fields` (engine field name → input ids; the longest matching prefix wins) a refusal of a
 * field marks the inputs it names as invalid (clearing the others) and reads as a plain sentence naming
 * them; the engine's own line stays in the error line's data-engine attribute.
 */
export function showError(errorId, problem, fields) {
  const line = $(errorId);
  const text = problem === null || problem === undefined ? "" : typeof problem.message === "string" ? problem.message : String(problem);
  const field = typeof problem?.field === "string" ? problem.field : null;
  line.dataset.engine = field ? text : "";
  line.textContent = text;
  if (!fields) return;
  const all = new Set(Object.values(fields).flat());
  const key = field ? Object.keys(fields).filter((k) => field.startsWith(k)).sort((a, b) => b.length - a.length)[0] : null;
  const bad = new Set(key ? fields[key] : []);
  for (const id of all) {
    if (bad.has(id)) {
      $(id).setAttribute("aria-invalid", "true");
      $(id).setAttribute("aria-describedby", errorId);
    } else {
      $(id).removeAttribute("aria-invalid");
    }
  }
  const named = [...bad].filter(shownNow);
  if (named.length > 0 && typeof problem.value === "string" && typeof problem.allowed === "string") {
    line.textContent = plainSentence(problem, named.map(labelOf));
  }
}
