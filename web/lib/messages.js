// What the page says when something is wrong: an error's text, the engine field it names and
// the error line beside the controls (marking the inputs it names).
import { $ } from "./dom.js";

/** The text of a thrown value (an Error's message, or the value itself). */
export const messageOf = (e) => (e instanceof Error ? e.message : String(e));

/** The engine field a refusal names ("invalid tuning.steps = …" → "tuning.steps"), or null. */
export function fieldOf(message) {
  const m = /^invalid ([\w.[\]]+)/.exec(message);
  return m ? m[1] : null;
}

/**
 * Shows `message` (null clears it) in the error line `errorId`. With `fields` (engine field name →
 * input ids; the longest matching prefix wins) it marks the inputs the message names as invalid and
 * clears the mark on the others.
 */
export function showError(errorId, message, fields) {
  $(errorId).textContent = message ?? "";
  if (!fields) return;
  const all = new Set(Object.values(fields).flat());
  const field = message ? fieldOf(message) : null;
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
}
