// Results whose settings have changed since they were computed: a note naming the settings they are
// for and what the controls say now, and the results dimmed, until the settings match again.
import { $ } from "./dom.js";
import { inWords } from "./plain_errors.js";

/**
 * The note for results computed with settings `then` while the controls say `now` (both: field →
 * the setting in words, from the same function), or null when no field differs. `what` names the
 * results ("These results"), `action` says how to get new ones.
 */
export function staleNote({ then, now, what, action }) {
  const changed = Object.keys(then).filter((k) => then[k] !== now[k]);
  if (changed.length === 0) return null;
  return `${what} are for ${inWords(changed.map((k) => then[k]))}; the controls now say ${inWords(changed.map((k) => now[k]))}. ${action}`;
}

/** Shows `note` (null clears it) in the element `noteId` and dims the elements `ids` while it shows. */
export function markStale(noteId, ids, note) {
  const box = $(noteId);
  box.textContent = note ?? "";
  box.hidden = !note;
  for (const id of ids) $(id).classList.toggle("stale", Boolean(note));
}
